"""The approval workflow as services: route an invoice, act on it, ask what is allowed.

Public API (the CLI and the web app call these; each owns its transaction):

* :func:`route` - a stored invoice enters the workflow: audit events
  received -> validated -> routed (with the routing decision and its
  deadlines), or received -> rejected when the validation recommends to
  reject it, and then the supplier e-mail. Idempotent: routing twice = once.
* :func:`act` - a person confirms (sachlich / rechnerisch richtig), orders
  (Anordnung), rejects, returns to the supplier, reassigns or comments; refused
  with the domain's German reason (:class:`Refused`) when not allowed.
* :func:`allowed_actions_for` - which of these a person may do now.
* :func:`unrouted` - invoices a lost broker message left outside the workflow.

Read models live in ``queues`` (:func:`queue`, :func:`invoice_detail`), the
audit trail in ``audit_trail`` (:func:`history`, :func:`verify_audit`), the
export in ``export`` and e-mails in ``notifications``; they are re-exported here.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from einvoice.domain import approval
from einvoice.domain.approval import (
    Action,
    ActionKind,
    Actor,
    ApprovalState,
    Refusal,
    Status,
    Transition,
)
from einvoice.domain.audit import AuditEntry
from einvoice.domain.correction import replace as replace_version
from einvoice.domain.deadlines import Deadlines, deadlines_for_invoice
from einvoice.domain.holidays_de import land_holidays
from einvoice.domain.invoice import Invoice as InvoiceModel
from einvoice.domain.routing import RoutingConfig, RoutingDecision, facts_from_invoice
from einvoice.domain.routing import route as decide_route
from einvoice.services import auszahlungsanordnung, holds, kontierung, notifications
from einvoice.services.audit_trail import AuditProblem, AuditReport, HistoryEntry, history
from einvoice.services.audit_trail import verify as verify_audit
from einvoice.services.columns import fit_amount, fit_text
from einvoice.services.export import ExportResult, batch_file, export
from einvoice.services.notifications import DeadlineScan, Reason, deadline_scan, deliver
from einvoice.services.ports import Pipeline
from einvoice.services.queues import (
    InvoiceDetail,
    QueueFilters,
    QueueItem,
    QueueView,
    invoice_detail,
    queue,
    supplier_status,
)
from einvoice.services.workflow_base import (
    COMMENT,
    BadRequest,
    NotConfigured,
    NotFound,
    Refused,
    WorkflowError,
    action_label_de,
    append_event,
    aware,
    conflicts_refused,
    last_event,
    now_local,
    ports_of,
    put_state,
    state_of,
    status_label_de,
    store_transition,
    workflow_row,
)
from einvoice.storage.tables import (
    Comment,
    DeadlineRow,
    Document,
    FindingRow,
    Invoice,
    Message,
    RoutingDecisionRow,
    Workflow,
)

log = logging.getLogger(__name__)

#: What people can do (``act``), in the order a user interface shows them.
PERSON_ACTIONS: tuple[str, ...] = (
    ActionKind.CONFIRM_SACHLICH.value,
    ActionKind.CONFIRM_RECHNERISCH.value,
    ActionKind.ORDER.value,
    ActionKind.REASSIGN.value,
    ActionKind.RETURN_TO_SUPPLIER.value,
    ActionKind.REJECT.value,
    COMMENT,
)
_SYSTEM_ONLY = frozenset({ActionKind.VALIDATE, ActionKind.ROUTE, ActionKind.EXPORT})


@dataclass(frozen=True, slots=True)
class RouteResult:
    invoice_id: int
    status: str  # routed, or rejected
    department: str | None
    rule: str | None  # the routing rule that matched; None: fallback or rejected
    reason_de: str
    created: bool  # False: the invoice was routed before; nothing changed


@dataclass(frozen=True, slots=True)
class ActResult:
    invoice_id: int
    action: str
    status: str
    status_label_de: str
    department: str | None
    sequence: int  # number of the audit event written
    supplier_notified: bool  # an e-mail to the supplier was recorded


# --- route -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Stored:
    sha256: str
    filename: str
    received_at: datetime
    sender: str | None
    rejected: bool
    reasons: tuple[Reason, ...]


def route(pipeline: Pipeline, invoice_id: int) -> RouteResult:
    """Bring a stored invoice into the workflow (idempotent; see the module docstring)."""
    ports = ports_of(pipeline)
    with pipeline.sessions() as session:
        existing = session.get(Workflow, invoice_id)
        if existing is not None:
            result = _route_result(session, existing, created=False)
        else:
            stored = _stored(session, invoice_id)
    if existing is not None:  # routed before: only an e-mail left pending may go out now
        if result.status == Status.REJECTED.value:
            deliver(pipeline, invoice_id)
        return result
    config = ports.routing()
    model = ports.read_invoice(pipeline.blobs.get(stored.sha256), stored.filename)
    at = now_local(pipeline)
    received_on = stored.received_at.astimezone(ports.zone).date()
    amount = model.totals.amount_due if model.totals.amount_due is not None else Decimal(0)
    first = approval.receive(str(invoice_id), amount, at)
    decision: RoutingDecision | None = None
    if stored.rejected:
        rules = ", ".join(dict.fromkeys(r.rule for r in stored.reasons if r.rule)) or "–"
        steps = [
            first,
            _system(
                first.state,
                Action(ActionKind.REJECT, comment=f"Eingangsprüfung: {rules}"),
                at,
                config,
            ),
        ]
        deadlines = None
    else:
        decision = decide_route(facts_from_invoice(model), config)
        validated = _system(first.state, Action(ActionKind.VALIDATE), at, config)
        routed = _system(
            validated.state,
            Action(ActionKind.ROUTE, comment=decision.reason_de, department=decision.department),
            at,
            config,
        )
        rule = (("rule", decision.rule or "fallback"),)
        routed = dataclasses.replace(
            routed, event=dataclasses.replace(routed.event, details=routed.event.details + rule)
        )
        steps = [first, validated, routed]
        deadlines = deadlines_for_invoice(
            model,
            received_on,
            legal_days=ports.legal_payment_days,
            is_holiday=land_holidays(ports.land),
        )
    with pipeline.sessions() as session:
        # routed concurrently by another worker (a double click, two workers): theirs stands;
        # the conflict shows at the first flush, which a query in between may trigger
        try:
            row = _new_row(invoice_id, model, received_on, deadlines, at)
            session.add(row)
            previous = None
            for step in steps:
                put_state(row, step.state, at)
                previous = append_event(session, row, step.event, previous)
            if decision is not None:
                session.add(_decision_row(invoice_id, decision, config, at))
                holds.place_on_route(session, pipeline, row, model, previous, at)  # issue 12
            _close_replaced(session, invoice_id, at)
            if deadlines is not None:
                session.add_all(_deadline_rows(invoice_id, deadlines))
            if stored.rejected:
                invoice = session.get(Invoice, invoice_id)
                assert invoice is not None
                notifications.queue_supplier_notice(
                    session,
                    invoice,
                    returned=False,
                    by_validation=True,
                    reasons=stored.reasons,
                    config=config,
                    received_on=received_on,
                    sender=stored.sender,
                    at=at,
                )
            session.commit()
        except IntegrityError:
            session.rollback()
            log.info("invoice %s: routed concurrently", invoice_id)
            return _route_result(session, workflow_row(session, invoice_id), created=False)
        result = _route_result(session, row, created=True)
    if stored.rejected:
        deliver(pipeline, invoice_id)
    return result


def _close_replaced(session: Session, invoice_id: int, at: datetime) -> None:
    """The correction loop: the version this invoice replaces is closed as ``replaced``."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.replaces_id is None:
        return
    old = session.get(Workflow, invoice.replaces_id)
    if old is None:
        return
    outcome = replace_version(state_of(old), str(invoice_id), invoice.version, at)
    if isinstance(outcome, Refusal):  # already replaced (a second corrected copy): leave it
        log.info(
            "invoice %s: version %s not replaced: %s", invoice_id, old.invoice_id, outcome.reason_de
        )
        return
    store_transition(session, old, outcome)


