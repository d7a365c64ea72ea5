"""E-Rechnung pilot metrics, computed live from the pipeline's own tables.

Nothing here is typed in: :func:`records` reads one
:class:`~einvoice.domain.pilot_metrics.InvoiceRecord` per processed document
with four set-based queries (documents with their message, invoice and
workflow; the Anordnungen from the audit trail; error findings; Skonto
offers), and the pure domain
(:mod:`einvoice.domain.pilot_metrics`, :mod:`einvoice.domain.pilot_exit`)
computes the figures. :func:`dashboard` returns everything the Stabsstelle's
page needs, :func:`trace` the invoices behind any figure, :func:`metrics_csv`
the weekly figures for a spreadsheet and :func:`metrics_json` the numbers.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as clock_time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain.channels import channel_label
from einvoice.domain.payment_figures import PaymentReport
from einvoice.domain.pilot_exit import ExitStatus, ExitThresholds, days_text, evaluate, percent
from einvoice.domain.pilot_metrics import (
    InvoiceRecord,
    PilotMetrics,
    Scope,
    SkontoOffer,
    compute,
    invoice_format,
    parse_trace_key,
)
from einvoice.domain.pilot_metrics import (
    select as select_records,
)
from einvoice.formats.rule_titles import rule_label_de
from einvoice.presentation import charts
from einvoice.services.metrics_charts import Charts, make_charts
from einvoice.services.payment_metrics import payment_report
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import (
    AuditEventRow,
    DeadlineRow,
    Document,
    FindingRow,
    Invoice,
    Message,
    Workflow,
)

SessionSource = Pipeline | sessionmaker[Session]
DEFAULT_ZONE = "Europe/Berlin"
DEFAULT_WEEKS = 52
PROCESSED = "processed"
UNREADABLE = "unreadable"  # no invoice could be read: counted as received and rejected
ORDERED_STATE = "angeordnet"


def sessions_of(source: SessionSource) -> sessionmaker[Session]:
    return source.sessions if isinstance(source, Pipeline) else source


@dataclass(frozen=True, slots=True)
class Context:
    """Where the figures are read: time zone, office names, what is not an office."""

    zone: tzinfo
    office_names: Mapping[str, str] = field(default_factory=dict)
    not_offices: frozenset[str] = frozenset()


def context_of(source: SessionSource) -> Context:
    """Time zone and department names from the pipeline's workflow ports, if it has them."""
    ports = source.workflow if isinstance(source, Pipeline) else None
    if ports is None:
        return Context(ZoneInfo(DEFAULT_ZONE))
    routing = ports.routing()
    return Context(
        ports.zone,
        {d.key: d.name for d in routing.departments},
        frozenset({routing.fallback_department}),
    )


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _utc_bounds(scope: Scope) -> tuple[datetime, datetime]:
    """[start, day after today) in UTC, from the local dates of the scope."""
    start = datetime.combine(scope.start, clock_time(), scope.zone).astimezone(UTC)
    end = datetime.combine(scope.today + timedelta(days=1), clock_time(), scope.zone)
    return start, end.astimezone(UTC)


