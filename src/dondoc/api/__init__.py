"""The REST API under /api/: thin endpoints over ``tracking.services`` (writes) and ``tracking.selectors`` (reads)."""
