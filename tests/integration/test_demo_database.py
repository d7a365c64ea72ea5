"""``einvoice demo`` honours EINVOICE_DATABASE_URL (issue 22, finding 7: it always used
SQLite, so nobody could try the demo on PostgreSQL); it never writes into a database that
already holds invoices."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, func, select

from einvoice.storage.tables import Invoice
from tests.helpers import ROOT, einvoice_cmd
from tests.integration.services import postgres_database

#: The demo writes a few hundred invoices (its pilot history): generous, and said when hit.
DEMO_LIMIT_S = 900


def _demo(folder: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_")}
    command = [*einvoice_cmd(), "demo", "--folder", str(folder)]
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=DEMO_LIMIT_S,
            cwd=ROOT,
            env=env | {"EINVOICE_DATABASE_URL": database_url},
        )
    except subprocess.TimeoutExpired as exc:
        tail = (exc.stdout or b"")[-2000:]
        raise AssertionError(
            f"waited {DEMO_LIMIT_S} s for `einvoice demo` on {database_url} to finish; "
            f"its last output: {tail!r}"
        ) from exc


def test_demo_on_postgresql(tmp_path: Path) -> None:
    with postgres_database() as url:
        done = _demo(tmp_path / "demo", url)
        assert done.returncode == 0, done.stderr
        assert "Datenbank postgresql+psycopg://" in done.stdout
        assert "einvoice.db" not in done.stdout
        assert f"EINVOICE_DATABASE_URL={url} EINVOICE_DATA_DIR=" in done.stdout  # the hints
        assert not (tmp_path / "demo" / "data" / "einvoice.db").exists()
        engine = create_engine(url)
        with engine.connect() as connection:
            invoices = connection.scalar(select(func.count()).select_from(Invoice))
        engine.dispose()
        assert invoices and invoices > 10

        again = _demo(tmp_path / "demo2", url)  # the database holds invoices now: refused
        assert again.returncode == 2, again
        assert "Die Demo braucht eine leere Datenbank" in again.stderr
        assert "Traceback" not in again.stderr