def records(source: SessionSource, scope: Scope) -> list[InvoiceRecord]:
    """One record per document processed with its message received within ``scope``."""
    since, until = _utc_bounds(scope)
    window = (
        Document.state.in_((PROCESSED, UNREADABLE)),
        Message.received_at >= since,
        Message.received_at < until,
    )
    # Anordnungen as a query of their own (one table, no aggregate inside a join): the
    # plan stays a simple scan even before the planner has statistics of a fresh import.
    orders = select(AuditEventRow.invoice_id, AuditEventRow.at).where(
        AuditEventRow.to_state == ORDERED_STATE, AuditEventRow.at >= since
    )
    is_pdf = case(
        (Document.content_type == "application/pdf", True),
        (func.lower(Document.filename).like("%.pdf"), True),
        else_=False,
    )
    main = (
        select(
            Document.id,
            Invoice.id,
            Message.received_at,
            Message.channel,
            is_pdf,
            Invoice.syntax,
            Invoice.scenario,
            Invoice.profile,
            Invoice.recommendation,
            Invoice.seller_key,
            Invoice.seller_name,
            Invoice.amount_due,
            Workflow.department,
            Workflow.status,
            Workflow.due_date,
        )
        .join(Message, Message.id == Document.message_id)
        .outerjoin(Invoice, Invoice.document_id == Document.id)
        .outerjoin(Workflow, Workflow.invoice_id == Invoice.id)
        .where(*window)
    )
    errors = (
        select(FindingRow.document_id, FindingRow.rule)
        .join(Document, Document.id == FindingRow.document_id)
        .join(Message, Message.id == Document.message_id)
        .where(FindingRow.severity == "error", *window)
    )
    skonto = (
        select(DeadlineRow.invoice_id, DeadlineRow.due_on, DeadlineRow.discount)
        .join(Invoice, Invoice.id == DeadlineRow.invoice_id)
        .join(Document, Document.id == Invoice.document_id)
        .join(Message, Message.id == Document.message_id)
        .where(DeadlineRow.kind == "skonto", DeadlineRow.discount.is_not(None), *window)
    )
    with sessions_of(source)() as session:
        connection = session.connection()  # Core rows: no ORM loading
        rules: dict[int, list[str]] = {}
        for document_id, rule in connection.execute(errors).all():
            rules.setdefault(document_id, []).append(rule)
        offers: dict[int, list[SkontoOffer]] = {}
        for invoice_id, due_on, discount in connection.execute(skonto).all():
            if discount is not None:
                offers.setdefault(invoice_id, []).append(SkontoOffer(due_on, Decimal(discount)))
        ordered_at: dict[int, datetime] = {}
        for invoice_id, at in connection.execute(orders).all():
            if invoice_id not in ordered_at or at < ordered_at[invoice_id]:
                ordered_at[invoice_id] = at
        rows = connection.execute(main).all()
    found = []
    for (
        document_id,
        invoice_id,
        received_at,
        channel,
        pdf,
        syntax,
        scenario,
        profile,
        recommendation,
        seller,
        seller_name,
        amount,
        department,
        status,
        due_date,
    ) in rows:
        ordered = ordered_at.get(invoice_id) if invoice_id is not None else None
        found.append(
            InvoiceRecord(
                document_id=document_id,
                invoice_id=invoice_id,
                received_at=_aware(received_at),
                channel=channel,
                format=invoice_format(syntax, scenario, profile, bool(pdf)),
                accepted=invoice_id is not None and recommendation == "accept",
                rejection_rules=tuple(sorted(set(rules[document_id])))
                if document_id in rules
                else (),
                seller=seller,
                seller_name=seller_name,
                department=department,
                amount=amount,
                status=status,
                due_date=due_date,
                ordered_at=_aware(ordered) if ordered is not None else None,
                skonto=tuple(offers[invoice_id]) if invoice_id in offers else (),
            )
        )
    return found


def scope_for(today: date, weeks: int = DEFAULT_WEEKS, zone: tzinfo | None = None) -> Scope:
    """The last ``weeks`` ISO weeks up to and including ``today``'s week."""
    monday = today - timedelta(days=today.weekday())
    return Scope(monday - timedelta(weeks=weeks - 1), today, zone or ZoneInfo(DEFAULT_ZONE))


# --- the dashboard ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """A headline number: label, value as shown, and the trace key behind it."""

    key: str
    label: str
    value: str
    trace: str | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    scope: Scope
    metrics: PilotMetrics
    exit: ExitStatus
    thresholds: ExitThresholds
    figures: tuple[Figure, ...]
    charts: Charts
    office_names: Mapping[str, str]
    seconds: float  # how long reading and computing took
    payments: PaymentReport | None = None  # figures from real payments (issue 24)


class _GcPause:
    """Counts the running pauses; the collector runs again when the last one ends."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = False


_gc = _GcPause()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while tens of thousands of records are built.

    The records, counters and lists are free of reference cycles (reference
    counting frees them); without the pause, repeated collections over the
    growing heap cost about a quarter of the dashboard's time. Nested and
    concurrent pauses re-enable the collector (if it was on) when the last ends.
    """
    with _gc.lock:
        if _gc.count == 0:
            _gc.was_enabled = gc.isenabled()
            gc.disable()
        _gc.count += 1
    try:
        yield
    finally:
        with _gc.lock:
            _gc.count -= 1
            if _gc.count == 0 and _gc.was_enabled:
                gc.enable()


def dashboard(
    source: SessionSource,
    today: date,
    thresholds: ExitThresholds | None = None,
    *,
    weeks: int = DEFAULT_WEEKS,
    context: Context | None = None,
) -> Dashboard:
    """Everything the Stabsstelle's dashboard shows, computed now from the tables."""
    started = time.perf_counter()
    thresholds = thresholds or ExitThresholds()
    context = context or context_of(source)
    scope = scope_for(today, weeks, context.zone)
    with gc_paused():
        found = records(source, scope)
        metrics = compute(
            found,
            scope,
            office_names=dict(context.office_names),
            not_offices=context.not_offices,
            rule_label=rule_label_de,
        )
        del found
    status = evaluate(metrics, thresholds)
    return Dashboard(
        today=today,
        scope=scope,
        metrics=metrics,
        exit=status,
        thresholds=thresholds,
        figures=headline(metrics),
        charts=make_charts(metrics, thresholds),
        office_names=dict(context.office_names),
        seconds=time.perf_counter() - started,
        payments=payment_report(
            sessions_of(source), scope.start, scope.today, dict(context.office_names)
        ),
    )


