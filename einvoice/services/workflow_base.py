"""What the workflow services share: errors, stored state <-> domain, the audit chain.

The domain decides (``einvoice.domain.approval``); this module only moves its
answers in and out of the tables: :func:`state_of` reads an
:class:`~einvoice.domain.approval.ApprovalState` from a workflow row,
:func:`store_transition` writes the new state and seals the transition's audit
entry into the invoice's hash chain (:func:`append_event`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import StaleDataError

from einvoice.domain.approval import (
    ACTION_LABELS_DE,
    STATUS_LABELS_DE,
    ActionKind,
    ApprovalState,
    Status,
    Transition,
)
from einvoice.domain.audit import AuditEntry, AuditEvent, seal
from einvoice.errors import PermanentError
from einvoice.services.ports import Pipeline, WorkflowPorts
from einvoice.storage.tables import AuditEventRow, Invoice, Workflow


class WorkflowError(PermanentError):
    """Root of the workflow services' errors (messages in German; retrying will not help)."""


class NotFound(WorkflowError, LookupError):
    """The invoice (or department) does not exist, or is not in the workflow yet."""


class BadRequest(WorkflowError, ValueError):
    """The request itself is wrong (unknown sort key, format, filter)."""


class NotConfigured(WorkflowError):
    """The pipeline was built without the workflow ports (routing, mail, export)."""


class Refused(WorkflowError):
    """The workflow does not allow the action; ``reason_de`` says why (for the user).

    ``code`` is the domain's refusal code (``four_eyes``, ``limit``, ``role``, ...)
    or ``conflict`` (someone else changed the invoice at the same moment),
    ``unknown_action``, ``unknown_person``.
    """

    def __init__(self, code: str, reason_de: str) -> None:
        super().__init__(reason_de)
        self.code = code
        self.reason_de = reason_de


#: The extra action next to the state machine's: a comment changes no state.
COMMENT = "comment"


def action_label_de(action: str) -> str:
    """``confirm_sachlich`` -> ``sachlich richtig zeichnen``."""
    if action == COMMENT:
        return "kommentieren"
    try:
        return ACTION_LABELS_DE[ActionKind(action)]
    except ValueError:
        return _OTHER_ACTIONS_DE.get(action, action)


#: Protocol entries beside the state machine's actions (payment holds, creditor), so the
#: CLI's history never shows a raw key like "hold".
_OTHER_ACTIONS_DE = {
    "receive": "eingegangen",
    "hold": "Zahlung sperren",
    "clear_hold": "Zahlungssperre aufheben",
    "propose_creditor": "Kreditor vorschlagen",
    "assign_creditor": "Kreditor zuordnen",
    "kontierung": "kontieren",
    "paid": "bezahlt (Zahlungsrückmeldung)",  # issue 24
    "payment": "Teilzahlung zugeordnet",
}


def status_label_de(status: str | None) -> str:
    if status is None:
        return "nicht im Freigabeverfahren"
    try:
        return STATUS_LABELS_DE[Status(status)]
    except ValueError:
        return status


def ports_of(pipeline: Pipeline) -> WorkflowPorts:
    if pipeline.workflow is None:
        raise NotConfigured("Der Freigabe-Arbeitsablauf ist nicht eingerichtet (WorkflowPorts).")
    return pipeline.workflow


def now_local(pipeline: Pipeline) -> datetime:
    """The pipeline's clock in the city's time zone (deputy dates, deadlines)."""
    return pipeline.clock().astimezone(ports_of(pipeline).zone)


