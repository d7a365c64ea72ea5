"""Payment and Skonto deadlines of an invoice, and how urgent they are.

* **Due date**: BT-9 when the invoice states one; else the number of days the
  payment terms text (BT-20) states ("zahlbar innerhalb von 30 Tagen", "14 Tage
  netto", "net 30"; counted from the issue date BT-2, or from receipt when the
  text says so); else the legal default for public buyers: 30 days after
  receipt of a correct invoice.
* **Skonto**: each structured Skonto term (BR-DE-18, see
  ``einvoice.domain.skonto``) gives a deadline (issue date + days) and a
  discount (percent of the base amount if the term names one, else of the
  amount due BT-115; half up to two decimals).
* **Weekends**: a deadline on a Saturday or Sunday moves to the next Monday
  (§ 193 BGB: when the last day of a period falls on a Saturday, Sunday or
  public holiday, the next working day takes its place). Public holidays are
  optional: pass ``is_holiday`` (e.g. :func:`nationwide_holiday`, the
  holidays common to all Länder) and such days are skipped as well.
* **Credit notes** (BT-3 a credit note type such as 381) and negative or zero
  amounts due have no payment deadline and no Skonto: the city pays nothing.

:func:`deadline_status` classifies a deadline for the scheduler as ``ok``,
``soon`` (at most N days left) or ``overdue``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from einvoice.domain.invoice import CREDIT_NOTE_TYPE_CODES
from einvoice.domain.skonto import SkontoTerm

if TYPE_CHECKING:
    from einvoice.domain.invoice import Invoice

#: Public buyers pay within 30 days of receiving a correct invoice.
LEGAL_PAYMENT_DAYS = 30
#: Days before a deadline from which it counts as "soon".
DEFAULT_SOON_DAYS = 5
_MAX_TERM_DAYS = 366

HolidayCheck = Callable[[date], bool]


class DueDateSource(StrEnum):
    DUE_DATE = "due_date"  # BT-9 stated in the invoice
    PAYMENT_TERMS = "payment_terms"  # days stated in the BT-20 text
    LEGAL_DEFAULT = "legal_default"  # 30 days after receipt
    NOTHING_TO_PAY = "nothing_to_pay"  # credit note, negative or zero amount due


class DeadlineStatus(StrEnum):
    OK = "ok"
    SOON = "soon"
    OVERDUE = "overdue"
    NONE = "none"  # no deadline (nothing to pay)


@dataclass(frozen=True, slots=True)
class SkontoDeadline:
    """A Skonto term resolved: pay ``amount_to_pay`` by ``deadline`` to save ``discount``."""

    term: SkontoTerm
    nominal_date: date  # issue date + days, before moving past weekends
    deadline: date  # the last day to pay with the discount
    base_amount: Decimal | None  # what the percentage applies to
    discount: Decimal | None  # None when no base amount is known
    amount_to_pay: Decimal | None  # amount due minus discount


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The deadlines of one invoice."""

    due_date: date | None  # last day to pay (moved past weekends); None: nothing to pay
    nominal_due_date: date | None  # before moving past weekends
    source: DueDateSource
    skonto: tuple[SkontoDeadline, ...] = ()

    @property
    def nothing_to_pay(self) -> bool:
        return self.source is DueDateSource.NOTHING_TO_PAY

    def open_skonto(self, today: date) -> tuple[SkontoDeadline, ...]:
        """Skonto offers that can still be taken, earliest deadline first."""
        return tuple(sorted((s for s in self.skonto if s.deadline >= today), key=_by_deadline))

    def next_deadline(self, today: date) -> date | None:
        """The earliest open Skonto deadline, else the due date (which may have passed)."""
        open_offers = self.open_skonto(today)
        return open_offers[0].deadline if open_offers else self.due_date

    def status(self, today: date, soon_days: int = DEFAULT_SOON_DAYS) -> DeadlineStatus:
        """How urgent the invoice is today (the next deadline, see :meth:`next_deadline`)."""
        return deadline_status(self.next_deadline(today), today, soon_days)


def deadline_status(
    deadline: date | None, today: date, soon_days: int = DEFAULT_SOON_DAYS
) -> DeadlineStatus:
    """``overdue`` after the deadline, ``soon`` within ``soon_days`` days of it, else ``ok``."""
    if deadline is None:
        return DeadlineStatus.NONE
    if today > deadline:
        return DeadlineStatus.OVERDUE
    if (deadline - today).days <= soon_days:
        return DeadlineStatus.SOON
    return DeadlineStatus.OK


def next_business_day(day: date, is_holiday: HolidayCheck | None = None) -> date:
    """``day`` itself, or - on a Saturday, Sunday or holiday - the next working day.

    § 193 BGB: a deadline ending on a Saturday, Sunday or public holiday ends on
    the next working day instead, so Saturday and Sunday move to Monday.
    """
    while day.weekday() >= 5 or (is_holiday is not None and is_holiday(day)):
        day += timedelta(days=1)
    return day


