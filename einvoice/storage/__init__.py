"""Persistence: SQLAlchemy tables, repositories, the content-addressed blob store."""
