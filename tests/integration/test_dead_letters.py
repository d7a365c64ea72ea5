"""Issue 23: dead letters at the broker are counted, alerted and re-driven.

The broker's dead-letter queue (``dramatiq:einvoice.XQ``) is filled the way an outage
fills it: the split of three stored e-mails fails (the blob store is unreadable) and the
retries run out. Then: ``einvoice status`` (JSON and text) and ``einvoice fsck`` count
them, the metric ``einvoice_broker_dead_letters`` says 3 and Prometheus' own rule tester
(promtool) fires ``EinvoiceBrokerDeadLetters`` for that value; once the store is back
the recovery re-drives the work from the database and empties the dead-letter queue,
and everything ends routed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from dramatiq import Worker
from prometheus_client import CollectorRegistry, generate_latest
from typer.testing import CliRunner

from einvoice import bootstrap
from einvoice.errors import TransientError
from einvoice.services import ingest
from einvoice.services.status import status
from einvoice.workers import QUEUE
from einvoice.workers.actors import actors, redrive, register
from einvoice.workers.metrics import DatabaseCollector
from einvoice.workers.recovery import Recovery
from tests.helpers import ROOT
from tests.integration.conftest import make_container
from tests.integration.mail import email_with, invoice_xml
from tests.integration.services import missing, postgres_database, redis_url

ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"


@pytest.fixture
def redis_container(tmp_path: Path) -> Iterator[bootstrap.Container]:
    url = redis_url()  # flushed
    with postgres_database() as database:
        built = make_container(tmp_path, database, broker=url)
        bootstrap.use(built)
        yield built
        built.engine.dispose()


def _wait(predicate, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _gauge(container: bootstrap.Container, name: str) -> float:
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(container.pipeline))
    for line in generate_latest(registry).decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not exported")


def _promtool_fires(value: float, tmp_path: Path) -> list[str]:
    """Alerts promtool's rule test sees firing after 6 minutes of the gauge at ``value``."""
    promtool = shutil.which("promtool")
    if promtool is None:
        missing("promtool", "apt-get install prometheus (done by .ci/run)")
    assert promtool is not None
    rule = next(
        r
        for group in yaml.safe_load(ALERTS.read_text())["groups"]
        for r in group["rules"]
        if r.get("alert") == "EinvoiceBrokerDeadLetters"
    )
    shown = f"{value:g}"
    expected = [
        {
            "exp_labels": {**rule.get("labels", {}), "job": "einvoice-state"},
            "exp_annotations": {
                k: v.replace("{{ $value }}", shown) for k, v in rule["annotations"].items()
            },
        }
    ]
    test = {
        "rule_files": [str(ALERTS)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {
                        "series": 'einvoice_broker_dead_letters{job="einvoice-state"}',
                        "values": f"{shown}x10",
                    }
                ],
                "alert_rule_test": [
                    {
                        "eval_time": "6m",
                        "alertname": "EinvoiceBrokerDeadLetters",
                        "exp_alerts": expected if value > 0 else [],
                    },
                    {
                        "eval_time": "3m",
                        "alertname": "EinvoiceBrokerDeadLetters",
                        "exp_alerts": [],
                    },  # "for: 5m": not at once
                ],
            }
        ],
    }
    path = tmp_path / f"dead-letters-{shown}.yml"
    path.write_text(yaml.safe_dump(test, allow_unicode=True), encoding="utf-8")
    done = subprocess.run([promtool, "test", "rules", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return ["EinvoiceBrokerDeadLetters"] if value > 0 else []


def _cli_status(container: bootstrap.Container, *args: str) -> str:
    from einvoice.cli import app

    result = CliRunner().invoke(app, ["status", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_dead_letters_are_counted_alerted_and_re_driven(
    redis_container: bootstrap.Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    container = redis_container
    pipeline = container.pipeline
    broker = bootstrap.make_broker(container.settings.broker_url)
    register(broker)
    messages = [
        ingest.receive(pipeline, email_with([(f"r{i}.xml", invoice_xml(700 + i))]), "mail", "t")
        for i in range(3)
    ]
    store = pipeline.blobs
    real_get = store.get

    def unreadable(sha256: str) -> bytes:
        raise TransientError("Blob-Speicher nicht erreichbar (Test)")

    monkeypatch.setattr(store, "get", unreadable)
    for received in messages:  # retries run out at once: straight into the dead letters
        actors().split.send_with_options(args=(received.message_id,), max_retries=0)
    worker = Worker(broker, worker_threads=2)
    worker.start()
    try:
        _wait(lambda: pipeline.broker.counts()["dead_letters"] == 3)  # type: ignore[union-attr]

        # counted: status (JSON and text), fsck, the metric; alerted: the rule fires
        counts = status(pipeline)
        assert counts["broker"]["dead_letters"] == 3 and counts["pending"] == 3
        assert json.loads(_cli_status(container, "--format", "json"))["broker"]["dead_letters"] == 3
        assert "Dead Letters: 3" in _cli_status(container)
        from einvoice.cli import app

        fsck = CliRunner().invoke(app, ["fsck", "--quick", "--format", "json"])
        assert fsck.exit_code == 1
        assert json.loads(fsck.output)["counts"]["dead_letter"] == 1
        assert _gauge(container, "einvoice_broker_dead_letters") == 3.0
        assert _promtool_fires(3.0, tmp_path) == ["EinvoiceBrokerDeadLetters"]

        # while the fault lasts the recovery waits; when it is over it re-drives from the DB
        recovery = Recovery(container, redrive, lambda: None)
        recovery.probe = lambda c: "Blob-Speicher nicht lesbar (Test)"
        assert recovery.check() is None
        assert pipeline.broker.counts()["dead_letters"] == 3  # type: ignore[union-attr]
        monkeypatch.setattr(store, "get", real_get)
        recovery.probe = lambda c: None
        reason = recovery.check()
        assert reason is not None and "behoben" in reason
        assert pipeline.broker.counts()["dead_letters"] == 0  # type: ignore[union-attr]
        _wait(lambda: status(pipeline)["pending"] == 0 and status(pipeline)["invoices"] == 3)
        broker.join(QUEUE, timeout=60_000)
    finally:
        worker.stop()
        broker.close()
    counts = status(pipeline)
    assert counts["broker"]["dead_letters"] == 0 and counts["unrouted"] == 0
    assert counts["failed"] == 0 and counts["stuck"] == 0
    assert _gauge(container, "einvoice_broker_dead_letters") == 0.0
    assert _promtool_fires(0.0, tmp_path) == []


def test_a_dead_letter_whose_work_is_done_is_dropped_not_repeated(
    redis_container: bootstrap.Container,
) -> None:
    """The database's truth decides: finished work is not enqueued again."""
    pipeline = redis_container.pipeline
    broker = bootstrap.make_broker(redis_container.settings.broker_url)
    register(broker)
    received = ingest.receive(pipeline, email_with([("r.xml", invoice_xml(9))]), "mail", "t")
    ingest.split(pipeline, received.message_id)  # done meanwhile (documents stored)
    import redis

    client = redis.Redis.from_url(redis_container.settings.broker_url)
    body = json.dumps({"actor_name": "split_message", "args": [received.message_id]})
    client.zadd(f"dramatiq:{QUEUE}.XQ", {"old-1": time.time() * 1000})
    client.hset(f"dramatiq:{QUEUE}.XQ.msgs", "old-1", body)
    assert status(pipeline)["broker"]["dead_letters"] == 1
    result = redrive("Test")
    assert result.dead_letters == 1 and result.messages == 0  # split already: not again
    assert result.documents == 1  # but its stored document is pending: enqueued
    assert status(pipeline)["broker"]["dead_letters"] == 0
    broker.close()
