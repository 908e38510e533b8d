"""Alembic migrations of the store, shipped inside the package (env.py, versions/)."""
