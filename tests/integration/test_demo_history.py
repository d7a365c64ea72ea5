"""The demo's pilot history: dated around today, never after the moment the demo runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from einvoice.bootstrap import Container
from einvoice.services import workflow
from einvoice.services.demo_history import seed_pilot_history
from einvoice.storage.tables import AuditEventRow
from tests.integration.workflow_setup import receive, sample, setup


def test_pilot_history_has_nothing_after_now(container: Container) -> None:
    # Tried: the demo run at 02:22 showed invoices "eingegangen 02.12.2026 12:56", an order
    # at 14:05 and the samples signed at 02:32/02:42 - all later than the moment it ran.
    s = setup(container)
    shipped = receive(s.pipeline, sample(1))  # like the demo's own samples, still open
    workflow.route(s.pipeline, shipped)
    now = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)
    done = seed_pilot_history(s.pipeline, now.date(), weeks=2, now=now)
    assert done.received > 0
    with s.pipeline.sessions() as session:
        latest = session.scalar(select(func.max(AuditEventRow.at)))
        today = session.scalar(
            select(func.count(AuditEventRow.id)).where(
                AuditEventRow.at >= datetime(2026, 12, 2, tzinfo=UTC).replace(tzinfo=None)
            )
        )
    assert latest is not None
    latest = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
    assert latest <= now + timedelta(seconds=5), latest  # only the samples' sign-offs after now
    assert today  # the morning's work is there
    assert workflow.invoice_detail(s.pipeline, shipped).status in ("angeordnet", "exported")
