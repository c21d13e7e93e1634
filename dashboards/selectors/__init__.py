"""Reads shaped for each dashboard page and its endpoint, one module per page."""
