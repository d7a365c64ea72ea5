"""/healthz (process alive) and /readyz (database upgraded, blob store reachable)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tests.integration.web import client, make_app


def test_healthz_and_readyz(tmp_path: Path, database_url: str | None) -> None:
    application, container = make_app(tmp_path, database_url)
    anonymous = client(application)
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": True, "blobs": True}}
    with container.engine.begin() as connection:  # the schema falls behind the code
        connection.execute(text("UPDATE alembic_version SET version_num = '0004'"))
    behind = anonymous.get("/readyz")
    assert behind.status_code == 503
    assert behind.json()["checks"]["database"] is False
    assert "sqlite" not in behind.text and "postgresql" not in behind.text  # nothing leaked
    assert anonymous.get("/healthz").status_code == 200
