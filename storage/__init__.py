"""Persistence: SQLAlchemy models, repositories that never commit, a unit of work, migrations."""
