"""CSV import of accounts and contacts from a CRM export.

``parsing`` reads the file and suggests a column for each field, ``rows`` checks
rows against the organisation's data, ``run`` writes them (all or nothing) and
``services`` holds the use cases pages and the API call: upload, map, start.
"""
