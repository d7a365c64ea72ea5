"""The audit trail: an invoice's history, and the check of every invoice's hash chain.

:func:`verify` reads each invoice's events in order and checks, with the
domain's :func:`~einvoice.domain.audit.verify_chain`, that no event was edited,
removed, inserted or reordered, and that the chain ends in the head hash kept
on the invoice's workflow row (so cutting off or replacing the last event
shows). It also replays the events and compares the result with the stored
state: a status or signature changed in the database without an event is a
problem too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from einvoice.domain.approval import ActionKind
from einvoice.domain.audit import AuditEvent, verify_chain
from einvoice.errors import ConfigurationError
from einvoice.services import master_data
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import (
    NotFound,
    action_label_de,
    event_of,
    ports_of,
    status_label_de,
)
from einvoice.storage.tables import AuditEventRow, Invoice, Workflow


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One audit event as the history view shows it."""

    sequence: int
    at: datetime
    actor: str  # person id, or "system"
    actor_name: str
    action: str
    action_label_de: str
    from_state: str | None
    to_state: str
    to_state_label_de: str
    reason: str | None
    department: str | None
    acting_for: str | None  # the absent person a deputy acted for
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditProblem:
    invoice_id: int
    sequence: int | None  # the event concerned; None: the chain as a whole
    kind: str  # edited, broken_link, sequence, head, state, orphan
    message_de: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    invoices: int  # invoices whose chain was checked
    events: int
    problems: tuple[AuditProblem, ...]
    master_data_events: int = 0  # events of the creditor master data chain (checked too)

    @property
    def ok(self) -> bool:
        return not self.problems


def history(pipeline: Pipeline, invoice_id: int) -> tuple[HistoryEntry, ...]:
    """Every audit event of the invoice, oldest first."""
    names = _names(pipeline)
    with pipeline.sessions() as session:
        if session.get(Invoice, invoice_id) is None:
            raise NotFound(f"Rechnung {invoice_id} gibt es nicht.")
        rows = session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.invoice_id == invoice_id)
            .order_by(AuditEventRow.sequence)
        ).all()
        return tuple(_entry(event_of(r), names) for r in rows)


def _names(pipeline: Pipeline) -> dict[str, str]:
    try:
        config = ports_of(pipeline).routing()
    except ConfigurationError:
        return {}
    return {p.id: p.name for p in config.people} | {"system": "System"}


def _entry(event: AuditEvent, names: dict[str, str]) -> HistoryEntry:
    e = event.entry
    return HistoryEntry(
        sequence=event.sequence,
        at=e.at,
        actor=e.actor,
        actor_name=names.get(e.actor, e.actor),
        action=e.action,
        action_label_de=action_label_de(e.action),
        from_state=e.from_state,
        to_state=e.to_state,
        to_state_label_de=status_label_de(e.to_state),
        reason=e.reason,
        department=e.department,
        acting_for=e.acting_for,
        details=dict(e.details),
    )


def verify(pipeline: Pipeline) -> AuditReport:
    """Check the audit chain of every invoice in the workflow (and find orphaned events)."""
    problems: list[AuditProblem] = []
    invoices = events = 0
    with pipeline.sessions() as session:
        flows = {w.invoice_id: w for w in session.scalars(select(Workflow))}
        seen: set[int] = set()
        for invoice_id, chain in _chains(session):
            seen.add(invoice_id)
            invoices += 1
            events += len(chain)
            flow = flows.get(invoice_id)
            if flow is None:
                problems.append(
                    AuditProblem(
                        invoice_id,
                        None,
                        "orphan",
                        f"Rechnung {invoice_id}: Ereignisse ohne Freigabestand (Zeile in "
                        "'workflows' gelöscht?).",
                    )
                )
                continue
            problems += _check(invoice_id, chain, flow)
        for invoice_id, flow in flows.items():
            if invoice_id not in seen:
                invoices += 1
                problems += _check(invoice_id, [], flow)
        master_events, master_problems = master_data.verify(session)
        problems += [AuditProblem(0, p.sequence, p.kind, p.message_de) for p in master_problems]
    return AuditReport(invoices, events, tuple(problems), master_events)


def _chains(session: Session) -> Iterator[tuple[int, list[AuditEvent]]]:
    """The events grouped per invoice, streamed in (invoice, sequence) order."""
    rows = session.scalars(
        select(AuditEventRow)
        .order_by(AuditEventRow.invoice_id, AuditEventRow.sequence, AuditEventRow.id)
        .execution_options(yield_per=500)
    )
    current: int | None = None
    chain: list[AuditEvent] = []
    for row in rows:
        if row.invoice_id != current:
            if current is not None:
                yield current, chain
            current, chain = row.invoice_id, []
        chain.append(event_of(row))
    if current is not None:
        yield current, chain


def _check(invoice_id: int, chain: list[AuditEvent], flow: Workflow) -> list[AuditProblem]:
    found = [
        AuditProblem(
            invoice_id,
            chain[p.index].sequence if 0 <= p.index < len(chain) else None,
            p.kind.value,
            f"Rechnung {invoice_id}: {p.message_de}",
        )
        for p in verify_chain(chain, expected_head=flow.audit_head)
    ]
    if len(chain) != flow.audit_count:
        found.append(
            AuditProblem(
                invoice_id,
                None,
                "count",
                f"Rechnung {invoice_id}: {len(chain)} Ereignisse gespeichert, {flow.audit_count} "
                "geschrieben.",
            )
        )
    if chain and not found:
        found += _replay(invoice_id, chain, flow)
    return found


def _replay(invoice_id: int, chain: list[AuditEvent], flow: Workflow) -> list[AuditProblem]:
    """The state the events lead to must be the state stored on the workflow row."""
    signers: dict[str, str | None] = {
        "sachlich_by": None,
        "rechnerisch_by": None,
        "ordered_by": None,
        "ordered_for": None,
    }
    held: set[str] = set()
    for event in chain:
        action = event.entry.action
        if action in ("hold", "clear_hold"):  # payment holds (services.holds)
            code = dict(event.entry.details).get("code", "")
            held = held | {code} if action == "hold" else held - {code}
        if action == ActionKind.CONFIRM_SACHLICH.value:
            signers["sachlich_by"] = event.entry.actor
        elif action == ActionKind.CONFIRM_RECHNERISCH.value:
            signers["rechnerisch_by"] = event.entry.actor
        elif action == ActionKind.ORDER.value:
            signers["ordered_by"] = event.entry.actor
            signers["ordered_for"] = event.entry.acting_for
    last = chain[-1].entry
    expected = {
        "status": last.to_state,
        "department": last.department,
        **signers,
        "holds": ",".join(sorted(held)),
    }
    stored = {name: getattr(flow, name) for name in expected}
    differing = [name for name in expected if expected[name] != stored[name]]
    if not differing:
        return []
    detail = ", ".join(
        f"{n}: gespeichert {stored[n]!r}, laut Protokoll {expected[n]!r}" for n in differing
    )
    return [
        AuditProblem(
            invoice_id,
            None,
            "state",
            f"Rechnung {invoice_id}: der gespeicherte Stand weicht vom Protokoll ab ({detail}).",
        )
    ]