def _stored(session: Session, invoice_id: int) -> _Stored:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound(f"Rechnung {invoice_id} gibt es nicht.")
    document = session.get(Document, invoice.document_id)
    assert document is not None
    message = session.get(Message, document.message_id)
    assert message is not None
    errors = session.scalars(
        select(FindingRow)
        .where(FindingRow.document_id == document.id, FindingRow.severity == "error")
        .order_by(FindingRow.id)
    ).all()
    return _Stored(
        sha256=document.sha256,
        filename=document.filename,
        received_at=aware(message.received_at),
        sender=message.sender,
        rejected=invoice.recommendation == "reject",
        reasons=tuple(Reason(f.message_de, f.rule, tuple(f.terms.split())) for f in errors),
    )


def _system(
    state: ApprovalState, action: Action, at: datetime, config: RoutingConfig
) -> Transition:
    outcome = approval.apply(state, action, approval.SYSTEM, at, config)
    if isinstance(outcome, Refusal):  # the configuration lost its fallback department?
        raise Refused(outcome.code.value, outcome.reason_de)
    return outcome


def _new_row(
    invoice_id: int,
    model: InvoiceModel,
    received_on: date,
    deadlines: Deadlines | None,
    at: datetime,
) -> Workflow:
    skonto = sorted(deadlines.skonto, key=lambda s: s.deadline) if deadlines else []
    return Workflow(
        invoice_id=invoice_id,
        status=Status.RECEIVED.value,
        # a rejected invoice may carry any value: what does not fit the column is left out
        amount=fit_amount(model.totals.amount_due) or Decimal(0),
        currency=fit_text(model.currency_code, 3) or None,
        received_on=received_on,
        due_date=deadlines.due_date if deadlines else None,
        due_source=deadlines.source.value if deadlines else "rejected",
        skonto_deadline=skonto[0].deadline if skonto else None,
        skonto_discount=skonto[0].discount if skonto else None,
        audit_head="",
        audit_count=0,
        created_at=at.astimezone(UTC),
        updated_at=at.astimezone(UTC),
    )


