"""Skonto (cash discount) terms: the structured form of BR-DE-18 entries in BT-20.

XRechnung writes cash discounts as lines of the payment terms text (BT-20)::

    #SKONTO#TAGE=14#PROZENT=2.00#
    #SKONTO#TAGE=30#PROZENT=1.00#BASISBETRAG=123.45#

:func:`skonto_terms` extracts every well-formed entry; checking the exact
syntax (and reporting problems) is the national rule layer's job. A term
knows its deadline (issue date + days) and its discount amount (percent of
the base amount, or of the amount due BT-115 when no base is given, rounded
half up to two decimals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from einvoice.domain.values import round_half_up

_ENTRY = re.compile(
    r"#SKONTO#TAGE=(?P<days>[0-9]+)#PROZENT=(?P<percent>-?[0-9]+(?:\.[0-9]+)?)#"
    r"(?:BASISBETRAG=(?P<base>-?[0-9]+(?:\.[0-9]+)?)#)?"
)
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class SkontoTerm:
    """``percent`` % discount when paid within ``days`` days of the issue date."""

    days: int
    percent: Decimal
    base_amount: Decimal | None = None  # None: the amount due for payment (BT-115)

    def deadline(self, issue_date: date) -> date:
        """The last day on which the discount may be taken (BT-2 + days)."""
        return issue_date + timedelta(days=self.days)

    def discount_amount(self, amount_due: Decimal | None) -> Decimal | None:
        """The discount in the invoice currency, rounded half up to cents.

        ``amount_due`` (BT-115) is the base when the entry names no base amount;
        ``None`` when neither is known.
        """
        base = self.base_amount if self.base_amount is not None else amount_due
        if base is None:
            return None
        return round_half_up(base * self.percent / HUNDRED)


@dataclass(frozen=True, slots=True)
class SkontoOffer:
    """A Skonto term resolved against one invoice: pay ``amount_to_pay`` by ``deadline``."""

    term: SkontoTerm
    deadline: date
    discount: Decimal | None
    amount_to_pay: Decimal | None  # BT-115 minus the discount


def skonto_terms(payment_terms: str | None) -> tuple[SkontoTerm, ...]:
    """Every well-formed ``#SKONTO#...#`` entry in a BT-20 text, in order."""
    if not payment_terms or "#SKONTO#" not in payment_terms:
        return ()
    terms: list[SkontoTerm] = []
    for line in payment_terms.splitlines():
        for match in _ENTRY.finditer(line.strip()):
            base = match.group("base")
            terms.append(
                SkontoTerm(
                    int(match.group("days")),
                    Decimal(match.group("percent")),
                    Decimal(base) if base is not None else None,
                )
            )
    return tuple(terms)


def offer(term: SkontoTerm, issue_date: date, amount_due: Decimal | None) -> SkontoOffer:
    discount = term.discount_amount(amount_due)
    to_pay = amount_due - discount if amount_due is not None and discount is not None else None
    return SkontoOffer(term, term.deadline(issue_date), discount, to_pay)
