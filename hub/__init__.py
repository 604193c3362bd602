"""The reference hub: the backend contract the kiosk syncs with (SQLite, or PostgreSQL for a fleet).

THE CONTRACT this package implements is docs/api/CONTRACT.md (the text a task calls
__CONTRACT__); the formal description is docs/api/openapi.yaml.
"""
