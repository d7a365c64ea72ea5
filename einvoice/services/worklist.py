"""A department's queue as one SQL query: filters, search, sorting and paging in the database.

Only the shown page is read into Python; counts, the sum of amounts and the
number of invoices near or past a deadline are aggregates over the whole
filtered list. The next deadline of an invoice is the earliest Skonto deadline
still open, else its due date (as in :mod:`einvoice.services.queues`); it is read
from one grouped subquery joined to the queue (:class:`Deadlines`), so sorting,
filtering and the "soon"/"overdue" sums do not look it up again for every row.

"Wartet auf mich" (:attr:`QueueFilters.waiting_for`) selects the invoices the
person could take the next step on: *sachlich* / *rechnerisch richtig* where
they are clerk or approver, the *Anordnung* where they are approver, did not
sign themselves (four eyes) and the amount is within their limit and level.
When the city keeps a chart of accounts, an invoice is ready for the order only
with a complete Kontierung (:func:`kontierung_complete`); signed twice without
one it waits in *Kontierung fehlt* for the Amt's clerks and approvers instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Subquery,
    and_,
    case,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from einvoice.domain.approval import FINAL_STATES, Status
from einvoice.domain.creditors import normal_id
from einvoice.domain.invoice import CREDIT_NOTE_TYPE_CODES
from einvoice.domain.routing import Role, RoutingConfig
from einvoice.services import search
from einvoice.storage.kontierung_tables import (
    BuchungsstelleRow,
    KontierungRow,
    KontierungSplitRow,
)
from einvoice.storage.tables import DeadlineRow, Invoice, Workflow

ALL_STATUSES = tuple(s.value for s in Status)
_FINAL = tuple(s.value for s in FINAL_STATES)
_REVIEWERS = frozenset({Role.CLERK, Role.APPROVER})
#: what identifiers are written with and compared without (as domain.creditors.normal_id)
_ID_SEPARATORS = (" ", "\t", ".", "-", "/")


def credit_note(invoice: Any = Invoice) -> ColumnElement[bool]:
    """A credit note (``invoice``: the invoices table or an alias of it)."""
    return or_(
        invoice.syntax == "ubl-creditnote",
        invoice.type_code.in_(sorted(CREDIT_NOTE_TYPE_CODES)),
    )


def signed_amount() -> ColumnElement[Any]:
    """BT-115 from the buyer's side: credit notes count negative."""
    return case((credit_note(), -Workflow.amount), else_=Workflow.amount)


