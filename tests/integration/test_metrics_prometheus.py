"""Prometheus: queue depth and states from the database, processing time and outcomes."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from einvoice.bootstrap import Container
from einvoice.services import ingest
from einvoice.workers.metrics import OUTCOMES, PROCESSING_SECONDS, DatabaseCollector
from tests.integration.mail import email_with, invoice_xml


def test_database_collector_reports_queue_depth_and_states(container: Container) -> None:
    pipeline = container.pipeline
    received = ingest.receive(pipeline, email_with([("r.xml", invoice_xml(31))]), "mail", "t")
    ingest.split(pipeline, received.message_id)  # one document waiting: pending = 1
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(pipeline))
    text = generate_latest(registry).decode()
    assert "einvoice_pending 1.0" in text
    assert 'einvoice_documents{state="stored"} 1.0' in text
    assert 'einvoice_messages{state="split"} 1.0' in text


def test_worker_metrics_are_defined() -> None:
    with PROCESSING_SECONDS.time():
        pass
    OUTCOMES.labels("processed").inc()
    assert OUTCOMES.labels("processed")._value.get() >= 1  # type: ignore[attr-defined]