def _deadline_rows(invoice_id: int, deadlines: Deadlines) -> list[DeadlineRow]:
    rows: list[DeadlineRow] = []
    if deadlines.due_date is not None and deadlines.nominal_due_date is not None:
        rows.append(
            DeadlineRow(
                invoice_id=invoice_id,
                kind="due",
                position=0,
                due_on=deadlines.due_date,
                nominal=deadlines.nominal_due_date,
                source=deadlines.source.value,
            )
        )
    for position, offer in enumerate(deadlines.skonto):
        rows.append(
            DeadlineRow(
                invoice_id=invoice_id,
                kind="skonto",
                position=position,
                due_on=offer.deadline,
                nominal=offer.nominal_date,
                source="skonto",
                days=offer.term.days,
                percent=offer.term.percent,
                base_amount=offer.base_amount,
                discount=offer.discount,
                amount_to_pay=offer.amount_to_pay,
            )
        )
    return rows


def _decision_row(
    invoice_id: int,
    decision: RoutingDecision,
    config: RoutingConfig,
    at: datetime,
    *,
    kind: str = "route",
    actor: str = approval.SYSTEM.id,
    previous: str | None = None,
) -> RoutingDecisionRow:
    return RoutingDecisionRow(
        invoice_id=invoice_id,
        kind=kind,
        department=decision.department,
        previous_department=previous,
        rule=decision.rule,
        criteria=",".join(decision.criteria),
        reason_de=decision.reason_de,
        fallback=decision.fallback,
        leitweg_id=decision.leitweg_id.text if decision.leitweg_id else None,
        leitweg_problem=decision.leitweg_problem.message_de if decision.leitweg_problem else None,
        config_name=config.name,
        config_version=config.version,
        actor=actor,
        decided_at=at.astimezone(UTC),
    )


def _route_result(session: Session, row: Workflow, *, created: bool) -> RouteResult:
    decision = session.scalars(
        select(RoutingDecisionRow)
        .where(RoutingDecisionRow.invoice_id == row.invoice_id)
        .order_by(RoutingDecisionRow.id.desc())
    ).first()
    reason = decision.reason_de if decision else ""
    if row.status == Status.REJECTED.value and decision is None:
        reason = "Die Eingangsprüfung hat die Rechnung abgelehnt."
    return RouteResult(
        invoice_id=row.invoice_id,
        status=row.status,
        department=row.department,
        rule=decision.rule if decision else None,
        reason_de=reason,
        created=created,
    )