def euro(value: Decimal) -> str:
    return f"{charts.number(float(value), 2)} €"


def headline(m: PilotMetrics) -> tuple[Figure, ...]:
    # the exit criteria look at the last complete weeks; these tiles at the whole period
    period = f"gesamter Zeitraum {m.scope.start:%d.%m.%Y} bis {m.scope.today:%d.%m.%Y}"
    return (
        Figure("received", "Eingegangene Rechnungen", charts.number(m.received), "received"),
        Figure(
            "accepted_share",
            "Annahmequote",
            percent(m.share_accepted),
            "rejected",
            f"{charts.number(m.rejected)} abgelehnt",
        ),
        Figure(
            "median_days",
            "Durchlaufzeit bis Anordnung (Median)",
            days_text(m.median_days),
            "ordered",
            f"{charts.number(m.ordered)} Anordnungen, {period}",
        ),
        Figure(
            "p90_days",
            "Durchlaufzeit bis Anordnung (90. Perzentil)",
            days_text(m.p90_days),
            "ordered",
            period,
        ),
        Figure(
            "overdue",
            "Überfällige offene Rechnungen",
            charts.number(m.overdue),
            "overdue",
            euro(m.overdue_amount),
        ),
        Figure("ordered_late", "Nach Fälligkeit angeordnet", charts.number(m.ordered_late), "late"),
        Figure("skonto_taken", "Skonto genutzt", euro(m.skonto_taken), "skonto_taken"),
        Figure("skonto_lost", "Skonto verloren", euro(m.skonto_lost), "skonto_lost"),
        Figure("offices_live", "Ämter im Echtbetrieb", charts.number(m.offices_live), "received"),
        Figure("suppliers", "Lieferanten mit E-Rechnung", charts.number(m.suppliers), "suppliers"),
    )


# --- tracing, CSV and JSON ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trace:
    key: str
    invoice_ids: tuple[int, ...]
    document_ids: tuple[int, ...]  # documents without an invoice (unreadable)

    @property
    def count(self) -> int:
        return len(self.invoice_ids) + len(self.document_ids)


def trace_records(found: Iterable[InvoiceRecord], key: str, scope: Scope) -> Trace:
    try:
        matched = select_records(found, key, scope)
    except KeyError as exc:
        raise ValueError(f"Unbekannte Kennzahl „{key}“.") from exc
    return Trace(
        key,
        tuple(sorted(r.invoice_id for r in matched if r.invoice_id is not None)),
        tuple(sorted(r.document_id for r in matched if r.invoice_id is None)),
    )


def trace(
    source: SessionSource,
    key: str,
    today: date,
    *,
    weeks: int = DEFAULT_WEEKS,
    context: Context | None = None,
) -> Trace:
    """The invoices (and unreadable documents) behind the figure ``key`` of the dashboard."""
    parse_trace_key(key)
    context = context or context_of(source)
    scope = scope_for(today, weeks, context.zone)
    with gc_paused():
        return trace_records(records(source, scope), key, scope)


#: What a figure's trace key counts, in the Beirat's words (no internal key on a page).
TRACE_KINDS_DE = {
    "received": "Eingegangene Rechnungen",
    "accepted": "Angenommene Rechnungen",
    "rejected": "Abgelehnte Rechnungen",
    "ordered": "Angeordnete Rechnungen",
    "overdue": "Überfällige Rechnungen (Zahlungsfrist überschritten)",
    "late": "Nach Fristende angeordnete Rechnungen",
    "suppliers": "Rechnungen aller Lieferanten",
    "skonto_taken": "Rechnungen mit genutztem Skonto",
    "skonto_lost": "Rechnungen mit verlorenem Skonto",
    "skonto_open": "Rechnungen mit noch offenem Skonto",
}
_TRACE_ARGS_DE = {
    "channel": "Eingang über {}",
    "format": "Rechnungen im Format {}",
    "rule": "Abgelehnt wegen: {}",
    "office": "Rechnungen an {}",
    "supplier": "Rechnungen des Lieferanten {}",
}


def trace_label_de(key: str, office_names: dict[str, str] | None = None) -> str:
    """What the invoices behind the figure ``key`` are, in German (``skonto_lost@2026-W45``
    -> ``Rechnungen mit verlorenem Skonto, KW 45/2026``)."""
    from einvoice.services.metrics_charts import week_de

    kind, arg, weeks = parse_trace_key(key)
    if kind in TRACE_KINDS_DE:
        text = TRACE_KINDS_DE[kind]
    elif kind in _TRACE_ARGS_DE:
        if kind == "channel":
            shown = channel_label(arg)
        elif kind == "rule":
            shown = rule_label_de(arg)
        elif kind == "office":
            shown = (office_names or {}).get(arg, arg)
        else:
            shown = arg
        text = _TRACE_ARGS_DE[kind].format(shown)
    else:
        text = "Rechnungen hinter dieser Kennzahl"
    if weeks is not None:
        first, last = (week_de(w) for w in weeks)
        text += f", {first}" if first == last else f", {first} bis {last}"
    return text


