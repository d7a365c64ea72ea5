"""`einvoice worker` with metrics on, started as the deployment starts it (issue 22, finding 1:
it crashed at start with DuplicateTimeseries 'einvoice_documents' whenever
EINVOICE_METRICS_PORT was set). Two replicas with two processes each, one PostgreSQL and
one Redis: every replica serves the sum over its own processes on PORT and the database
state on PORT+1, and the replicas' counters add up to the documents processed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import einvoice_cmd
from tests.integration import deployed, workerfarm
from tests.integration.services import free_port, postgres_database, redis_url

INVOICES = 6


def _port_pair() -> int:
    for _ in range(50):
        port = free_port()
        if deployed.port_free(port + 1):
            return port
    raise AssertionError("no two free ports side by side")


def test_worker_starts_with_metrics_as_the_issue_ran_it(tmp_path: Path) -> None:
    """The reproduction of the finding, word for word: one process, a maildir source."""
    maildir = tmp_path / "Maildir"
    workerfarm.fill_maildir(maildir, 1, first_seed=4200)
    with postgres_database() as url:
        port = _port_pair()
        env = workerfarm.env_for(
            url, redis_url(), tmp_path / "data", EINVOICE_METRICS_PORT=str(port)
        )
        assert workerfarm.cli(env, "db", "upgrade").returncode == 0
        command = [*einvoice_cmd(), "worker", "--processes", "1", "--source", f"maildir:{maildir}"]
        with deployed.started("worker", command, env, tmp_path / "worker.log") as worker:
            deployed.wait_for(worker, f"http://127.0.0.1:{port}/metrics")
            state = deployed.wait_for(worker, f"http://127.0.0.1:{port + 1}/metrics")
            assert "einvoice_pending" in state
            time.sleep(2)
            worker.assert_running()
        assert "DuplicateTimeseries" not in worker.output()


@pytest.mark.slow
def test_two_replicas_with_two_processes_each_serve_their_metrics(tmp_path: Path) -> None:
    maildir = tmp_path / "Maildir"
    workerfarm.fill_maildir(maildir, INVOICES, first_seed=4300)
    with postgres_database() as url:
        broker = redis_url()
        ports = [_port_pair(), 0]
        ports[1] = next(p for p in iter(_port_pair, None) if abs(p - ports[0]) > 1)
        envs = [
            workerfarm.env_for(
                url,
                broker,
                tmp_path / f"data{i}",
                EINVOICE_METRICS_PORT=str(port),
                EINVOICE_BLOB_STORE="database",
                EINVOICE_POLL_INTERVAL="2",
            )
            for i, port in enumerate(ports)
        ]
        assert workerfarm.cli(envs[0], "db", "upgrade").returncode == 0
        command = [*einvoice_cmd(), "worker", "--processes", "2", "--source", f"maildir:{maildir}"]
        with (
            deployed.started("replica 1", command, envs[0], tmp_path / "r1.log") as first,
            deployed.started("replica 2", command, envs[1], tmp_path / "r2.log") as second,
        ):
            replicas = [(first, ports[0]), (second, ports[1])]

            def state() -> str:
                return deployed.wait_for(first, f"http://127.0.0.1:{ports[0] + 1}/metrics")

            def done() -> bool:
                text = state()
                return (
                    deployed.total(text, "einvoice_invoices") == INVOICES
                    and deployed.total(text, "einvoice_pending") == 0
                )

            assert workerfarm.wait_until(done, timeout=180), state()
            processed = 0.0
            for replica, port in replicas:
                replica.assert_running()
                text = deployed.wait_for(replica, f"http://127.0.0.1:{port}/metrics")
                processed += deployed.total(text, "einvoice_documents_total")
                assert "einvoice_processing_seconds_bucket" in text
                # dramatiq's message metrics of both processes, through the one endpoint
                assert deployed.total(text, "dramatiq_messages_total") > 0
                replica_state = deployed.wait_for(replica, f"http://127.0.0.1:{port + 1}/metrics")
                assert deployed.total(replica_state, "einvoice_documents") == INVOICES
            assert processed == INVOICES
        for replica, _port in replicas:
            assert "Traceback" not in replica.output(), replica.tail()


def test_worker_without_a_mailbox_says_so_and_a_bad_one_is_recorded(tmp_path: Path) -> None:
    """Issue 22, finding 3: an empty --source (an unset variable in the unit) made a
    traceback every interval and no poll was recorded, so no alert could fire."""
    port = _port_pair()
    env = workerfarm.env_for(
        f"sqlite:///{tmp_path / 'einvoice.db'}",
        redis_url(),
        tmp_path / "data",
        EINVOICE_METRICS_PORT=str(port),
        EINVOICE_POLL_INTERVAL="1",
    )
    for name in ("EINVOICE_MAILBOXES", "EINVOICE_MAILBOX"):
        env.pop(name, None)
    assert workerfarm.cli(env, "db", "upgrade").returncode == 0
    nothing = [*einvoice_cmd(), "worker", "--source", ""]
    with deployed.started("no mailbox", nothing, env, tmp_path / "none.log") as worker:
        own = deployed.wait_for(worker, f"http://127.0.0.1:{port}/metrics")
        assert deployed.total(own, "einvoice_worker_mailboxes") == 0
        assert workerfarm.wait_until(lambda: "kein Postfach ab" in worker.output(), 30)
        assert "leere --source-Angabe ignoriert" in worker.output()
    bad = [*einvoice_cmd(), "worker", "--source", "gibt-es-nicht"]
    with deployed.started("bad mailbox", bad, env, tmp_path / "bad.log") as worker:

        def recorded() -> bool:
            state = deployed.wait_for(worker, f"http://127.0.0.1:{port + 1}/metrics")
            return deployed.total(state, "einvoice_mailbox_poll_error", source="gibt-es-nicht") == 1

        assert workerfarm.wait_until(recorded, 60), worker.tail()
        worker.assert_running()
    assert "Traceback" not in worker.output(), worker.tail()
    assert "Konfigurationsfehler: unbekannte Quelle 'gibt-es-nicht'" in worker.output()
