"""Pages for customers (split by area)."""
