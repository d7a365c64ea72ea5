"""Naming the creditor of an invoice held as ``unknown-supplier`` (four eyes).

Creditor accounting names the creditor in two steps by two people:

1. the first person proposes it (:func:`assign_creditor`): the invoice keeps its
   hold, the proposal is the creditor shown beside it (``proposal_id``) and an
   event ``propose_creditor`` in the invoice's chain;
2. a second person names the same creditor: the invoice is assigned to it (event
   ``assign_creditor``), the hold cleared, and a hold placed for any of its IBANs
   the creditor does not have as verified.

Who proposed cannot confirm (nor clear the hold with ``holds.clear``); a second
person who names another creditor makes a new proposal, which a third confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from einvoice.domain import holds as rules
from einvoice.domain.audit import AuditEntry
from einvoice.domain.creditors import Creditor, MatchedBy
from einvoice.domain.holds import Hold, HoldCode
from einvoice.services import creditor_records as creditors
from einvoice.services.holds import (
    FOUR_EYES_ASSIGNMENT_DE,
    clear_row,
    commit_decision,
    hold_of,
    holds_in,
    place_hold,
    release_answered,
)
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import (
    Refused,
    append_event,
    conflicts_refused,
    last_event,
    now_local,
    workflow_row,
)
from einvoice.storage.creditor_tables import HoldRow, InvoiceSupplierRow
from einvoice.storage.tables import Workflow

ALREADY_DECIDED_DE = (
    "Über den Kreditor dieser Rechnung wurde gerade von jemand anderem entschieden (bereits "
    "entschieden). Bitte die Seite neu laden."
)


@dataclass(frozen=True, slots=True)
class Assignment:
    """What naming the creditor did: ``confirmed`` (assigned) or a proposal waiting."""

    confirmed: bool
    creditor_label: str  # "K-70001 Bürobedarf Hansen GmbH"
    proposed_by: str  # who proposed (the first person)
    holds: tuple[Hold, ...]


def assign_creditor(
    pipeline: Pipeline, invoice_id: int, creditor_ref: str, actor: str, reason: str
) -> Assignment:
    """``actor`` (creditor accounting) names the creditor of an invoice with an unknown
    supplier: a proposal, or the confirmation of another person's (module docstring).

    Refused (German) when the invoice does not wait for it, without a reason, to who
    signed the invoice, and to who proposed this creditor (``four_eyes``).
    """
    creditor = creditors.find(pipeline, creditor_ref)
    label = f"{creditor.number} {creditor.name}"
    at = now_local(pipeline)
    with pipeline.sessions() as session, conflicts_refused(session, ALREADY_DECIDED_DE):
        row = workflow_row(session, invoice_id)
        supplier = session.get(InvoiceSupplierRow, invoice_id)
        hold = session.scalars(
            select(HoldRow).where(
                HoldRow.invoice_id == invoice_id, HoldRow.code == HoldCode.UNKNOWN_SUPPLIER.value
            )
        ).first()
        if supplier is not None and hold is not None and hold.cleared_at is not None:
            raise Refused(
                "decided",
                f"Der Kreditor dieser Rechnung ist bereits zugeordnet (bereits entschieden von "
                f"{hold.cleared_by}).",
            )
        if supplier is None or hold is None:
            raise Refused("state", "Die Rechnung wartet nicht auf die Zuordnung eines Kreditors.")
        refusal = rules.may_clear(
            hold_of(hold),
            actor,
            (row.sachlich_by, row.rechnerisch_by, row.ordered_by),
            reason,
            creditor_accounting=True,
            department_clerk=False,
            by_hand=False,
        )
        if refusal is not None:
            raise Refused(refusal.code, refusal.reason_de)
        pending = creditors.pending_assignment(session, invoice_id)
        if pending is None or pending.creditor_id != creditor.id:
            supplier.proposal_id = creditor.id
            _event(session, row, creditors.PROPOSE_CREDITOR, actor, at, reason, creditor, None)
            commit_decision(session, ALREADY_DECIDED_DE)
            return Assignment(False, label, actor, tuple(holds_in(session, invoice_id)))
        if pending.proposed_by == actor:
            raise Refused("four_eyes", FOUR_EYES_ASSIGNMENT_DE)
        _event(
            session,
            row,
            creditors.ASSIGN_CREDITOR,
            actor,
            at,
            reason,
            creditor,
            pending.proposed_by,
        )
        refusal = clear_row(
            session,
            row,
            hold,
            actor,
            reason,
            at,
            creditor_accounting=True,
            department_clerk=False,
            by_hand=False,
        )
        if refusal is not None:  # checked above; the hold row cannot have changed since
            raise Refused(refusal.code, refusal.reason_de)
        supplier.creditor_id, supplier.matched_by = creditor.id, MatchedBy.ASSIGNED.value
        supplier.proposal_id = None
        _hold_unverified_ibans(session, row, supplier, creditor, at)
        release_answered(session, pipeline, actor, reason, at, invoice_ids=(invoice_id,))
        commit_decision(session, ALREADY_DECIDED_DE)
        return Assignment(True, label, pending.proposed_by, tuple(holds_in(session, invoice_id)))


def _event(
    session: Session,
    row: Workflow,
    action: str,
    actor: str,
    at: datetime,
    reason: str,
    creditor: Creditor,
    proposed_by: str | None,
) -> None:
    details = [("creditor_id", str(creditor.id)), ("creditor_number", creditor.number)]
    if proposed_by is not None:
        details.append(("proposed_by", proposed_by))
    entry = AuditEntry(
        invoice_id=str(row.invoice_id),
        action=action,
        actor=actor,
        at=at,
        from_state=row.status,
        to_state=row.status,
        reason=reason.strip(),
        department=row.department,
        details=tuple(details),
    )
    append_event(session, row, entry, last_event(session, row))


def _hold_unverified_ibans(
    session: Session,
    row: Workflow,
    supplier: InvoiceSupplierRow,
    creditor: Creditor,
    at: datetime,
) -> None:
    unknown = [i for i in supplier.ibans.split(",") if i and not creditor.payable_to(i)]
    if not unknown:
        return
    facts = rules.SupplierFacts(
        creditor.id,
        f"{creditor.number} {creditor.name}",
        None,
        creditor.name,
        tuple(unknown),
        frozenset(),
        None,
        frozenset(),
    )
    place_hold(session, row, rules.assess(facts)[0], last_event(session, row), at)
