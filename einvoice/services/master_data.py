"""The hash-chained audit trail of the master data (creditors, bank accounts, bindings).

Every change of the creditor master data is one event in a single chain
(``master_data_events``), sealed with the domain's :func:`~einvoice.domain.audit.seal`;
the chain's head is kept apart (``chain_heads``) so cutting events off the
end shows in :func:`verify`. Services call :func:`record` inside their own
transaction (the event and the change commit together).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from einvoice.domain.audit import AuditEntry, AuditEvent, seal, verify_chain
from einvoice.storage.creditor_tables import ChainHeadRow, MasterDataEventRow

CHAIN = "master_data"


@dataclass(frozen=True, slots=True)
class MasterDataProblem:
    sequence: int | None
    kind: str
    message_de: str


def _entry(row: MasterDataEventRow) -> AuditEntry:
    at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=UTC)
    return AuditEntry(
        invoice_id=row.subject,
        action=row.action,
        actor=row.actor,
        at=at,
        from_state=None,
        to_state="",
        reason=row.reason,
        details=tuple(sorted((str(k), str(v)) for k, v in (row.details or {}).items())),
    )


def _event(row: MasterDataEventRow) -> AuditEvent:
    return AuditEvent(row.sequence, _entry(row), row.previous_hash, row.hash)


def record(
    session: Session,
    subject: str,
    action: str,
    actor: str,
    at: datetime,
    reason: str | None = None,
    details: dict[str, str] | None = None,
) -> AuditEvent:
    """Append one event (in the caller's transaction; the caller commits)."""
    head = session.get(ChainHeadRow, CHAIN, with_for_update=True)
    previous: AuditEvent | None = None
    if head is not None and head.count:
        last = session.scalars(
            select(MasterDataEventRow).where(MasterDataEventRow.sequence == head.count - 1)
        ).one()
        previous = _event(last)
    entry = AuditEntry(
        invoice_id=subject,
        action=action,
        actor=actor,
        at=at,
        from_state=None,
        to_state="",
        reason=reason,
        details=tuple(sorted((details or {}).items())),
    )
    event = seal(entry, previous)
    session.add(
        MasterDataEventRow(
            sequence=event.sequence,
            subject=subject,
            action=action,
            actor=actor,
            at=at.astimezone(UTC),
            reason=reason,
            details=dict(entry.details),
            previous_hash=event.previous_hash,
            hash=event.hash,
        )
    )
    if head is None:
        session.add(ChainHeadRow(name=CHAIN, head=event.hash, count=1))
    else:
        head.head = event.hash
        head.count = event.sequence + 1
    session.flush()
    return event


def history(session: Session, subject: str) -> list[AuditEvent]:
    rows = session.scalars(
        select(MasterDataEventRow)
        .where(MasterDataEventRow.subject == subject)
        .order_by(MasterDataEventRow.sequence)
    )
    return [_event(r) for r in rows]


def verify(session: Session) -> tuple[int, list[MasterDataProblem]]:
    """(events checked, problems) of the master data chain."""
    rows = session.scalars(
        select(MasterDataEventRow).order_by(MasterDataEventRow.sequence, MasterDataEventRow.id)
    ).all()
    events = [_event(r) for r in rows]
    head = session.get(ChainHeadRow, CHAIN)
    problems = [
        MasterDataProblem(
            events[p.index].sequence if 0 <= p.index < len(events) else None,
            p.kind.value,
            f"Stammdaten: {p.message_de}",
        )
        for p in verify_chain(events, expected_head=head.head if head else None)
    ]
    count = head.count if head else 0
    if count != len(events):
        problems.append(
            MasterDataProblem(
                None,
                "count",
                f"Stammdaten: {len(events)} Ereignisse gespeichert, {count} geschrieben.",
            )
        )
    return len(events), problems
