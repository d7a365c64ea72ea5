"""A few months of pilot history for the demo, dated around today.

Supplier e-mails arrive on working days over the last weeks; clerks and
approvers of five offices sign them off after a few days (some fast enough for
the Skonto, some too late), reject a few, return a few for correction - the
supplier's corrected version arrives days later and replaces it (the
correction loop) - and the city's cash system receives a batch each evening.
The newest invoices are still open, so the queues look like a running pilot.
Every step goes through the real services with the pipeline's clock set to the
step's time, so deadlines, audit trails and the Stabsstelle's figures are
consistent. Deterministic for a given ``today``.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from einvoice.samplegen.spec import SampleInvoice, example
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import ingest, process, workflow
from einvoice.services.demo_kontierung import kontiere
from einvoice.services.ports import Pipeline

#: office key -> (Leitweg-ID, clerk, approver)
OFFICES: dict[str, tuple[str, str, str]] = {
    "amt-10": ("04011000-1234512345-06", "a10.becker", "a10.neumann"),
    "amt-12": ("04011000-12347-94", "a12.koch", "a12.richter"),
    "amt-20": ("04011000-12346-97", "a20.wolf", "a20.schaefer"),
    "amt-32": ("04011000-32000-14", "a32.klein", "a32.zimmermann"),
    "amt-37": ("04011000-37000-49", "a37.weber", "a37.hofmann"),
}
RETURN_REASONS = (
    "Bitte Bestellnummer ergänzen.",
    "Bitte die Leistungszeit angeben.",
    "Die Bankverbindung weicht von unseren Stammdaten ab – bitte prüfen.",
)
#: Days between two history invoices of a supplier with the same amount (more than the
#: duplicate window, ``duplicate_window_days``, 14 by default).
DUPLICATE_SPACING_DAYS = 31
REJECT_REASONS = ("Leistung wurde nicht bei uns bestellt.", "Doppelt berechnet (bereits bezahlt).")


@dataclass
class HistorySummary:
    received: int = 0
    approved: int = 0
    rejected: int = 0
    returned: int = 0
    corrected: int = 0
    open: int = 0
    exports: int = 0
    steps: list[str] = field(default_factory=list)


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _workdays(start: date, end: date) -> list[date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _later(day: date, workdays: int) -> date:
    while workdays > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            workdays -= 1
    return day


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _mail(invoice: SampleInvoice, received: datetime, tag: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"{invoice.seller.name} <rechnung@{tag}.lieferant.example>"
    message["To"] = "rechnungseingang@stadt.example"
    message["Subject"] = f"Rechnung {invoice.number}"
    message["Date"] = format_datetime(received)
    message["Message-ID"] = make_msgid(tag, "lieferant.example")
    message.set_content("Sehr geehrte Damen und Herren,\nanbei unsere Rechnung.\n")
    message.add_attachment(
        to_ubl(invoice), maintype="application", subtype="xml", filename=f"{invoice.number}.xml"
    )
    return message.as_bytes()


Event = tuple[datetime, int, Callable[[Pipeline], None]]


def _distinct(
    invoice: SampleInvoice, day: date, seed: int, amounts: dict[tuple[str, Decimal], date]
) -> SampleInvoice:
    """The history's own invoice numbers (never a shipped sample's), and no two invoices of a
    supplier with the same amount within the duplicate window: the pilot's invoices are not
    duplicates, so the demo holds only the forged e-mail (issue 12)."""
    prefix = invoice.number.rstrip("0123456789")
    invoice = dataclasses.replace(invoice, number=f"{prefix}{day:%Y}-{seed:05d}")
    while (seen := amounts.get((invoice.seller.name, invoice.payable_amount))) is not None and abs(
        (day - seen).days
    ) <= DUPLICATE_SPACING_DAYS:
        first, *rest = invoice.lines
        invoice = dataclasses.replace(
            invoice, lines=(dataclasses.replace(first, quantity=first.quantity + 1), *rest)
        )
    amounts[(invoice.seller.name, invoice.payable_amount)] = day
    return invoice


def seed_pilot_history(
    pipeline: Pipeline,
    today: date,
    weeks: int = 10,
    per_day: tuple[int, int] = (1, 2),
    now: datetime | None = None,
) -> HistorySummary:
    """Run ``weeks`` of pilot work up to ``today`` through the services (see module doc).

    Nothing happens after ``now`` (default: the real time): a demo started at night has
    no arrivals or sign-offs later that day. The demo's own samples, received just
    before, are signed off in the seconds after ``now``.
    """
    rng = random.Random(today.toordinal())
    limit = now or datetime.now(UTC)
    summary = HistorySummary()
    events: list[Event] = []
    order = 0

    def at(moment: datetime, step: Callable[[Pipeline], None], *, later: bool = False) -> None:
        nonlocal order
        if moment.date() <= today and (later or moment <= limit):
            events.append((moment, order, step))
            order += 1

    ids: dict[str, int] = {}
    start = today - timedelta(weeks=weeks)
    for n, (invoice_id, office) in enumerate(_open_before(pipeline)):
        if office in OFFICES:  # e.g. the demo's shipped samples: signed off in the first days
            _, clerk, approver = OFFICES[office]
            ids[f"s{n}"] = invoice_id
            for seconds, action, person in (
                (1, "confirm_sachlich", clerk),
                (2, "confirm_rechnerisch", clerk),
                (3, "order", approver),
            ):
                step = _act(ids, f"s{n}", action, person)
                at(limit + timedelta(seconds=seconds), step, later=True)
            at(limit + timedelta(seconds=4), _export(summary), later=True)
    seed = 0
    amounts = {key: today for key in _amounts_before(pipeline)}  # the shipped samples
    for day in _workdays(start, today):
        for _ in range(rng.randint(*per_day)):
            seed += 1
            office = rng.choice(tuple(OFFICES))
            leitweg, clerk, approver = OFFICES[office]
            issue = day - timedelta(days=rng.randint(1, 5))
            invoice = _distinct(
                dataclasses.replace(
                    example(n_lines=rng.randint(1, 4), seed=seed),
                    issue_date=issue,
                    due_date=issue + timedelta(days=30),
                    buyer_reference=leitweg,
                ),
                day,
                seed,
                amounts,
            )
            key = f"r{seed}"
            arrival = _at(day, rng.randint(6, 15), rng.randint(0, 59))
            at(arrival, _receive(ids, key, invoice, arrival, summary))
            fate = rng.random()
            first = _later(day, rng.choice((0, 1, 1, 2, 3, 5, 8)))
            if fate < 0.08:
                at(_at(first, 10), _act(ids, key, "reject", clerk, rng.choice(REJECT_REASONS)))
                summary.rejected += 1
            elif fate < 0.18:
                at(_at(first, 10), _act(ids, key, "return_to_supplier", clerk,
                                        rng.choice(RETURN_REASONS)))  # fmt: skip
                summary.returned += 1
                fixed = dataclasses.replace(invoice, order_reference=f"BE-{seed:05d}-K")
                again = _at(_later(first, rng.randint(2, 5)), rng.randint(7, 14))
                fixed_key = key + "k"
                at(again, _receive(ids, fixed_key, fixed, again, summary, corrected=True))
                _sign_off(at, ids, fixed_key, again, clerk, approver, rng)
            else:
                _sign_off(at, ids, key, arrival, clerk, approver, rng)
    for day in _workdays(today - timedelta(weeks=weeks), today - timedelta(days=1)):
        at(_at(day, 17), _export(summary))
    events.sort(key=lambda e: (e[0], e[1]))
    for moment, _, step in events:
        step(dataclasses.replace(pipeline, clock=_Clock(moment)))
    summary.approved = _count(pipeline, ("angeordnet", "exported"))
    summary.open = _count(pipeline, ("routed", "sachlich_richtig", "rechnerisch_richtig"))
    return summary


def _sign_off(
    at: Callable[[datetime, Callable[[Pipeline], None]], None],
    ids: dict[str, int],
    key: str,
    arrival: datetime,
    clerk: str,
    approver: str,
    rng: random.Random,
) -> None:
    """Sachlich, rechnerisch richtig and the order, each after the step before it."""
    moment = arrival
    for action, person, delays, hour in (
        ("confirm_sachlich", clerk, (0, 1, 1, 2, 3, 4, 7, 12), 9),
        ("confirm_rechnerisch", clerk, (0, 0, 1, 2), 11),
        ("order", approver, (0, 1, 1, 2, 4, 9), 14),
    ):
        planned = _at(_later(moment.date(), rng.choice(delays)), hour, rng.randint(0, 59))
        moment = max(planned, moment + timedelta(minutes=rng.randint(20, 90)))
        at(moment, _act(ids, key, action, person))


def _receive(
    ids: dict[str, int],
    key: str,
    invoice: SampleInvoice,
    arrival: datetime,
    summary: HistorySummary,
    *,
    corrected: bool = False,
) -> Callable[[Pipeline], None]:
    def step(pipeline: Pipeline) -> None:
        received = ingest.receive(pipeline, _mail(invoice, arrival, key), "mail", "demo-pilot")
        for document_id in ingest.split(pipeline, received.message_id):
            outcome = process.process(pipeline, document_id)
            if outcome.invoice_id is not None:
                ids[key] = outcome.invoice_id
                workflow.route(pipeline, outcome.invoice_id)
        summary.received += 1
        summary.corrected += int(corrected)

    return step


def _act(
    ids: dict[str, int], key: str, action: str, actor: str, comment: str | None = None
) -> Callable[[Pipeline], None]:
    def step(pipeline: Pipeline) -> None:
        invoice_id = ids.get(key)
        if invoice_id is None:
            return
        try:
            if action == "confirm_sachlich":  # the clerk kontiert first (issue 24)
                kontiere(pipeline, invoice_id, actor)
            workflow.act(pipeline, invoice_id, action, actor, comment)
        except workflow.WorkflowError:  # e.g. a limit: the step stays open, as in real life
            return

    return step


def _export(summary: HistorySummary) -> Callable[[Pipeline], None]:
    def step(pipeline: Pipeline) -> None:
        if workflow.export(pipeline).batch_id is not None:
            summary.exports += 1

    return step


def _open_before(pipeline: Pipeline) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from einvoice.storage.tables import Workflow

    with pipeline.sessions() as session:
        rows = session.execute(
            select(Workflow.invoice_id, Workflow.department)
            .where(Workflow.status == "routed")
            .order_by(Workflow.invoice_id)
        ).all()
        return [(r.invoice_id, r.department or "") for r in rows]


def _amounts_before(pipeline: Pipeline) -> list[tuple[str, Decimal]]:
    from sqlalchemy import select

    from einvoice.storage.tables import Invoice, Workflow

    with pipeline.sessions() as session:
        rows = session.execute(
            select(Invoice.seller_name, Workflow.amount).join(
                Workflow, Workflow.invoice_id == Invoice.id
            )
        ).all()
        return [(r.seller_name or "", Decimal(r.amount)) for r in rows]


def _count(pipeline: Pipeline, statuses: tuple[str, ...]) -> int:
    from sqlalchemy import func, select

    from einvoice.storage.tables import Workflow

    with pipeline.sessions() as session:
        found: Any = session.scalar(
            select(func.count()).select_from(Workflow).where(Workflow.status.in_(statuses))
        )
        return int(found or 0)


__all__ = ["HistorySummary", "seed_pilot_history"]
