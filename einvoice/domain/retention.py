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
from datetime import date, datetime, timedelta

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


# --- drafts of the Weberfassung ---------------------------------------------------------------
#
# A draft is the supplier's own copy of an invoice being typed in (personal data: names,
# addresses, bank accounts, attachments). It is no Buchungsbeleg: the invoice the city
# received is kept as its original XML under the periods above. So a draft goes when it is
# no longer needed - never while it is still needed.

#: Days an unsubmitted draft is kept after its last change (EINVOICE_DRAFT_RETENTION_DAYS).
DEFAULT_DRAFT_DAYS = 180
#: Days a submitted draft is kept after submitting, for the supplier's downloads
#: (EINVOICE_SUBMITTED_DRAFT_DAYS).
DEFAULT_SUBMITTED_DRAFT_DAYS = 30


@dataclass(frozen=True, slots=True)
class DraftPeriods:
    """How long drafts are kept: unsubmitted after the last change, submitted after submitting."""

    untouched_days: int = DEFAULT_DRAFT_DAYS
    submitted_days: int = DEFAULT_SUBMITTED_DRAFT_DAYS

    def __post_init__(self) -> None:
        if self.untouched_days < 1 or self.submitted_days < 1:
            raise ValueError("drafts are kept at least one day")


@dataclass(frozen=True, slots=True)
class DraftFacts:
    """What retention knows of one draft (times with their zone)."""

    changed_at: datetime  # the last change (saving, attachments, submitting)
    submitted: bool  # submitted: the city received it as a submission of the account
    submitted_at: datetime | None
    submission_recorded: bool  # that submission is in the city's records (its message)
    corrects_open_invoice: bool  # the correction of a returned invoice still waiting for it


#: Why a draft goes (``DraftDecision.kind``).
UNTOUCHED = "untouched"
SUBMITTED = "submitted"
OPEN_CORRECTION = "open_correction"  # kept while the returned invoice is open (no date)
UNRECORDED = "unrecorded"  # submitted, the submission not recorded: kept (no date)


@dataclass(frozen=True, slots=True)
class DraftDecision:
    """Whether a draft is deleted now; ``until``: the moment after which it goes if nothing
    changes (None: kept as long as it is needed); ``reason_de`` says why (German)."""

    delete: bool
    kind: str  # UNTOUCHED, SUBMITTED, OPEN_CORRECTION or UNRECORDED
    until: datetime | None
    reason_de: str

    @property
    def needed(self) -> bool:
        """Kept as long as it is needed, whatever its age."""
        return self.until is None


def days_de(count: int) -> str:
    """``1 Tag``, ``30 Tagen`` (dative, after "seit/vor mehr als")."""
    return f"{count} Tag" if count == 1 else f"{count} Tagen"


def decide_draft(facts: DraftFacts, now: datetime, periods: DraftPeriods) -> DraftDecision:
    """Is the draft deleted now? Never while still needed: the correction of a returned
    invoice that is still open, a submitted draft whose submission is not recorded, and
    any draft changed within its period (the shorter period at the least)."""
    if facts.corrects_open_invoice:
        return DraftDecision(
            False,
            OPEN_CORRECTION,
            None,
            "Korrektur einer zurückgegebenen Rechnung, die noch offen ist",
        )
    if facts.submitted:
        if not facts.submission_recorded:
            return DraftDecision(
                False, UNRECORDED, None, "eingereicht, aber die Einreichung ist nicht verzeichnet"
            )
        start = max(facts.changed_at, facts.submitted_at or facts.changed_at)
        until = start + timedelta(days=periods.submitted_days)
        due = now > until
        words = "vor mehr als" if due else "vor höchstens"
        return DraftDecision(
            due, SUBMITTED, until, f"eingereicht {words} {days_de(periods.submitted_days)}"
        )
    until = facts.changed_at + timedelta(days=periods.untouched_days)
    due = now > until
    reason = (
        f"seit mehr als {days_de(periods.untouched_days)} nicht geändert"
        if due
        else f"in den letzten {days_de(periods.untouched_days)} geändert"
    )
    return DraftDecision(due, UNTOUCHED, until, reason)