def aware(value: datetime) -> datetime:
    """A stored time with its zone (SQLite hands back naive UTC times)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def workflow_row(session: Session, invoice_id: int) -> Workflow:
    row = session.get(Workflow, invoice_id)
    if row is not None:
        return row
    if session.get(Invoice, invoice_id) is None:
        raise NotFound(f"Rechnung {invoice_id} gibt es nicht.")
    raise NotFound(f"Rechnung {invoice_id} ist noch nicht im Freigabeverfahren (nicht zugeordnet).")


CONFLICT_DE = (
    "Die Rechnung wurde gerade von jemand anderem bearbeitet (bereits entschieden). Bitte "
    "neu laden und noch einmal versuchen."
)


@contextmanager
def conflicts_refused(session: Session, reason_de: str = CONFLICT_DE) -> Iterator[None]:
    """Two people changing the same invoice at the same moment: whatever flush meets the
    other's committed change (a stale row version, a taken audit sequence) becomes
    :class:`Refused` ``decided`` in German, never a 500."""
    try:
        yield
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise Refused("decided", reason_de) from exc


#: Invoice events of a person deciding a payment hold: clearing one, naming the creditor of
#: an unknown supplier (proposing or confirming; services.holds, services.creditor_assignment)
HOLD_DECISIONS = ("clear_hold", "propose_creditor", "assign_creditor")


def hold_deciders(session: Session, invoice_id: int) -> frozenset[str]:
    """Who cleared or decided a payment hold of the invoice (from its audit chain)."""
    actors = session.scalars(
        select(AuditEventRow.actor).where(
            AuditEventRow.invoice_id == invoice_id, AuditEventRow.action.in_(HOLD_DECISIONS)
        )
    )
    return frozenset(a for a in actors if a and a != "system")


def state_of(row: Workflow) -> ApprovalState:
    """The workflow row as the domain's state (with its hold deciders when ``row`` is attached
    to a session: separation of duties, they may not order)."""
    session = object_session(row)
    return ApprovalState(
        invoice_id=str(row.invoice_id),
        amount=Decimal(row.amount),
        status=Status(row.status),
        department=row.department,
        sachlich_by=row.sachlich_by,
        rechnerisch_by=row.rechnerisch_by,
        ordered_by=row.ordered_by,
        ordered_for=row.ordered_for,
        holds=frozenset(c for c in (row.holds or "").split(",") if c),
        hold_deciders=hold_deciders(session, row.invoice_id) if session else frozenset(),
    )


def put_state(row: Workflow, state: ApprovalState, at: datetime) -> None:
    row.status = state.status.value
    row.department = state.department
    row.sachlich_by = state.sachlich_by
    row.rechnerisch_by = state.rechnerisch_by
    row.ordered_by = state.ordered_by
    row.ordered_for = state.ordered_for
    row.updated_at = at.astimezone(UTC)


def event_of(row: AuditEventRow) -> AuditEvent:
    """The stored event as the domain's value (for :func:`~einvoice.domain.audit.verify_chain`)."""
    entry = AuditEntry(
        invoice_id=str(row.invoice_id),
        action=row.action,
        actor=row.actor,
        at=aware(row.at),
        from_state=row.from_state,
        to_state=row.to_state,
        reason=row.reason,
        department=row.department,
        acting_for=row.acting_for,
        details=tuple(sorted((str(k), str(v)) for k, v in (row.details or {}).items())),
    )
    return AuditEvent(row.sequence, entry, row.previous_hash, row.hash)


def last_event(session: Session, row: Workflow) -> AuditEvent | None:
    if row.audit_count == 0:
        return None
    stored = session.scalars(
        select(AuditEventRow).where(
            AuditEventRow.invoice_id == row.invoice_id,
            AuditEventRow.sequence == row.audit_count - 1,
        )
    ).first()
    return event_of(stored) if stored is not None else None


def append_event(
    session: Session, row: Workflow, entry: AuditEntry, previous: AuditEvent | None
) -> AuditEvent:
    """Seal ``entry`` after ``previous``, store it and move the chain head on the row."""
    event = seal(entry, previous)
    session.add(
        AuditEventRow(
            invoice_id=row.invoice_id,
            sequence=event.sequence,
            action=entry.action,
            actor=entry.actor,
            at=entry.at.astimezone(UTC),
            from_state=entry.from_state,
            to_state=entry.to_state,
            reason=entry.reason,
            department=entry.department,
            acting_for=entry.acting_for,
            details=dict(entry.details),
            previous_hash=event.previous_hash,
            hash=event.hash,
        )
    )
    row.audit_head = event.hash
    row.audit_count = event.sequence + 1
    return event


def store_transition(session: Session, row: Workflow, transition: Transition) -> AuditEvent:
    """The domain's transition written: the row's new state and its one audit event."""
    previous = last_event(session, row)
    put_state(row, transition.state, transition.event.at)
    return append_event(session, row, transition.event, previous)
