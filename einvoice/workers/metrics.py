"""Prometheus metrics: processing time and outcomes (per worker), queue depth (from the DB).

Per-worker metrics are exported through dramatiq's Prometheus middleware when
``EINVOICE_METRICS_PORT`` is set; the database collector (documents and
messages per state, pending work) is served by ``einvoice worker`` on the
next port.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

PROCESSING_SECONDS = Histogram(
    "einvoice_processing_seconds",
    "Time to validate, extract and record one document",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
OUTCOMES = Counter("einvoice_documents_total", "Processed documents by outcome", ["outcome"])


class DatabaseCollector(Collector):
    """Queue depth and states, read from the database (the source of truth)."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from einvoice.services.status import status

        counts = status(self.pipeline)
        pending = GaugeMetricFamily(
            "einvoice_pending", "Work not yet finished (messages+documents)"
        )
        pending.add_metric([], counts["pending"])
        yield pending
        documents = GaugeMetricFamily("einvoice_documents", "Documents by state", labels=["state"])
        for state, value in counts["document_states"].items():
            documents.add_metric([state], value)
        yield documents
        messages = GaugeMetricFamily("einvoice_messages", "Messages by state", labels=["state"])
        for state, value in counts["message_states"].items():
            messages.add_metric([state], value)
        yield messages
        invoices = GaugeMetricFamily(
            "einvoice_invoices", "Distinct invoices by recommendation", labels=["recommendation"]
        )
        invoices.add_metric(["accept"], counts["accepted"])
        invoices.add_metric(["reject"], counts["rejected"])
        yield invoices
