"""API for teams/: thin viewsets over teams' services and selectors."""
