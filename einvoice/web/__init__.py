"""The web application: server-rendered German pages and a JSON API (FastAPI)."""
