"""Authorization matrix rows for customers/ (import); see tests/test_authorization_matrix.py."""

ROUTES = []
