"""500 invoices, two worker processes, one SIGKILLed, Redis restarted: nothing lost."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.integration import workerfarm
from tests.integration.services import postgres_database, private_redis

COUNT = 500


@pytest.mark.slow
def test_every_invoice_exactly_once_after_kill_and_redis_restart(tmp_path: Path) -> None:
    with postgres_database() as database, private_redis() as redis_server:
        data_dir = tmp_path / "data"
        env = workerfarm.env_for(database, redis_server.url, data_dir)
        assert workerfarm.cli(env, "db", "upgrade").returncode == 0
        maildir = tmp_path / "Maildir"
        workerfarm.fill_maildir(maildir, COUNT)
        engine = create_engine(database)

        def scalar(sql: str) -> int:
            with engine.connect() as conn:
                return int(conn.execute(text(sql)).scalar() or 0)

        logs = tmp_path / "workers.log"
        a = workerfarm.start_worker(env, log=logs)
        b = workerfarm.start_worker(env, log=logs)
        ingest = workerfarm.cli(env, "ingest", "--source", f"maildir:{maildir}", "--once")
        assert ingest.returncode == 0, ingest.stderr
        try:
            # kill one worker hard once work is well under way
            assert workerfarm.wait_until(lambda: scalar("select count(*) from invoices") >= 60, 180)
            workerfarm.kill_hard(a)
            # restart Redis (it keeps nothing: queued messages are lost)
            assert workerfarm.wait_until(
                lambda: scalar("select count(*) from invoices") >= 150, 180
            )
            redis_server.stop()
            time.sleep(1)
            redis_server.start()
            a = workerfarm.start_worker(env, log=logs)

            def finished() -> bool:
                workerfarm.cli(env, "sweep")  # recovers what the broker lost, from the database
                status = json.loads(workerfarm.cli(env, "status", "--format", "json").stdout)
                return status["pending"] == 0 and status["invoices"] + status["failed"] >= COUNT

            assert workerfarm.wait_until(finished, 420, interval=3), logs.read_text()[-3000:]
        finally:
            workerfarm.stop(a)
            workerfarm.stop(b)
        status = json.loads(workerfarm.cli(env, "status", "--format", "json").stdout)
        assert status["invoices"] == COUNT, status
        assert status["failed"] == 0 and status["duplicates"] == 0, status
        assert scalar("select count(*) from messages") == COUNT
        assert scalar("select count(*) from documents") == COUNT
        assert scalar("select count(distinct duplicate_key) from invoices") == COUNT
        # blob store: one e-mail and one attachment per invoice, each once, hash recorded
        files = [p for p in (data_dir / "blobs").rglob("*") if p.is_file()]
        blobs = [p for p in files if not p.name.startswith(".tmp-")]
        # a write cut off by SIGKILL may leave a temporary file (never a half blob)
        assert all(p.name.startswith(".tmp-") for p in files if p not in blobs)
        assert len(blobs) == 2 * COUNT
        assert all(hashlib.sha256(p.read_bytes()).hexdigest() == p.name for p in blobs)
        assert scalar("select count(*) from blobs") == 2 * COUNT
        assert list((maildir / "new").iterdir()) == [] and list((maildir / "cur").iterdir()) == []
        engine.dispose()
