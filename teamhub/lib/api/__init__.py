"""API plumbing: pagination, the error shape, organisation-scoped viewsets."""
