"""Authorization matrix rows for customers/ (api); see tests/test_authorization_matrix.py."""

ROUTES = []
