"""Statutory retention of invoices and their originals (pure rules, no I/O).

§ 147 Abs. 1 Nr. 4, Abs. 3 AO and § 257 HGB: Buchungsbelege (received invoices)
are kept for 8 years (10 years before 2025); the period starts at the end of
the calendar year in which the record arose - for a received invoice, the year
of receipt. A legal hold (audit, lawsuit, tax inspection) keeps a record past it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Years of the default period (Buchungsbelege, § 147 Abs. 3 AO since 2025).
DEFAULT_YEARS = 8

#: The audit action retention appends to an invoice's chain (the tombstone).
TOMBSTONE_ACTION = "retention_delete"


def retained_until(received_on: date, years: int = DEFAULT_YEARS) -> date:
    """The last day a record received on ``received_on`` must be kept."""
    if years < 1:
        raise ValueError("the retention period is at least one year")
    return date(received_on.year + years, 12, 31)


def is_due(received_on: date, today: date, years: int = DEFAULT_YEARS) -> bool:
    """May the record be deleted today (its period has ended)?"""
    return today > retained_until(received_on, years)


def first_year_kept(today: date, years: int = DEFAULT_YEARS) -> int:
    """Records received in this year or later are still within their period."""
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
    received_on: date, today: date, holds: tuple[str, ...], years: int = DEFAULT_YEARS
) -> RetentionDecision:
    until = retained_until(received_on, years)
    due = today > until
    if not due:
        reason = f"aufzubewahren bis {until:%d.%m.%Y}"
    elif holds:
        reason = f"Frist abgelaufen am {until:%d.%m.%Y}, aber gesperrt: {'; '.join(holds)}"
    else:
        reason = f"Aufbewahrungsfrist abgelaufen am {until:%d.%m.%Y}"
    return RetentionDecision(due, bool(holds) and due, until, reason)
