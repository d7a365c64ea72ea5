"""Workers on two "machines" (two data folders, one PostgreSQL, one Redis, the blob store
in PostgreSQL) poll one IMAP mailbox at the same time: every invoice exactly once, and
no shared folder (neither data folder holds a single original)."""

from __future__ import annotations

import imaplib
import json
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.integration import workerfarm
from tests.integration.mail import email_with, invoice_xml
from tests.integration.services import dovecot, postgres_database, private_redis

COUNT = 120


@pytest.mark.slow
def test_two_machines_process_one_mailbox_exactly_once(tmp_path: Path) -> None:
    with (
        postgres_database() as url,
        private_redis() as redis_server,
        dovecot(tmp_path) as imap,
    ):
        client = imaplib.IMAP4(imap.host, imap.port)
        client.login(imap.user, imap.password)
        for i in range(COUNT):
            raw = email_with([(f"rechnung-{i}.xml", invoice_xml(7000 + i, n_lines=2))])
            client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
        machines = {
            name: workerfarm.env_for(
                url,
                redis_server.url,
                tmp_path / name,
                EINVOICE_BLOB_STORE="database",
                EINVOICE_IMAP_PASSWORD=imap.password,
            )
            for name in ("rechner-a", "rechner-b")
        }
        assert workerfarm.cli(machines["rechner-a"], "db", "upgrade").returncode == 0
        logs = {name: tmp_path / f"{name}.log" for name in machines}
        workers = [workerfarm.start_worker(env, log=logs[name]) for name, env in machines.items()]
        try:
            polls = [
                subprocess.Popen(
                    [*workerfarm.einvoice_cmd(), "ingest", "--source", imap.url, "--once"],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for env in machines.values()
            ]
            for poll in polls:
                _out, err = poll.communicate(timeout=300)
                assert poll.returncode == 0, err

            def finished() -> bool:
                workerfarm.cli(machines["rechner-b"], "sweep")
                answer = workerfarm.cli(machines["rechner-a"], "status", "--format", "json")
                status = json.loads(answer.stdout)
                return bool(
                    status["pending"] == 0 and status["invoices"] + status["failed"] >= COUNT
                )

            assert workerfarm.wait_until(finished, 400, 2), "".join(
                p.read_text()[-2000:] for p in logs.values() if p.exists()
            )
        finally:
            for worker in workers:
                workerfarm.stop(worker)
        client.select("INBOX")
        _, inbox = client.search(None, "ALL")
        client.logout()
        engine = create_engine(url)
        with engine.connect() as connection:

            def scalar(sql: str) -> int:
                return int(connection.execute(text(sql)).scalar() or 0)

            assert scalar("select count(*) from invoices") == COUNT
            assert scalar("select count(distinct duplicate_key) from invoices") == COUNT
            odd = connection.execute(
                text(
                    "select m.id, m.message_key, m.state, m.reason, m.deliveries from messages m "
                    "where not exists (select 1 from documents d join invoices i "
                    "on i.document_id = d.id where d.message_id = m.id)"
                )
            ).all()
            assert scalar("select count(*) from messages") == COUNT, odd
            assert scalar("select count(*) from documents") == COUNT
            assert scalar("select count(*) from documents where state = 'failed'") == 0
            assert scalar("select count(*) from blob_contents") == 2 * COUNT
            assert scalar("select count(*) from blobs") == 2 * COUNT
            assert scalar("select count(*) from workflows") == COUNT
        engine.dispose()
        assert inbox[0].split() == []  # every e-mail moved to 'processed'
        for name in machines:  # nothing stored in either machine's folder
            blobs = tmp_path / name / "blobs"
            assert not blobs.exists() or not any(p.is_file() for p in blobs.rglob("*"))
        print(f"two machines: {COUNT} invoices exactly once, {2 * COUNT} blobs in PostgreSQL")
