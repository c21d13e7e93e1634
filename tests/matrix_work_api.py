"""Authorization matrix rows for daily work (wins, handoffs, notifications): api."""

ROUTES = []
