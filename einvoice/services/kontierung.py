"""Kontierung of invoices in the workflow, the order check and the payment order's facts.

* :func:`view` - an invoice's Kontierung, what still stands in the way of the
  order, the suggestions and the Buchungsstellen its Amt may use.
* :func:`assign` - the clerk (or approver) of the invoice's Amt assigns the
  Buchungsstellen, amounts and Haushaltsjahr; every change is an audit event.
* :func:`check_for_order` / :func:`record_order` - called by the workflow when
  an approver orders the payment (Anordnung): refused until the Kontierung is
  complete and valid; then the payment order is written (``payment_orders``)
  and the Kontierung goes into the suggestions' history.

Kontierung is required once the city has a chart of accounts (any
Buchungsstelle imported); without one the workflow works as before (the export
books on the cost centre from BT-19 or the Amt).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from einvoice.domain import kontierung as k
from einvoice.domain.approval import Status
from einvoice.domain.audit import AuditEntry
from einvoice.domain.invoice import Invoice as InvoiceModel
from einvoice.domain.routing import Role
from einvoice.services import kontierung_suggestions
from einvoice.services.kontierung_store import (
    chart_of,
    chart_required,
    model_of,
    stored_splits,
    usable_for,
)
from einvoice.services.kontierung_suggestions import SuggestionView
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import (
    Refused,
    append_event,
    last_event,
    now_local,
    ports_of,
    workflow_row,
)
from einvoice.storage.kontierung_tables import (
    FundsRow,
    KontierungRow,
    KontierungSplitRow,
    PaymentOrderLineRow,
)
from einvoice.storage.tables import Workflow

#: States in which the Kontierung may still change (before the order).
EDITABLE = frozenset({Status.ROUTED, Status.SACHLICH_RICHTIG, Status.RECHNERISCH_RICHTIG})
_EDITORS = frozenset({Role.CLERK, Role.APPROVER})
MANUAL = "manuell"


@dataclass(frozen=True, slots=True)
class SplitView:
    position: int
    key: str
    name: str
    amount: Decimal
    basis: str
    value: str
    net: Decimal
    vat: Decimal
    apart: bool


@dataclass(frozen=True, slots=True)
class KontierungView:
    invoice_id: int
    status: str
    department: str
    required: bool  # the city keeps a chart of accounts
    editable: bool
    amount_due: Decimal
    currency: str
    year: int | None  # the assigned Haushaltsjahr
    default_year: int
    source: str | None
    assigned_by: str | None
    assigned_at: datetime | None
    splits: tuple[SplitView, ...]
    check: k.Check
    suggestions: tuple[SuggestionView, ...]
    lines: tuple[tuple[str, str, Decimal], ...]  # (BT-126, BT-153, gross)
    rates: tuple[Decimal, ...]  # VAT rates (BG-23)
    usable: tuple[k.Buchungsstelle, ...]


def _funds(
    session: Session, splits: Sequence[k.Split], year: int | None, invoice_id: int
) -> dict[tuple[str, int], k.Funds]:
    if year is None or not splits:
        return {}
    keys = sorted({sp.key for sp in splits})
    out: dict[tuple[str, int], k.Funds] = {}
    for row in session.scalars(
        select(FundsRow).where(FundsRow.key.in_(keys), FundsRow.year == year)
    ):
        used = session.scalar(
            select(func.coalesce(func.sum(PaymentOrderLineRow.amount), 0)).where(
                PaymentOrderLineRow.key == row.key,
                PaymentOrderLineRow.year == year,
                PaymentOrderLineRow.invoice_id != invoice_id,
            )
        )
        out[(row.key, year)] = k.Funds(Decimal(row.available), Decimal(used or 0))
    return out


def _check(
    session: Session,
    pipeline: Pipeline,
    row: Workflow,
    model: InvoiceModel,
    today: date,
) -> k.Check:
    kont = session.get(KontierungRow, row.invoice_id)
    splits = stored_splits(session, row.invoice_id)
    year = kont.year if kont else None
    facts = k.OrderFacts(
        amount_due=model.amount_due_signed or Decimal(0),
        department=row.department or "",
        year=year,
        splits=splits,
        today=today,
        funds=_funds(session, splits, year, row.invoice_id),
    )
    chart = chart_of(session, (sp.key for sp in splits))
    return k.order_problems(facts, chart, ports_of(pipeline).budget)


def view(pipeline: Pipeline, invoice_id: int, *, with_suggestions: bool = True) -> KontierungView:
    """The invoice's Kontierung as the invoice page shows it."""
    today = now_local(pipeline).date()
    with pipeline.sessions() as session:
        row = workflow_row(session, invoice_id)
        model, _ = model_of(pipeline, session, invoice_id)
        kont = session.get(KontierungRow, invoice_id)
        splits = stored_splits(session, invoice_id)
        required = chart_required(session)
        department = row.department or ""
        default = k.open_default_year(model, today, ports_of(pipeline).budget)
        year = kont.year if kont else default
        chart = chart_of(session, (sp.key for sp in splits))
        booked = k.booked(model, splits, chart) if splits else ()
        check = _check(session, pipeline, row, model, today)
        usable = tuple(usable_for(session, department, year)) if required else ()
        suggestions = (
            kontierung_suggestions.suggestions(session, model, department, year, invoice_id)
            if with_suggestions and required
            else ()
        )
    lines = tuple(
        (
            (line.line_id or str(i)).strip(),
            (line.item.name if line.item and line.item.name else "")[:120],
            gross,
        )
        for (i, line), gross in zip(
            enumerate(model.lines, start=1), k.line_gross(model).values(), strict=False
        )
    )
    return KontierungView(
        invoice_id=invoice_id,
        status=row.status,
        department=department,
        required=required,
        editable=Status(row.status) in EDITABLE,
        amount_due=model.amount_due_signed or Decimal(0),
        currency=model.currency_code,
        year=kont.year if kont else None,
        default_year=default,
        source=kont.source if kont else None,
        assigned_by=kont.assigned_by if kont else None,
        assigned_at=kont.assigned_at.replace(tzinfo=kont.assigned_at.tzinfo or UTC)
        if kont
        else None,
        splits=tuple(
            SplitView(
                i,
                sp.key,
                chart[sp.key].name if sp.key in chart else "",
                sp.amount,
                sp.basis.value,
                sp.value,
                b.net,
                b.vat,
                b.apart,
            )
            for i, (sp, b) in enumerate(zip(splits, booked, strict=True), start=1)
        ),
        check=check,
        suggestions=suggestions,
        lines=lines,
        rates=tuple(k.rate_gross(model)),
        usable=usable,
    )


