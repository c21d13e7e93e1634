"""What managers look at every week and what they do about it: the manager dashboard,
the organisation view, the silo map, focus areas and action plans, account health, the
meeting brief and the weekly digest. Pages and API over the scores and daily work."""
