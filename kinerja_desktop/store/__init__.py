"""Persistence: SQLAlchemy models, the engine, migrations, backups and the change log."""
