"""Writes of the dashboards: one function per use case, each owning its transaction."""
