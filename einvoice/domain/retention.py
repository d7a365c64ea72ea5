"""Statutory retention of invoices and their originals (pure rules, no I/O).

§ 147 Abs. 1 Nr. 4, Abs. 3 AO and § 257 HGB: Buchungsbelege (received invoices)
are kept for 8 years (10 years before 2025); the period starts at the end of
the calendar year in which the invoice was closed (handed to the cash office,
rejected, returned, replaced) - never at receipt. :func:`closed_on` is the one
place that decides that day. An open invoice never goes; a payment hold or a
legal hold (audit, lawsuit, tax inspection) keeps a record past its period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

#: Years of the default period (Buchungsbelege, § 147 Abs. 3 AO since 2025).
DEFAULT_YEARS = 8

#: The audit action retention appends to an invoice's chain (the tombstone).
TOMBSTONE_ACTION = "retention_delete"


#: Workflow states (``approval.Status`` values) in which an invoice is closed: nothing more
#: happens to it, the voucher is complete. When payments are recorded ("paid"), add that
#: state here and decide whether "exported" still closes an invoice.
CLOSING_STATES = frozenset({"exported", "rejected", "returned_to_supplier", "replaced"})


@dataclass(frozen=True, slots=True)
class StateChange:
    """One step of an invoice's audit trail: from which state to which, on which (local) day."""

    from_state: str | None
    to_state: str
    on: date


def closed_on(
    status: str | None, trail: Iterable[StateChange], paid_on: date | None = None
) -> date | None:
    """The day the invoice was closed (its period starts at the end of that year), or None
    while it is open (no workflow yet, or in a state that is not closing).

    The last change into a closing state counts (a rejected invoice later replaced by its
    correction closed on the day of the replacement), and the day it was paid when that is
    later (handed to the cash office in December, paid in January): the later day keeps it
    longer.
    """
    if status not in CLOSING_STATES:
        return None
    days = [c.on for c in trail if c.to_state in CLOSING_STATES and c.from_state != c.to_state]
    if paid_on is not None:
        days.append(paid_on)
    return max(days) if days else None


def retained_until(received_on: date, years: int = DEFAULT_YEARS) -> date:
    """The last day a record closed (or, without an invoice, received) on that day is kept."""
    if years < 1:
        raise ValueError("the retention period is at least one year")
    return date(received_on.year + years, 12, 31)


def is_due(received_on: date, today: date, years: int = DEFAULT_YEARS) -> bool:
    """May the record be deleted today (its period has ended)?"""
    return today > retained_until(received_on, years)


def first_year_kept(today: date, years: int = DEFAULT_YEARS) -> int:
    """Records closed in this year or later are still within their period (an invoice is
    closed on or after the day it was received, so the same holds for receipt)."""
    return today.year - years


@dataclass(frozen=True, slots=True)
class RetentionDecision:
    """Whether a received message (with its invoices) is deleted now, and why (German)."""

    due: bool
    held: bool
    retained_until: date
    reason_de: str

    @property
    def delete(self) -> bool:
        return self.due and not self.held


def decide(
    received_on: date,
    today: date,
    holds: tuple[str, ...],
    years: int = DEFAULT_YEARS,
    *,
    closed: tuple[date | None, ...] = (),
) -> RetentionDecision:
    """Is a received message due? ``closed``: the closing day of each of its invoices (None:
    still open). A message without invoices (nothing readable, refused) counts from receipt.
    ``holds``: open payment holds and legal holds (German, one each)."""
    if any(day is None for day in closed):
        open_count = sum(day is None for day in closed)
        return RetentionDecision(
            False,
            False,
            date.max,
            f"{open_count} {'Rechnung' if open_count == 1 else 'Rechnungen'} "
            "noch offen: keine Frist",
        )
    start = max([received_on, *(d for d in closed if d is not None)])
    until = retained_until(start, years)
    due = today > until
    if not due:
        reason = f"aufzubewahren bis {until:%d.%m.%Y}"
    elif holds:
        reason = f"Frist abgelaufen am {until:%d.%m.%Y}, aber gesperrt: {'; '.join(holds)}"
    else:
        reason = f"Aufbewahrungsfrist abgelaufen am {until:%d.%m.%Y}"
    return RetentionDecision(due, bool(holds) and due, until, reason)