def _editor(pipeline: Pipeline, row: Workflow, actor: str, at: datetime) -> None:
    config = ports_of(pipeline).routing()
    dept = config.department(row.department or "")
    roles: set[Role] = set()
    if dept is not None:
        for authority in dept.authorities(actor, at.date()):
            roles |= authority.membership.roles
    if not roles & _EDITORS:
        name = dept.name if dept else row.department
        raise Refused(
            "role",
            f"{actor} darf die Kontierung in {name} nicht ändern "
            "(nur Sachbearbeitung oder Anordnungsbefugte des Amts).",
        )
    if Status(row.status) not in EDITABLE:
        raise Refused(
            "state",
            "Die Kontierung kann nach der Anordnung nicht mehr geändert werden.",
        )


def assign(
    pipeline: Pipeline,
    invoice_id: int,
    actor: str,
    requests: Sequence[k.SplitRequest],
    year: int | None = None,
    source: str = MANUAL,
) -> KontierungView:
    """Assign (replace) the Kontierung; :class:`Refused` with the German reason if not allowed.

    ``year`` None: the default Haushaltsjahr (delivery period, else invoice date).
    Unknown Buchungsstellen and a closed year are refused at once; splits that do
    not (yet) add up are stored and shown, and the order waits for them.
    """
    at = now_local(pipeline)
    policy = ports_of(pipeline).budget
    with pipeline.sessions() as session:
        row = workflow_row(session, invoice_id)
        _editor(pipeline, row, actor, at)
        model, _ = model_of(pipeline, session, invoice_id)
        chosen = year if year is not None else k.open_default_year(model, at.date(), policy)
        problem = k.year_problem(chosen, at.date(), policy)
        if problem:
            raise Refused("year", problem)
        try:
            splits = k.resolve(model, requests)
        except k.KontierungError as exc:
            raise Refused("kontierung", str(exc)) from None
        chart = chart_of(session, (sp.key for sp in splits))
        unknown = [sp.key for sp in splits if sp.key not in chart]
        if unknown:
            raise Refused(
                "kontierung",
                f"Die Buchungsstelle {', '.join(unknown)} gibt es im Kontenplan nicht.",
            )
        session.execute(
            delete(KontierungSplitRow).where(KontierungSplitRow.invoice_id == invoice_id)
        )
        kont = session.get(KontierungRow, invoice_id)
        if kont is None:
            kont = KontierungRow(invoice_id=invoice_id)
            session.add(kont)
        kont.year = chosen
        kont.source = source[:255]
        kont.assigned_by = actor
        kont.assigned_at = at.astimezone(UTC)
        session.flush()
        session.add_all(
            KontierungSplitRow(
                invoice_id=invoice_id,
                position=i,
                key=sp.key,
                amount=sp.amount,
                basis=sp.basis.value,
                value=sp.value[:255],
            )
            for i, sp in enumerate(splits, start=1)
        )
        entry = AuditEntry(
            invoice_id=str(invoice_id),
            action="kontierung",
            actor=actor,
            at=at,
            from_state=row.status,
            to_state=row.status,
            department=row.department,
            details=(
                ("haushaltsjahr", str(chosen)),
                ("quelle", source[:200]),
                (
                    "splits",
                    "; ".join(f"{sp.key}={sp.amount:f}" for sp in splits)[:1000],
                ),
            ),
        )
        append_event(session, row, entry, last_event(session, row))
        row.updated_at = at.astimezone(UTC)
        session.commit()
    return view(pipeline, invoice_id)