def unrouted(pipeline: Pipeline, older_than: timedelta) -> list[int]:
    """Invoices stored longer than ``older_than`` ago that never entered the workflow."""
    cutoff = pipeline.clock() - older_than
    with pipeline.sessions() as session:
        query = (
            select(Invoice.id)
            .outerjoin(Workflow, Workflow.invoice_id == Invoice.id)
            .where(Workflow.invoice_id.is_(None), Invoice.created_at < cutoff)
            .order_by(Invoice.id)
        )
        return list(session.scalars(query))


# --- act -----------------------------------------------------------------------------------------


#: Longest comment or reason (the forms say the same; it goes into e-mails and the audit trail).
MAX_TEXT_CHARS = 2000


def act(
    pipeline: Pipeline,
    invoice_id: int,
    action: str,
    actor_id: str,
    comment: str | None = None,
    department: str | None = None,
) -> ActResult:
    """One person's step on an invoice; :class:`Refused` with the German reason if not allowed.

    ``action``: one of :data:`PERSON_ACTIONS` (``confirm_sachlich``,
    ``confirm_rechnerisch``, ``order``, ``reassign`` (``department`` = target),
    ``return_to_supplier``, ``reject``, ``comment``). Rejecting, returning and
    reassigning need a ``comment``; rejecting and returning e-mail the supplier.
    """
    ports = ports_of(pipeline)
    config = ports.routing()
    kind = _person_action(action)
    if config.person(actor_id) is None:
        raise Refused(
            "unknown_person",
            f"„{actor_id}“ ist keine Person der Weiterleitungskonfiguration.",
        )
    at = now_local(pipeline)
    text = (comment or "").strip() or None
    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise Refused(
            "comment",
            f"Der Text ist zu lang ({len(text):_} Zeichen); höchstens "
            f"{MAX_TEXT_CHARS:_} Zeichen.".replace("_", "."),
        )
    notify = False
    with pipeline.sessions() as session, conflicts_refused(session):  # issue 21: never a 500
        row = workflow_row(session, invoice_id)
        state = state_of(row)
        if kind == COMMENT:
            event = _comment(session, row, state, config, actor_id, text, at)
        else:
            assert isinstance(kind, ActionKind)
            outcome = approval.apply(
                state,
                Action(kind, comment=text, department=department),
                Actor(actor_id),
                at,
                config,
            )
            if isinstance(outcome, Refusal):
                raise Refused(outcome.code.value, outcome.reason_de)
            budget = None
            if kind is ActionKind.ORDER:  # issue 24: Kontierung complete and valid
                budget = kontierung.check_for_order(session, pipeline, row, at)
                if budget is not None and not budget.ok:
                    raise Refused(
                        "kontierung",
                        "Anordnung nicht möglich: " + " ".join(budget.problems),
                    )
            event = store_transition(session, row, outcome).sequence
            if kind is ActionKind.ORDER:
                auszahlungsanordnung.record_order(session, pipeline, row, at, budget)
            if kind is ActionKind.REASSIGN:
                _record_reassignment(session, row, state, config, actor_id, text, at)
            if kind in (ActionKind.REJECT, ActionKind.RETURN_TO_SUPPLIER):
                notify = _notify_supplier(session, row, kind, config, text, at)
        if text:
            session.add(
                Comment(
                    invoice_id=invoice_id,
                    author=actor_id,
                    action=str(kind),
                    text=text,
                    written_at=at.astimezone(UTC),
                )
            )
        try:
            session.commit()
        except (StaleDataError, IntegrityError) as exc:
            session.rollback()
            raise Refused(
                "conflict",
                "Die Rechnung wurde gerade von jemand anderem bearbeitet. Bitte neu laden und "
                "noch einmal versuchen.",
            ) from exc
        result = ActResult(
            invoice_id=invoice_id,
            action=str(kind),
            status=row.status,
            status_label_de=status_label_de(row.status),
            department=row.department,
            sequence=event,
            supplier_notified=notify,
        )
    if notify:
        deliver(pipeline, invoice_id)
    return result


def _person_action(action: str) -> ActionKind | str:
    if action == COMMENT:
        return COMMENT
    try:
        kind = ActionKind(action)
    except ValueError:
        kind = None
    if kind is None or kind in _SYSTEM_ONLY:
        raise Refused(
            "unknown_action",
            f"Unbekannte Aktion „{action}“; möglich: {', '.join(PERSON_ACTIONS)}.",
        )
    return kind


