"""Pages of the dashboards, one module per page."""
