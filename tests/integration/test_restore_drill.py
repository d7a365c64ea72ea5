"""Restore drill on PostgreSQL: 300 invoices with workflow and audit events, a backup
taken while a worker runs, everything wiped, restored into an empty installation with
every count equal and the audit chain intact; the work the backup caught in flight is
finished by the workers, then fsck and audit verify are clean."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from einvoice import bootstrap, config
from einvoice.services import workflow
from tests.integration import workerfarm
from tests.integration.services import postgres_database, private_redis

FIRST, SECOND = 200, 100


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar() or 0)
    finally:
        engine.dispose()


def _finished(env: dict[str, str], total: int) -> bool:
    workerfarm.cli(env, "sweep")
    status = json.loads(workerfarm.cli(env, "status", "--format", "json").stdout)
    return bool(status["pending"] == 0 and status["invoices"] + status["failed"] >= total)


@pytest.mark.slow
def test_restore_drill_on_postgresql(tmp_path: Path) -> None:
    with postgres_database() as url, private_redis() as redis_server:
        data = tmp_path / "data"
        env = workerfarm.env_for(url, redis_server.url, data)
        assert workerfarm.cli(env, "db", "upgrade").returncode == 0
        first, second = tmp_path / "Maildir1", tmp_path / "Maildir2"
        workerfarm.fill_maildir(first, FIRST, first_seed=5000)
        workerfarm.fill_maildir(second, SECOND, first_seed=6000)
        logs = tmp_path / "worker.log"
        worker = workerfarm.start_worker(env, log=logs)
        try:
            done = workerfarm.cli(env, "ingest", "--source", f"maildir:{first}", "--once")
            assert done.returncode == 0, done.stderr
            assert workerfarm.wait_until(lambda: _finished(env, FIRST), 400, 2), logs.read_text()[
                -3000:
            ]
            assert workerfarm.wait_until(
                lambda: _count(url, "select count(*) from workflows") >= FIRST, 120, 1
            )
            # some approval steps: more audit events in the chains
            settings = config.load({k: v for k, v in env.items() if k.startswith("EINVOICE_")})
            built = bootstrap.build(settings)
            routing = built.pipeline.workflow.routing()  # type: ignore[union-attr]
            with built.engine.connect() as connection:
                rows = connection.execute(
                    text(
                        "select invoice_id, department from workflows order by invoice_id limit 20"
                    )
                ).all()
            for invoice_id, department in rows:
                dept = routing.department(department or routing.fallback_department)
                actor = dept.members[0].person
                workflow.act(built.pipeline, invoice_id, "comment", actor, comment="Übung")
            built.engine.dispose()
            # the second batch is processed while the backup runs
            feeding = subprocess.Popen(
                [*workerfarm.einvoice_cmd(), "ingest", "--source", f"maildir:{second}", "--once"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert workerfarm.wait_until(
                lambda: _count(url, "select count(*) from messages") > FIRST, 120, 0.2
            )
            backup = tmp_path / "sicherung"
            made = workerfarm.cli(env, "backup", "--out", str(backup))
            assert made.returncode == 0, made.stderr
            during = _count(url, "select count(*) from invoices")
            feeding.wait(timeout=300)
            assert workerfarm.wait_until(lambda: _finished(env, FIRST + SECOND), 400, 2)
        finally:
            workerfarm.stop(worker)
        manifest = json.loads((backup / "manifest.json").read_text())
        counts = manifest["counts"]
        assert counts["invoices"] >= FIRST and counts["audit_events"] > FIRST
        assert counts["messages"] > FIRST  # taken while the second batch came in
        assert len(manifest["blobs"]) == _count_blobs_in(manifest)
        assert during >= counts["invoices"]

    # wipe: the database and the data folder are gone; restore into an empty installation
    shutil.rmtree(data)
    with postgres_database() as fresh, private_redis() as redis_again:
        env = workerfarm.env_for(fresh, redis_again.url, tmp_path / "neu")
        restored = workerfarm.cli(env, "restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        for table, number in counts.items():
            assert _count(fresh, f'select count(*) from "{table}"') == number, table
        audit = workerfarm.cli(env, "audit", "verify")
        assert audit.returncode == 0, audit.stdout + audit.stderr
        assert "unversehrt" in audit.stdout
        # the backup caught work in flight: after the restore the workers finish it
        quick = workerfarm.cli(env, "fsck", "--quick")
        assert "fehlt" not in quick.stdout, quick.stdout  # no original is missing
        logs = tmp_path / "worker-neu.log"
        worker = workerfarm.start_worker(env, log=logs)
        messages = counts["messages"]
        try:
            assert workerfarm.wait_until(lambda: _finished(env, messages), 400, 2), (
                logs.read_text()[-3000:]
            )
        finally:
            workerfarm.stop(worker)
        assert _count(fresh, "select count(*) from invoices") == messages  # each exactly once
        fsck = workerfarm.cli(env, "fsck")
        assert fsck.returncode == 0, fsck.stdout + fsck.stderr
        audit = workerfarm.cli(env, "audit", "verify")
        assert audit.returncode == 0, audit.stdout + audit.stderr
        print(
            f"restore drill: {counts['invoices']} invoices, {counts['audit_events']} events, "
            f"{counts['messages']} messages, {len(manifest['blobs'])} blobs in the backup"
        )
        again = workerfarm.cli(env, "restore", str(backup))
        assert again.returncode == 1 and "nicht leer" in again.stderr


def _count_blobs_in(manifest: dict[str, object]) -> int:
    blobs = manifest["blobs"]
    assert isinstance(blobs, dict)
    assert all(isinstance(size, int) and size > 0 for size in blobs.values())
    return len(blobs)


def test_restore_refuses_an_incomplete_or_altered_backup(tmp_path: Path) -> None:
    env = workerfarm.env_for(f"sqlite:///{tmp_path / 'a' / 'einvoice.db'}", "stub", tmp_path / "a")
    assert workerfarm.cli(env, "db", "upgrade").returncode == 0
    box = tmp_path / "Maildir"
    workerfarm.fill_maildir(box, 3)
    assert workerfarm.cli(env, "ingest", "--source", f"maildir:{box}", "--once").returncode == 0
    out = tmp_path / "b"
    assert workerfarm.cli(env, "backup", "--out", str(out)).returncode == 0
    blob = next(p for p in (out / "blobs").rglob("*") if p.is_file())
    blob.write_bytes(blob.read_bytes() + b"x")
    target = workerfarm.env_for(
        f"sqlite:///{tmp_path / 'c' / 'einvoice.db'}", "stub", tmp_path / "c"
    )
    broken = workerfarm.cli(target, "restore", str(out))
    assert broken.returncode == 1 and "beschädigt" in broken.stderr
    (out / "manifest.json").unlink()
    missing = workerfarm.cli(target, "restore", str(out))
    assert missing.returncode == 1 and "manifest.json fehlt" in missing.stderr
    time.sleep(0)


def test_backup_from_database_blobs_restores_into_a_folder_store(tmp_path: Path) -> None:
    """The backup format does not depend on the blob store: database -> folder."""
    source = workerfarm.env_for(
        f"sqlite:///{tmp_path / 'a' / 'einvoice.db'}",
        "stub",
        tmp_path / "a",
        EINVOICE_BLOB_STORE="database",
    )
    assert workerfarm.cli(source, "db", "upgrade").returncode == 0
    box = tmp_path / "Maildir"
    workerfarm.fill_maildir(box, 4)
    assert workerfarm.cli(source, "ingest", "--source", f"maildir:{box}", "--once").returncode == 0
    out = tmp_path / "sicherung"
    made = workerfarm.cli(source, "backup", "--out", str(out))
    assert made.returncode == 0, made.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["blobs"]) == 8 and "blob_contents" not in manifest["counts"]
    assert manifest["counts"]["invoices"] == 4
    target = workerfarm.env_for(
        f"sqlite:///{tmp_path / 'b' / 'einvoice.db'}", "stub", tmp_path / "b"
    )
    restored = workerfarm.cli(target, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    files = [p for p in (tmp_path / "b" / "blobs").rglob("*") if p.is_file()]
    assert sorted(p.name for p in files) == sorted(manifest["blobs"])
    status = json.loads(workerfarm.cli(target, "status", "--format", "json").stdout)
    assert status["invoices"] == 4
