"""Persistence: SQLAlchemy models, the engine, Alembic migrations and domain <-> row mapping."""
