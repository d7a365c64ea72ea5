"""E-Rechnung pilot metrics over plain records (pure: no SQL, no clock).

The service layer turns the pipeline's tables into one :class:`InvoiceRecord`
per received document (a readable invoice or an unreadable one) and hands them
to :func:`compute`. Definitions:

* **Received**: documents the pipeline processed (duplicates of an invoice
  already received are not counted again), by the ISO week of the message's
  receipt in the city's time zone, by channel (``mail``, ``upload``) and format
  (:func:`invoice_format`: XRechnung UBL, XRechnung CII, ZUGFeRD with its profile).
* **Accepted share**: accepted / received (an unreadable document is rejected).
* **Top rejection rules**: the rules with severity *error* of the rejected
  documents; a document failing several rules counts once for each.
* **Time to order**: from the receipt of the message to the Anordnung (first
  audit event to ``angeordnet``), in days; median and 90th percentile by linear
  interpolation between the closest ranks (as ``PERZENTIL.INKL`` in spreadsheets);
  per week by the week of the Anordnung.
* **Overdue**: still open in the approval (not ordered, rejected or returned)
  and the due date has passed; **ordered late**: ordered after the due date.
* **Skonto**: an offer counts as *taken* when the payment was ordered on or
  before its deadline (the best discount still reachable on the day of the
  Anordnung); *lost* is the best offer minus what was taken (for open invoices:
  minus what can still be reached today); rejected and returned invoices have
  no Skonto. Amounts in EUR as :class:`~decimal.Decimal`.
* **Offices live**: departments the invoices were routed to (less the central
  inbox), with their volume; **suppliers**: distinct sellers (seller key).

Every figure has a trace key (:func:`select` returns the records behind it):
``received``, ``accepted``, ``rejected``, ``channel:mail``, ``format:XRechnung UBL``,
``rule:BR-DE-15``, ``ordered``, ``overdue``, ``late``, ``skonto_taken``,
``skonto_lost``, ``skonto_open``, ``office:amt-10``, ``supplier:<seller key>``,
``suppliers``; each may carry a week as ``@2026-W14`` or weeks as
``@2026-W10..2026-W13`` (for ``ordered`` the week of the Anordnung, else of the
receipt).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from einvoice.domain.channels import channel_label

#: Approval states in which an invoice still waits for its Anordnung.
OPEN_STATUSES = frozenset(
    {"received", "validated", "routed", "sachlich_richtig", "rechnerisch_richtig"}
)
ORDERED_STATUSES = frozenset({"angeordnet", "exported"})
CLOSED_WITHOUT_PAYMENT = frozenset({"rejected", "returned_to_supplier"})

UNREADABLE = "nicht lesbar"
_ZUGFERD_PROFILES = {
    "factur-x-minimum": "MINIMUM",
    "factur-x-basicwl": "BASIC WL",
    "factur-x-basic": "BASIC",
    "en16931": "EN 16931",
    "factur-x-extended": "EXTENDED",
    "standard": "XRechnung",
    "extension": "XRechnung",
    "cvd": "XRechnung",
}
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@lru_cache(maxsize=256)
def invoice_format(
    syntax: str | None, scenario: str | None, profile: str | None, is_pdf: bool
) -> str:
    """The format family: ``XRechnung UBL``, ``XRechnung CII``, ``ZUGFeRD <profile>``."""
    if syntax is None or syntax == "unknown":
        return UNREADABLE
    if is_pdf:
        name = _ZUGFERD_PROFILES.get(scenario or "")
        if name is None:
            name = (profile or "").strip() or "unbekanntes Profil"
        return f"ZUGFeRD {name}"
    if syntax.startswith("ubl"):
        return "XRechnung UBL"
    if syntax == "cii":
        return "XRechnung CII"
    return syntax


# --- weeks and percentiles ----------------------------------------------------------------


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(week: str) -> date:
    match = _WEEK.match(week)
    if match is None:
        raise ValueError(f"not an ISO week: {week!r}")
    return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)


def is_week(text: str) -> bool:
    return _WEEK.match(text) is not None


def weeks_between(first: date, last: date) -> tuple[str, ...]:
    """The ISO weeks from the one containing ``first`` to the one containing ``last``."""
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(week_of(monday))
        monday += timedelta(days=7)
    return tuple(weeks)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0..1) by linear interpolation between closest ranks; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def local_date(moment: datetime, zone: tzinfo) -> date:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).date()


# --- records ------------------------------------------------------------------------------


class SkontoOffer(NamedTuple):
    deadline: date
    discount: Decimal  # EUR


class InvoiceRecord(NamedTuple):
    """One received document as the metrics see it (from the pipeline's tables).

    A named tuple rather than a frozen dataclass: a year has tens of thousands of
    them, and building them must stay cheap for the dashboard.
    """

    document_id: int
    invoice_id: int | None  # None: unreadable, no invoice was extracted
    received_at: datetime  # receipt of the message (with time zone)
    channel: str  # mail, upload, drop, weberfassung (domain.channels)
    format: str  # see invoice_format
    accepted: bool
    rejection_rules: tuple[str, ...] = ()  # rules with severity error
    seller: str | None = None  # seller key
    seller_name: str | None = None
    department: str | None = None  # the approval queue (Department.key)
    amount: Decimal | None = None  # amount due BT-115
    status: str | None = None  # approval status; None: not in the workflow
    due_date: date | None = None
    ordered_at: datetime | None = None  # Anordnung
    skonto: tuple[SkontoOffer, ...] = ()


@dataclass(frozen=True, slots=True)
class Scope:
    """Which receipts count (local dates, both inclusive) and which day is today."""

    start: date
    today: date
    zone: tzinfo = UTC

    def received_on(self, record: InvoiceRecord) -> date:
        return local_date(record.received_at, self.zone)

    def contains(self, record: InvoiceRecord) -> bool:
        return self.start <= self.received_on(record) <= self.today

    def weeks(self) -> tuple[str, ...]:
        return weeks_between(self.start, self.today)

    def complete_weeks(self) -> tuple[str, ...]:
        """Weeks that ended before today's week began."""
        this_week = week_of(self.today)
        return tuple(w for w in self.weeks() if w != this_week)


def days_to_order(record: InvoiceRecord) -> float | None:
    if record.ordered_at is None:
        return None
    return (record.ordered_at - record.received_at).total_seconds() / 86400


@dataclass(frozen=True, slots=True)
class SkontoOutcome:
    taken: Decimal
    lost: Decimal
    still_open: Decimal  # can still be taken (open invoices)


_ZERO = Decimal(0)


def skonto_outcome(record: InvoiceRecord, scope: Scope) -> SkontoOutcome | None:
    """What became of the record's Skonto offers (None: no offer, or nothing to pay)."""
    ordered_on = local_date(record.ordered_at, scope.zone) if record.ordered_at else None
    return _skonto(record, ordered_on, scope.today)


def _skonto(record: InvoiceRecord, ordered_on: date | None, today: date) -> SkontoOutcome | None:
    if not record.skonto or record.status in CLOSED_WITHOUT_PAYMENT:
        return None
    best = max(o.discount for o in record.skonto)
    if ordered_on is not None:
        taken = max((o.discount for o in record.skonto if o.deadline >= ordered_on), default=_ZERO)
        return SkontoOutcome(taken, best - taken, _ZERO)
    reachable = max((o.discount for o in record.skonto if o.deadline >= today), default=_ZERO)
    return SkontoOutcome(_ZERO, best - reachable, reachable)


def is_overdue(record: InvoiceRecord, scope: Scope) -> bool:
    return (
        record.status in OPEN_STATUSES
        and record.due_date is not None
        and record.due_date < scope.today
    )


def is_late(record: InvoiceRecord, scope: Scope) -> bool:
    ordered_on = local_date(record.ordered_at, scope.zone) if record.ordered_at else None
    return _late(record, ordered_on)


def _late(record: InvoiceRecord, ordered_on: date | None) -> bool:
    return ordered_on is not None and record.due_date is not None and ordered_on > record.due_date


# --- the figures --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekFigures:
    week: str  # 2026-W14
    start: date  # its Monday
    received: int
    accepted: int
    by_channel: dict[str, int]
    by_format: dict[str, int]
    ordered: int  # Anordnungen in this week
    median_days: float | None
    p90_days: float | None
    new_suppliers: int

    @property
    def share_accepted(self) -> Decimal | None:
        return None if self.received == 0 else Decimal(self.accepted) / Decimal(self.received)


@dataclass(frozen=True, slots=True)
class Count:
    key: str  # rule, channel, format, department or seller key
    label: str
    count: int
    trace: str  # the trace key


@dataclass(frozen=True, slots=True)
class OfficeVolume:
    key: str
    name: str
    first_received: date
    invoices: int
    accepted: int
    amount: Decimal  # amount due of the accepted invoices
    recent: int  # received in the last four complete weeks
    trace: str


@dataclass(frozen=True, slots=True)
class PilotMetrics:
    scope: Scope
    weeks: tuple[WeekFigures, ...]
    received: int
    accepted: int
    by_channel: tuple[Count, ...]
    by_format: tuple[Count, ...]
    top_rules: tuple[Count, ...]
    rejected_documents: int
    ordered: int
    median_days: float | None
    p90_days: float | None
    overdue: int
    overdue_amount: Decimal
    ordered_late: int
    skonto_taken: Decimal
    skonto_lost: Decimal
    skonto_open: Decimal
    skonto_invoices: int
    offices: tuple[OfficeVolume, ...]
    suppliers: int
    top_suppliers: tuple[Count, ...]
    order_days: dict[str, tuple[float, ...]]  # days to order by week of the Anordnung

    @property
    def rejected(self) -> int:
        return self.received - self.accepted

    @property
    def share_accepted(self) -> Decimal | None:
        return None if self.received == 0 else Decimal(self.accepted) / Decimal(self.received)

    @property
    def offices_live(self) -> int:
        return len(self.offices)

    def week(self, week: str) -> WeekFigures | None:
        return next((w for w in self.weeks if w.week == week), None)


def _counts(counter: Counter[str], kind: str, label: Callable[[str], str]) -> tuple[Count, ...]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(Count(k, label(k), n, f"{kind}:{k}") for k, n in ranked)


def compute(
    records: Iterable[InvoiceRecord],
    scope: Scope,
    *,
    office_names: dict[str, str] | None = None,
    not_offices: frozenset[str] = frozenset(),
    top: int = 10,
    rule_label: Callable[[str], str] | None = None,
) -> PilotMetrics:
    """All pilot figures of the records received within ``scope``.

    ``rule_label``: the words a person reads for a rejection rule (the German title with the
    rule's id); without it the id itself."""
    names = office_names or {}
    weeks = scope.weeks()
    recent_weeks = set(scope.complete_weeks()[-4:])
    week_of_day: dict[date, str] = {}

    def week_for(day: date) -> str:
        found = week_of_day.get(day)
        if found is None:
            found = week_of_day[day] = week_of(day)
        return found

    kept: list[tuple[date, InvoiceRecord]] = []
    for r in records:
        day = local_date(r.received_at, scope.zone)
        if scope.start <= day <= scope.today:
            kept.append((day, r))
    kept.sort(key=lambda pair: pair[1].received_at)
    received: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    channel_week: dict[str, Counter[str]] = {w: Counter() for w in weeks}
    format_week: dict[str, Counter[str]] = {w: Counter() for w in weeks}
    durations_week: dict[str, list[float]] = {}
    durations: list[float] = []
    channels: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    first_seen: dict[str, str] = {}
    seller_names: dict[str, str] = {}
    sellers: Counter[str] = Counter()
    office: dict[str, list[tuple[str, InvoiceRecord]]] = {}
    overdue = late = skonto_count = 0
    overdue_amount = taken = lost = still_open = _ZERO
    first_day: dict[str, date] = {}
    cells: Counter[tuple[str, str, str, bool]] = Counter()  # week, channel, format, accepted
    for day, r in kept:
        week = week_for(day)
        cells[(week, r.channel, r.format, r.accepted)] += 1
        if not r.accepted:
            rules.update(set(r.rejection_rules))
        if r.seller:
            sellers[r.seller] += 1
            first_seen.setdefault(r.seller, week)
            if r.seller_name:
                seller_names.setdefault(r.seller, r.seller_name)
        ordered_on = None
        if r.ordered_at is not None:
            ordered_on = local_date(r.ordered_at, scope.zone)
            days = (r.ordered_at - r.received_at).total_seconds() / 86400
            durations.append(days)
            durations_week.setdefault(week_for(ordered_on), []).append(days)
        if is_overdue(r, scope):
            overdue += 1
            overdue_amount += r.amount or _ZERO
        late += _late(r, ordered_on)
        outcome = _skonto(r, ordered_on, scope.today)
        if outcome is not None:
            skonto_count += 1
            taken += outcome.taken
            lost += outcome.lost
            still_open += outcome.still_open
        if r.department and r.department not in not_offices:
            office.setdefault(r.department, []).append((week, r))
            first_day.setdefault(r.department, day)
    for (week, channel, fmt, ok), n in cells.items():
        received[week] += n
        channel_week[week][channel] += n
        format_week[week][fmt] += n
        channels[channel] += n
        formats[fmt] += n
        if ok:
            accepted[week] += n
    new_suppliers = Counter(first_seen.values())
    week_figures = tuple(
        WeekFigures(
            week=w,
            start=week_start(w),
            received=received[w],
            accepted=accepted[w],
            by_channel=dict(channel_week[w]),
            by_format=dict(format_week[w]),
            ordered=len(durations_week.get(w, [])),
            median_days=percentile(durations_week.get(w, []), 0.5),
            p90_days=percentile(durations_week.get(w, []), 0.9),
            new_suppliers=new_suppliers[w],
        )
        for w in weeks
    )
    offices = tuple(
        sorted(
            (
                OfficeVolume(
                    key=key,
                    name=names.get(key, key),
                    first_received=first_day[key],
                    invoices=len(rows),
                    accepted=sum(r.accepted for _, r in rows),
                    amount=sum((r.amount or _ZERO for _, r in rows if r.accepted), _ZERO),
                    recent=sum(week in recent_weeks for week, _ in rows),
                    trace=f"office:{key}",
                )
                for key, rows in office.items()
            ),
            key=lambda o: (-o.invoices, o.key),
        )
    )
    return PilotMetrics(
        scope=scope,
        weeks=week_figures,
        received=len(kept),
        accepted=sum(accepted.values()),
        by_channel=_counts(channels, "channel", channel_label),
        by_format=_counts(formats, "format", lambda f: f),
        top_rules=_counts(rules, "rule", rule_label or (lambda r: r))[:top],
        rejected_documents=sum(1 for _, r in kept if not r.accepted),
        ordered=len(durations),
        median_days=percentile(durations, 0.5),
        p90_days=percentile(durations, 0.9),
        overdue=overdue,
        overdue_amount=overdue_amount,
        ordered_late=late,
        skonto_taken=taken,
        skonto_lost=lost,
        skonto_open=still_open,
        skonto_invoices=skonto_count,
        offices=offices,
        suppliers=len(sellers),
        top_suppliers=_counts(sellers, "supplier", lambda s: seller_names.get(s, s))[:top],
        order_days={w: tuple(d) for w, d in sorted(durations_week.items())},
    )


# --- tracing ------------------------------------------------------------------------------


def _predicate(kind: str, arg: str, scope: Scope) -> Callable[[InvoiceRecord], bool]:
    simple: dict[str, Callable[[InvoiceRecord], bool]] = {
        "received": lambda r: True,
        "accepted": lambda r: r.accepted,
        "rejected": lambda r: not r.accepted,
        "ordered": lambda r: r.ordered_at is not None,
        "overdue": lambda r: is_overdue(r, scope),
        "late": lambda r: is_late(r, scope),
        "suppliers": lambda r: bool(r.seller),
    }
    if kind in simple:
        return simple[kind]
    with_arg: dict[str, Callable[[InvoiceRecord], bool]] = {
        "channel": lambda r: r.channel == arg,
        "format": lambda r: r.format == arg,
        "rule": lambda r: not r.accepted and arg in r.rejection_rules,
        "office": lambda r: r.department == arg,
        "supplier": lambda r: r.seller == arg,
    }
    if kind in with_arg and arg:
        return with_arg[kind]

    def skonto(part: str) -> Callable[[InvoiceRecord], bool]:
        def check(r: InvoiceRecord) -> bool:
            outcome = skonto_outcome(r, scope)
            return outcome is not None and getattr(outcome, part) > 0

        return check

    parts = {"skonto_taken": "taken", "skonto_lost": "lost", "skonto_open": "still_open"}
    if kind in parts:
        return skonto(parts[kind])
    raise KeyError(kind)


def week_range(first: str, last: str) -> str:
    """The week part of a trace key for ``first`` to ``last`` (one week: just it)."""
    return first if first == last else f"{first}..{last}"


def parse_trace_key(key: str) -> tuple[str, str, tuple[str, str] | None]:
    """``kind:arg@week`` or ``kind:arg@week..week`` -> (kind, arg, (first, last) or None)."""
    head, at, tail = key.rpartition("@")
    first, dots, last = tail.partition("..")
    last = last if dots else first
    weeks = (first, last) if at and is_week(first) and is_week(last) else None
    body = head if weeks else key
    kind, _, arg = body.partition(":")
    return kind, arg, weeks


def select(records: Iterable[InvoiceRecord], key: str, scope: Scope) -> list[InvoiceRecord]:
    """The records behind the figure with trace key ``key`` (KeyError if unknown)."""
    kind, arg, weeks = parse_trace_key(key)
    matches = _predicate(kind, arg, scope)

    def in_week(r: InvoiceRecord) -> bool:
        if weeks is None:
            return True
        if kind == "ordered":
            if r.ordered_at is None:
                return False
            week = week_of(local_date(r.ordered_at, scope.zone))
        else:
            week = week_of(scope.received_on(r))
        return weeks[0] <= week <= weeks[1]

    return [r for r in records if scope.contains(r) and matches(r) and in_week(r)]