def open_skonto(today: date) -> Subquery:
    """Per invoice the earliest Skonto deadline not yet passed: one grouped pass over the
    open Skonto deadlines, joined to the queue (instead of a lookup per row and use)."""
    return (
        select(
            DeadlineRow.invoice_id.label("invoice_id"),
            func.min(DeadlineRow.due_on).label("due_on"),
        )
        .where(DeadlineRow.kind == "skonto", DeadlineRow.due_on >= today)
        .group_by(DeadlineRow.invoice_id)
        .subquery("open_skonto")
    )


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The deadline expressions of one queue query on ``today``; the query joins
    :attr:`skonto` (see :meth:`join`) so every expression reads the same row."""

    today: date
    skonto: Subquery

    @classmethod
    def on(cls, today: date) -> Deadlines:
        return cls(today, open_skonto(today))

    def join(self, query: Any) -> Any:
        return query.outerjoin(self.skonto, self.skonto.c.invoice_id == Workflow.invoice_id)

    def next_skonto(self) -> ColumnElement[Any]:
        return self.skonto.c.due_on

    def next_deadline(self) -> ColumnElement[Any]:
        """The earliest open Skonto deadline, else the due date (which may have passed)."""
        return func.coalesce(self.skonto.c.due_on, Workflow.due_date)

    def stage(self, stage: str, soon_days: int) -> ColumnElement[bool]:
        """Invoices whose deadline stage (ok, soon, overdue, none) is ``stage``."""
        today = self.today
        upcoming = self.next_deadline()
        open_ = Workflow.status.notin_(_FINAL)
        if stage == "none":
            return or_(Workflow.status.in_(_FINAL), upcoming.is_(None))
        if stage == "overdue":
            return and_(open_, upcoming < today)
        if stage == "soon":
            return and_(open_, upcoming >= today, upcoming <= today + timedelta(days=soon_days))
        return and_(open_, upcoming > today + timedelta(days=soon_days))


#: The steps of "Wartet auf mich", each a view of its own (issue 25: the approver saw
#: invoices still waiting for sachlich richtig and held ones among "his" eight).
STEPS = ("sachlich", "rechnerisch", "kontierung", "anordnung")


def chart_kept() -> ColumnElement[bool]:
    """The city keeps a chart of accounts: every order needs a Kontierung
    (as :func:`einvoice.services.kontierung_store.chart_required`)."""
    return exists(select(BuchungsstelleRow.id))


def kontierung_complete() -> ColumnElement[bool]:
    """The invoice has a Kontierung whose splits add up, to the cent, to its amount due
    (BT-115, negative for a credit note). What SQL can say for a list; the order checks the
    rest (Buchungsstelle allowed for the Amt and valid in the year, closed years, funds)."""
    inv = aliased(Invoice)
    is_credit = exists().where(inv.id == Workflow.invoice_id, credit_note(inv))
    due = case((is_credit, -Workflow.amount), else_=Workflow.amount)
    total = (
        select(func.sum(KontierungSplitRow.amount))
        .where(KontierungSplitRow.invoice_id == Workflow.invoice_id)
        .scalar_subquery()
    )
    return and_(
        exists().where(KontierungRow.invoice_id == Workflow.invoice_id),
        total.is_not(None),
        # rounded on both sides: SQLite sums NUMERIC columns as binary floats
        func.round(total, 2) == func.round(due, 2),
    )


def waiting_for(
    config: RoutingConfig, person: str, today: date, step: str | None = None
) -> ColumnElement[bool]:
    """Invoices on which ``person`` could take the next step (deputyships of today included).

    ``step`` narrows to one step: ``sachlich`` (waiting for sachlich richtig), ``rechnerisch``
    (waiting for rechnerisch richtig), ``kontierung`` (signed twice, but the city keeps a
    chart of accounts and the Kontierung is missing or does not add up: for the clerks and
    approvers of the Amt, who may kontieren), ``anordnung`` (ready for the payment order:
    both statements given by others, within the person's limit and level, no open payment
    hold, the Kontierung complete when a chart is kept). An invoice with an open hold is
    never "waiting" for its order or Kontierung: nobody can order it."""
    if step is not None and step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    clauses: list[ColumnElement[bool]] = []
    review_states = {
        "sachlich": (Status.ROUTED.value,),
        "rechnerisch": (Status.SACHLICH_RICHTIG.value,),
        None: (Status.ROUTED.value, Status.SACHLICH_RICHTIG.value),
    }
    signed_twice = and_(
        Workflow.status == Status.RECHNERISCH_RICHTIG.value,
        func.coalesce(Workflow.holds, "") == "",
    )
    complete = kontierung_complete()
    for dept in config.departments:
        authorities = dept.authorities(person, today)
        if not authorities:
            continue
        roles = frozenset().union(*(a.membership.roles for a in authorities))
        in_dept = Workflow.department == dept.key
        if roles & _REVIEWERS and step in review_states:
            clauses.append(and_(in_dept, Workflow.status.in_(review_states[step])))
        if roles & _REVIEWERS and step in (None, "kontierung"):
            clauses.append(and_(in_dept, signed_twice, chart_kept(), ~complete))
        caps = [
            _order_cap(config, a.membership.limit, a.membership.level)
            for a in authorities
            if Role.APPROVER in a.membership.roles
        ]
        if caps and step in (None, "anordnung"):
            clauses.append(
                and_(
                    in_dept,
                    signed_twice,
                    func.coalesce(Workflow.sachlich_by, "") != person,
                    func.coalesce(Workflow.rechnerisch_by, "") != person,
                    func.abs(Workflow.amount) <= max(caps),
                    or_(~chart_kept(), complete),
                )
            )
    return or_(*clauses) if clauses else false()


def steps_of(config: RoutingConfig, person: str, today: date) -> tuple[str, ...]:
    """The steps ``person`` can take anywhere today (which views of "Wartet auf mich" to offer)."""
    roles: set[Role] = set()
    for dept in config.departments:
        for authority in dept.authorities(person, today):
            roles |= set(authority.membership.roles)
    steps: list[str] = []
    if roles & _REVIEWERS:
        steps += ["sachlich", "rechnerisch", "kontierung"]
    if Role.APPROVER in roles:
        steps.append("anordnung")
    return tuple(steps)


def _order_cap(config: RoutingConfig, limit: Decimal, level: int) -> Decimal:
    """The highest amount an approver with ``limit`` and ``level`` may order."""
    above = [t.above for t in config.thresholds if t.level > level]
    return min([limit, *above])


@dataclass(frozen=True, slots=True)
class Sorting:
    key: str
    descending: bool


def order_by(sorting: Sorting, deadlines: Deadlines) -> list[Any]:
    key = sorting.key
    expression: Any
    if key == "due":
        expression = Workflow.due_date
    elif key == "deadline":
        expression = deadlines.next_deadline()
    elif key == "skonto":
        expression = deadlines.next_skonto()
    elif key == "amount":
        expression = signed_amount()
    elif key == "supplier":
        expression = func.lower(func.coalesce(Invoice.seller_name, ""))
    elif key == "status":
        expression = case(
            *((Workflow.status == s, n) for n, s in enumerate(ALL_STATUSES)), else_=99
        )
    elif key == "received":
        expression = Workflow.received_on
    elif key == "issued":
        expression = Invoice.issue_date
    elif key == "held":  # invoices with an open payment hold first (issue 12)
        expression = case((Workflow.holds == "", 1), else_=0)
    else:  # number
        expression = Invoice.number
    if sorting.descending:
        return [expression.is_(None), expression.desc(), Workflow.invoice_id.desc()]
    return [expression.is_(None), expression.asc(), Workflow.invoice_id.asc()]


def columns(deadlines: Deadlines) -> Any:
    """The header columns a queue row needs (never the semantic JSON)."""
    query = select(
        Workflow.invoice_id,
        Workflow.status,
        Workflow.department,
        Workflow.amount,
        Workflow.currency,
        Workflow.received_on,
        Invoice.number,
        Invoice.seller_name,
        Invoice.type_code,
        Invoice.syntax,
        Invoice.buyer_reference,
        Invoice.issue_date,
        Invoice.version,
        Workflow.holds,
    ).join(Invoice, Invoice.id == Workflow.invoice_id)
    return deadlines.join(query)


def counted(deadlines: Deadlines) -> Any:
    """``count(*)`` over the same joins as :func:`columns`."""
    query = (
        select(func.count()).select_from(Workflow).join(Invoice, Invoice.id == Workflow.invoice_id)
    )
    return deadlines.join(query)


def supplier_matches(text: str) -> ColumnElement[bool]:
    """The seller's name, or an identifier of the seller (VAT id, registration).

    Identifiers are compared without spaces, dots, hyphens and slashes and in any case, on
    both sides: "DE 123 456 789" finds DE123456789, and the other way round."""
    by_name = func.lower(func.coalesce(Invoice.seller_name, "")).contains(
        text.lower(), autoescape=True
    )
    wanted = normal_id(text).lower()
    if not wanted:
        return by_name
    return or_(by_name, _compact(Invoice.seller_key).contains(wanted, autoescape=True))


def _compact(key: Any) -> Any:
    """``seller_key`` without its term (``BT-31:``) in the normal form of identifiers."""
    value = func.lower(func.substr(key, len("BT-31:") + 1))
    for separator in _ID_SEPARATORS:
        value = func.replace(value, separator, "")
    return value


def search_matches(text: str) -> ColumnElement[bool] | None:
    query = search.parse_query(text)
    return None if query.empty else search.condition(query)


__all__ = [
    "ALL_STATUSES",
    "STEPS",
    "Deadlines",
    "Sorting",
    "chart_kept",
    "columns",
    "counted",
    "credit_note",
    "kontierung_complete",
    "open_skonto",
    "order_by",
    "search_matches",
    "signed_amount",
    "supplier_matches",
    "waiting_for",
]