def compute_deadlines(
    *,
    issue_date: date,
    received_on: date,
    amount_due: Decimal | None,
    due_date: date | None = None,
    payment_terms: str | None = None,
    skonto_terms: Sequence[SkontoTerm] = (),
    type_code: str = "380",
    credit_note: bool = False,
    legal_days: int = LEGAL_PAYMENT_DAYS,
    is_holiday: HolidayCheck | None = None,
) -> Deadlines:
    """The deadlines from the invoice's terms (BT-2, BT-9, BT-20, BT-115, BT-3)."""
    if (
        credit_note
        or type_code in CREDIT_NOTE_TYPE_CODES
        or (amount_due is not None and amount_due <= 0)
    ):
        return Deadlines(None, None, DueDateSource.NOTHING_TO_PAY)
    nominal, source = _nominal_due_date(
        issue_date, received_on, due_date, payment_terms, legal_days
    )
    skonto = tuple(_skonto(term, issue_date, amount_due, is_holiday) for term in skonto_terms)
    return Deadlines(next_business_day(nominal, is_holiday), nominal, source, skonto)


def deadlines_for_invoice(
    inv: Invoice,
    received_on: date,
    *,
    legal_days: int = LEGAL_PAYMENT_DAYS,
    is_holiday: HolidayCheck | None = None,
) -> Deadlines:
    """The deadlines of a canonical invoice received on ``received_on``."""
    return compute_deadlines(
        issue_date=inv.issue_date,
        received_on=received_on,
        amount_due=inv.totals.amount_due,
        due_date=inv.due_date,
        payment_terms=inv.payment_terms,
        skonto_terms=inv.skonto_terms,
        type_code=inv.type_code,
        credit_note=inv.is_credit_note,
        legal_days=legal_days,
        is_holiday=is_holiday,
    )


def _nominal_due_date(
    issue_date: date,
    received_on: date,
    due_date: date | None,
    payment_terms: str | None,
    legal_days: int,
) -> tuple[date, DueDateSource]:
    if due_date is not None:
        return due_date, DueDateSource.DUE_DATE
    stated = payment_days_in_terms(payment_terms)
    if stated is not None:
        days, from_receipt = stated
        start = received_on if from_receipt else issue_date
        return start + timedelta(days=days), DueDateSource.PAYMENT_TERMS
    return received_on + timedelta(days=legal_days), DueDateSource.LEGAL_DEFAULT


def _skonto(
    term: SkontoTerm,
    issue_date: date,
    amount_due: Decimal | None,
    is_holiday: HolidayCheck | None,
) -> SkontoDeadline:
    nominal = term.deadline(issue_date)
    base = term.base_amount if term.base_amount is not None else amount_due
    discount = term.discount_amount(amount_due)
    to_pay = amount_due - discount if amount_due is not None and discount is not None else None
    return SkontoDeadline(
        term, nominal, next_business_day(nominal, is_holiday), base, discount, to_pay
    )


_SKONTO_ENTRY = re.compile(r"#SKONTO#[^\n]*")
_CLAUSE_SPLIT = re.compile(r"[\n;.]|,(?!\d)")
_DAYS = re.compile(
    r"(?<![\d.,])(\d{1,3})\s*(?:-\s*)?(?:kalender|werk)?(?:tagen|tage|tag|days|day)\b"
    r"|\b(?:netto|net)\s*(\d{1,3})\b",
    re.IGNORECASE,
)
_DISCOUNT_WORDS = re.compile(r"skonto|%|prozent|percent|discount|abzug von", re.IGNORECASE)
_FROM_RECEIPT = re.compile(r"eingang|erhalt|zugang|receipt", re.IGNORECASE)


def payment_days_in_terms(text: str | None) -> tuple[int, bool] | None:
    """The payment period a BT-20 text states, in days, and whether it counts from receipt.

    Structured ``#SKONTO#`` entries and clauses about discounts are left out;
    of the remaining periods the longest is the net payment period
    ("10 Tage 2 % Skonto, 30 Tage netto" -> 30). ``None`` when no period is stated.
    """
    if not text:
        return None
    best: tuple[int, bool] | None = None
    for clause in _CLAUSE_SPLIT.split(_SKONTO_ENTRY.sub("", text)):
        if _DISCOUNT_WORDS.search(clause):
            continue
        for match in _DAYS.finditer(clause):
            days = int(match.group(1) or match.group(2))
            if days > _MAX_TERM_DAYS:
                continue
            if best is None or days > best[0]:
                best = (days, bool(_FROM_RECEIPT.search(clause)))
    return best


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nationwide_holiday(day: date) -> bool:
    """Public holidays in every German Land (Land-specific ones are not included)."""
    if (day.month, day.day) in {(1, 1), (5, 1), (10, 3), (12, 25), (12, 26)}:
        return True
    easter = easter_sunday(day.year)
    return (day - easter).days in {-2, 1, 39, 50}  # Karfreitag, Ostermontag, Himmelfahrt, Pfingstm.


def _by_deadline(offer: SkontoDeadline) -> date:
    return offer.deadline


__all__ = [
    "DEFAULT_SOON_DAYS",
    "LEGAL_PAYMENT_DAYS",
    "DeadlineStatus",
    "Deadlines",
    "DueDateSource",
    "HolidayCheck",
    "SkontoDeadline",
    "compute_deadlines",
    "deadline_status",
    "deadlines_for_invoice",
    "easter_sunday",
    "nationwide_holiday",
    "next_business_day",
    "payment_days_in_terms",
]
