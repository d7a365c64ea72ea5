"""Pilot figures from real payments (pure): Skonto in euros, paying on time, days to payment.

The service turns each paid invoice (the payment import recorded its paid date,
see :mod:`einvoice.services.payments`) into one :class:`PaidRecord`;
:func:`payment_report` computes, for all of them, per month of payment and per
Amt:

* **Skonto offered**: the best discount the invoice offered (BR-DE-18 terms);
  **realised**: the Skonto the payment actually took (recorded by the import
  or the person who decided); **lost**: offered minus realised.
* **Paid within 30 days**: booking day of the payment at most 30 days after
  the receipt (the period public bodies owe, Directive 2011/7/EU, § 271a BGB).
* **Paid within the agreed term**: booking day on or before the invoice's due
  date (BT-9 or from the payment terms, moved past weekends and holidays); an
  invoice without one counts against the 30 days.
* **Days from receipt to payment**: median (and 90th percentile) of the
  calendar days between receipt and booking day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from einvoice.domain.pilot_exit import days_text, percent
from einvoice.domain.pilot_metrics import percentile

LEGAL_DAYS = 30
_ZERO = Decimal(0)


class PaidRecord(NamedTuple):
    invoice_id: int
    department: str | None
    received_on: date
    paid_on: date
    due_date: date | None
    amount_paid: Decimal
    skonto_offered: Decimal  # the best discount offered (0: none)
    skonto_taken: Decimal

    @property
    def days(self) -> int:
        return (self.paid_on - self.received_on).days

    @property
    def within_30_days(self) -> bool:
        return self.days <= LEGAL_DAYS

    @property
    def within_term(self) -> bool:
        term = self.due_date or self.received_on + timedelta(days=LEGAL_DAYS)
        return self.paid_on <= term

    @property
    def skonto_lost(self) -> Decimal:
        return max(self.skonto_offered - self.skonto_taken, _ZERO)


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """The figures of one group (a month, an Amt, or all)."""

    key: str  # 2026-12, amt-10, or "" for all
    label: str  # Dezember 2026, Tiefbauamt, Gesamt
    paid: int
    amount: Decimal
    skonto_offered: Decimal
    skonto_realised: Decimal
    skonto_lost: Decimal
    within_30: int
    within_term: int
    median_days: float | None
    p90_days: float | None

    @property
    def share_30(self) -> Decimal | None:
        return None if not self.paid else Decimal(self.within_30) / Decimal(self.paid)

    @property
    def share_term(self) -> Decimal | None:
        return None if not self.paid else Decimal(self.within_term) / Decimal(self.paid)

    @property
    def share_30_text(self) -> str:
        return percent(self.share_30)

    @property
    def share_term_text(self) -> str:
        return percent(self.share_term)

    @property
    def median_text(self) -> str:
        return days_text(self.median_days)


@dataclass(frozen=True, slots=True)
class PaymentReport:
    total: PaymentRow
    by_month: tuple[PaymentRow, ...]  # oldest first
    by_office: tuple[PaymentRow, ...]  # most payments first


MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTHS_DE[int(month) - 1]} {year}"


def _row(key: str, label: str, records: list[PaidRecord]) -> PaymentRow:
    days = [float(r.days) for r in records]
    offered = sum((r.skonto_offered for r in records), _ZERO)
    realised = sum((r.skonto_taken for r in records), _ZERO)
    return PaymentRow(
        key=key,
        label=label,
        paid=len(records),
        amount=sum((r.amount_paid for r in records), _ZERO),
        skonto_offered=offered,
        skonto_realised=realised,
        skonto_lost=sum((r.skonto_lost for r in records), _ZERO),
        within_30=sum(r.within_30_days for r in records),
        within_term=sum(r.within_term for r in records),
        median_days=percentile(days, 0.5),
        p90_days=percentile(days, 0.9),
    )


def _groups(
    records: Iterable[PaidRecord], key: Callable[[PaidRecord], str]
) -> dict[str, list[PaidRecord]]:
    groups: dict[str, list[PaidRecord]] = {}
    for r in records:
        groups.setdefault(key(r), []).append(r)
    return groups


def payment_report(
    records: Iterable[PaidRecord], office_names: Mapping[str, str] | None = None
) -> PaymentReport:
    """The figures of the paid invoices ``records`` (all, per month of payment, per Amt)."""
    names = office_names or {}
    kept = list(records)
    months = _groups(kept, lambda r: month_key(r.paid_on))
    offices = _groups(kept, lambda r: r.department or "")
    by_office = [_row(k, names.get(k, k) if k else "ohne Amt", rows) for k, rows in offices.items()]
    return PaymentReport(
        total=_row("", "Gesamt", kept),
        by_month=tuple(_row(k, month_label(k), months[k]) for k in sorted(months)),
        by_office=tuple(sorted(by_office, key=lambda r: (-r.paid, r.label))),
    )
