"""Prometheus gauges for operations, read from the database: mailbox poll age, e-mails
stuck in the outbox, dead letters and the audit chain (verified at most every 10 minutes).

The alert rules in ``deploy/prometheus/alerts.yml`` use exactly these names.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

AUDIT_EVERY = 600.0  # seconds between two audit chain verifications


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class OperationsCollector(Collector):
    def __init__(self, pipeline: Any, audit_every: float = AUDIT_EVERY) -> None:
        self.pipeline = pipeline
        self.audit_every = audit_every
        self._lock = threading.Lock()
        self._audit: tuple[float, int, float] | None = None  # checked at, problems, took

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from einvoice.storage.tables import Document, Notification, SourcePoll

        now = datetime.now(UTC)
        with self.pipeline.sessions() as session:
            polls = session.execute(
                select(SourcePoll.source, SourcePoll.polled_at, SourcePoll.error)
            ).all()
            failed = session.scalar(
                select(func.count()).select_from(Document).where(Document.state == "failed")
            )
            outbox = session.execute(
                select(Notification.status, func.count(), func.min(Notification.created_at))
                .where(Notification.status != "sent")
                .group_by(Notification.status)
            ).all()
        age = GaugeMetricFamily(
            "einvoice_mailbox_poll_age_seconds",
            "Seconds since the last poll of each mailbox",
            labels=["source"],
        )
        errors = GaugeMetricFamily(
            "einvoice_mailbox_poll_error",
            "1 if the last poll of the mailbox failed",
            labels=["source"],
        )
        for source, polled_at, error in polls:
            age.add_metric([source], (now - _aware(polled_at)).total_seconds())
            errors.add_metric([source], 1.0 if error else 0.0)
        yield age
        yield errors
        dead = GaugeMetricFamily(
            "einvoice_dead_letters", "Documents that ended in state failed (einvoice failures)"
        )
        dead.add_metric([], float(failed or 0))
        yield dead
        waiting = GaugeMetricFamily(
            "einvoice_outbox_emails", "E-mails not sent yet, by status", labels=["status"]
        )
        oldest = GaugeMetricFamily(
            "einvoice_outbox_oldest_seconds",
            "Age of the oldest e-mail not sent yet, by status",
            labels=["status"],
        )
        for status, count, first in outbox:
            waiting.add_metric([status], float(count))
            oldest.add_metric([status], (now - _aware(first)).total_seconds() if first else 0.0)
        yield waiting
        yield oldest
        checked_at, problems, took = self._audit_state()
        chain = GaugeMetricFamily(
            "einvoice_audit_chain_problems", "Problems found by the last audit chain verification"
        )
        chain.add_metric([], float(problems))
        yield chain
        when = GaugeMetricFamily(
            "einvoice_audit_chain_verified_timestamp_seconds",
            "When the audit chain was last verified (Unix time)",
        )
        when.add_metric([], checked_at)
        yield when
        duration = GaugeMetricFamily(
            "einvoice_audit_chain_verify_seconds", "How long the last verification took"
        )
        duration.add_metric([], took)
        yield duration

    def _audit_state(self) -> tuple[float, int, float]:
        from einvoice.services.audit_trail import verify

        with self._lock:
            if self._audit is None or time.time() - self._audit[0] >= self.audit_every:
                started = time.monotonic()
                report = verify(self.pipeline)
                self._audit = (time.time(), len(report.problems), time.monotonic() - started)
            return self._audit