def accept_suggestion(
    pipeline: Pipeline, invoice_id: int, actor: str, index: int, year: int | None = None
) -> KontierungView:
    """Take suggestion ``index`` (1 = the first) as the Kontierung (one key in the form)."""
    current = view(pipeline, invoice_id)
    chosen = next((sg for sg in current.suggestions if sg.index == index), None)
    if chosen is None:
        raise Refused("kontierung", f"Einen Vorschlag {index} gibt es nicht (mehr).")
    return assign(
        pipeline,
        invoice_id,
        actor,
        requests_of(chosen.parts),
        year if year is not None else current.year,
        source=f"Vorschlag: {chosen.source_de}",
    )


def requests_of(parts: Sequence[tuple[str, str, int]]) -> list[k.SplitRequest]:
    """A pattern as split requests: percentages, the last takes the rest (cent-exact)."""
    out = [k.SplitRequest(key, k.Basis.PERCENT, str(percent)) for key, _, percent in parts[:-1]]
    out.append(k.SplitRequest(parts[-1][0], k.Basis.REST))
    return out


# --- the order ----------------------------------------------------------------------------------


def check_for_order(
    session: Session, pipeline: Pipeline, row: Workflow, at: datetime
) -> k.Check | None:
    """None when no chart of accounts is kept; else what the order check found."""
    if not chart_required(session):
        return None
    model, _ = model_of(pipeline, session, row.invoice_id)
    return _check(session, pipeline, row, model, at.date())


__all__ = [
    "EDITABLE",
    "MANUAL",
    "KontierungView",
    "SplitView",
    "accept_suggestion",
    "assign",
    "check_for_order",
    "requests_of",
    "view",
]
