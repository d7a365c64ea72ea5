"""Export batches as people name them: "Zahllauf vom 02.12.2026, Nr. 3".

A batch's id (a UUID) stays what files, URLs and the HKR see; people read the day of the
run in the city's time zone and its number on that day (1 for the first run of the day,
ordered by time, then id). Batches are never deleted, so a run keeps its number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from einvoice.services.workflow_base import aware
from einvoice.storage.tables import ExportBatch


@dataclass(frozen=True, slots=True)
class PaymentRun:
    """One export batch with its readable name."""

    batch_id: str
    day: date  # in the city's time zone
    number: int  # 1, 2, ... on that day

    @property
    def label_de(self) -> str:
        return payment_run_label(self.day, self.number)


def payment_run_label(day: date, number: int) -> str:
    """``Zahllauf vom 02.12.2026, Nr. 3``."""
    return f"Zahllauf vom {day:%d.%m.%Y}, Nr. {number}"


def payment_run(session: Session, batch_id: str, zone: tzinfo) -> PaymentRun | None:
    """The run of ``batch_id`` (None when there is no such batch)."""
    batch = session.get(ExportBatch, batch_id)
    if batch is None:
        return None
    created = aware(batch.created_at)
    day = created.astimezone(zone).date()
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    earlier = session.scalar(
        select(func.count())
        .select_from(ExportBatch)
        .where(
            ExportBatch.created_at >= start,
            or_(
                ExportBatch.created_at < batch.created_at,
                and_(ExportBatch.created_at == batch.created_at, ExportBatch.id < batch.id),
            ),
        )
    )
    return PaymentRun(batch_id, day, int(earlier or 0) + 1)


def run_label_de(session: Session, batch_id: str, zone: tzinfo) -> str:
    """The readable name of ``batch_id``; the id itself if the batch is unknown."""
    run = payment_run(session, batch_id, zone)
    return run.label_de if run is not None else batch_id
