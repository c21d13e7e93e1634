"""Authorization matrix rows for customers/ (pages); see tests/test_authorization_matrix.py."""

ROUTES = []
