"""Authorization matrix rows for daily work (wins, handoffs, notifications): pages."""

ROUTES = []