def may_comment(
    state: ApprovalState, config: RoutingConfig, actor_id: str, at: datetime
) -> str | None:
    """None when ``actor_id`` may comment; else the German reason why not."""
    key = state.department or config.fallback_department
    dept = config.department(key)
    if dept is not None and dept.authorities(actor_id, at.date()):
        return None
    name = dept.name if dept else key
    return f"{actor_id} gehört nicht zu {name} und darf diese Rechnung nicht kommentieren."


def _comment(
    session: Session,
    row: Workflow,
    state: ApprovalState,
    config: RoutingConfig,
    actor_id: str,
    text: str | None,
    at: datetime,
) -> int:
    if not text:
        raise Refused("comment", "Ein Kommentar braucht einen Text.")
    refusal = may_comment(state, config, actor_id, at)
    if refusal is not None:
        raise Refused("role", refusal)
    entry = AuditEntry(
        invoice_id=str(row.invoice_id),
        action=COMMENT,
        actor=actor_id,
        at=at,
        from_state=state.status.value,
        to_state=state.status.value,
        reason=text,
        department=state.department,
    )
    event = append_event(session, row, entry, last_event(session, row))
    row.updated_at = at.astimezone(UTC)
    return event.sequence


def _record_reassignment(
    session: Session,
    row: Workflow,
    before: ApprovalState,
    config: RoutingConfig,
    actor_id: str,
    text: str | None,
    at: datetime,
) -> None:
    target = config.department(row.department or "")
    decision = RoutingDecision(
        department=row.department or "",
        rule=None,
        criteria=(),
        reason_de=f"Weitergeleitet an {target.name if target else row.department}: {text}",
        reason_en=f"Reassigned by {actor_id}",
    )
    session.add(
        _decision_row(
            row.invoice_id,
            decision,
            config,
            at,
            kind="reassign",
            actor=actor_id,
            previous=before.department,
        )
    )


def _notify_supplier(
    session: Session,
    row: Workflow,
    kind: ActionKind,
    config: RoutingConfig,
    text: str | None,
    at: datetime,
) -> bool:
    invoice = session.get(Invoice, row.invoice_id)
    assert invoice is not None
    document = session.get(Document, invoice.document_id)
    message = session.get(Message, document.message_id) if document else None
    recorded = notifications.queue_supplier_notice(
        session,
        invoice,
        returned=kind is ActionKind.RETURN_TO_SUPPLIER,
        by_validation=False,
        reasons=(Reason(text or ""),),
        config=config,
        received_on=row.received_on,
        sender=message.sender if message else None,
        at=at,
        department=config.department(row.department or ""),
    )
    return recorded is not None


def allowed_actions_for(pipeline: Pipeline, invoice_id: int, actor_id: str) -> tuple[str, ...]:
    """The actions (:data:`PERSON_ACTIONS`) ``actor_id`` may take on the invoice now."""
    config = ports_of(pipeline).routing()
    at = now_local(pipeline)
    with pipeline.sessions() as session:
        state = state_of(workflow_row(session, invoice_id))
    kinds = {k.value for k in approval.allowed_actions(state, Actor(actor_id), at, config)}
    if may_comment(state, config, actor_id, at) is None:
        kinds.add(COMMENT)
    return tuple(a for a in PERSON_ACTIONS if a in kinds)


__all__ = [
    "COMMENT",
    "PERSON_ACTIONS",
    "ActResult",
    "AuditProblem",
    "AuditReport",
    "BadRequest",
    "DeadlineScan",
    "ExportResult",
    "HistoryEntry",
    "InvoiceDetail",
    "NotConfigured",
    "NotFound",
    "QueueFilters",
    "QueueItem",
    "QueueView",
    "Refused",
    "RouteResult",
    "WorkflowError",
    "act",
    "action_label_de",
    "allowed_actions_for",
    "batch_file",
    "deadline_scan",
    "deliver",
    "export",
    "history",
    "invoice_detail",
    "queue",
    "route",
    "status_label_de",
    "supplier_status",
    "unrouted",
    "verify_audit",
]