CSV_HEADER = (
    "Kalenderwoche",
    "Wochenbeginn",
    "Eingang gesamt",
    "davon E-Mail",
    "davon Upload",
    "davon Weberfassung",
    "angenommen",
    "Annahmequote %",
    "Anordnungen",
    "Median Tage bis Anordnung",
    "90. Perzentil Tage",
    "neue Lieferanten",
)


def _csv_number(value: float | Decimal | None, digits: int = 1) -> str:
    return "" if value is None else f"{float(value):.{digits}f}".replace(".", ",")


def metrics_csv(board: Dashboard) -> list[list[str]]:
    """Rows for a CSV export (German headers, weeks, dates and decimal commas, like the queue's
    CSV; header row first)."""
    from einvoice.services.metrics_charts import week_de

    formats = [c.key for c in board.metrics.by_format]
    rows = [[*CSV_HEADER[:6], *(f"davon {f}" for f in formats), *CSV_HEADER[6:]]]
    for w in board.metrics.weeks:
        share = w.share_accepted * 100 if w.share_accepted is not None else None
        rows.append(
            [
                week_de(w.week),
                w.start.strftime("%d.%m.%Y"),
                str(w.received),
                str(w.by_channel.get("mail", 0)),
                str(w.by_channel.get("upload", 0)),
                str(w.by_channel.get("weberfassung", 0)),
                *(str(w.by_format.get(f, 0)) for f in formats),
                str(w.accepted),
                _csv_number(share),
                str(w.ordered),
                _csv_number(w.median_days),
                _csv_number(w.p90_days),
                str(w.new_suppliers),
            ]
        )
    return rows


def _num(value: Decimal | float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def metrics_json(board: Dashboard) -> dict[str, Any]:
    """The dashboard's numbers as a JSON object (money as strings with two decimals)."""
    m = board.metrics
    return {
        "stand": board.today.isoformat(),
        "zeitraum": {"von": m.scope.start.isoformat(), "bis": m.scope.today.isoformat()},
        "eingang": m.received,
        "angenommen": m.accepted,
        "abgelehnt": m.rejected,
        "annahmequote": _num(m.share_accepted, 4),
        "kanaele": {c.key: c.count for c in m.by_channel},
        "formate": {c.key: c.count for c in m.by_format},
        "ablehnungsregeln": [
            {"regel": c.key, "text": c.label, "anzahl": c.count} for c in m.top_rules
        ],
        "anordnungen": m.ordered,
        "tage_bis_anordnung": {"median": _num(m.median_days), "p90": _num(m.p90_days)},
        "ueberfaellig": {"anzahl": m.overdue, "betrag_eur": _money(m.overdue_amount)},
        "nach_faelligkeit_angeordnet": m.ordered_late,
        "skonto_eur": {
            "genutzt": _money(m.skonto_taken),
            "verloren": _money(m.skonto_lost),
            "noch_moeglich": _money(m.skonto_open),
            "rechnungen": m.skonto_invoices,
        },
        "aemter": [
            {
                "amt": o.key,
                "name": o.name,
                "seit": o.first_received.isoformat(),
                "rechnungen": o.invoices,
                "angenommen": o.accepted,
                "betrag_eur": _money(o.amount),
                "letzte_4_wochen": o.recent,
            }
            for o in m.offices
        ],
        "lieferanten": m.suppliers,
        "wochen": [
            {
                "woche": w.week,
                "eingang": w.received,
                "angenommen": w.accepted,
                "kanaele": w.by_channel,
                "formate": w.by_format,
                "anordnungen": w.ordered,
                "median_tage": _num(w.median_days),
                "p90_tage": _num(w.p90_days),
            }
            for w in m.weeks
        ],
        "ausstiegskriterien": {
            "ampel": board.exit.light.value,
            "erfuellt": board.exit.met,
            "wochen": list(board.exit.weeks),
            "kriterien": [
                {
                    "kriterium": c.key,
                    "bezeichnung": c.label,
                    "grenze": c.threshold,
                    "ist": c.actual,
                    "ampel": c.light.value,
                    "trend": c.trend.value,
                    "begruendung": c.reason,
                }
                for c in board.exit.criteria
            ],
        },
        "rechenzeit_s": round(board.seconds, 3),
    }


def names_in(found: Sequence[InvoiceRecord]) -> set[str]:
    return {r.department for r in found if r.department}
