"""One payment in two sources: the cash office's CSV and the bank's camt.

Within one source a payment is known again by its reference (the bank's
``AcctSvcrRef``, the cash system's Buchungsreferenz): the camt.054 of the day and
the camt.053 statement give one payment. The cash office and the bank do not
share a reference, so a payment read from both is recognised by what both files
carry (:func:`pair`):

* the same Anordnungsnummern (at least one: a payment without one is never taken
  for another), amount and currency, the payee's IBAN when both files name one,
  the end-to-end reference when both carry one (the cash office sets it in its
  transfer order, the bank passes it on);
* booking days at most :data:`SAME_PAYMENT_DAYS` calendar days apart (the cash
  office's payment day and the bank's booking day differ over weekends and
  holidays);
* one to one: a payment of one source is the same as at most one of the other.
  Two real payments of equal amount on the same day to the same creditor for the
  same order are two lines in each source, so they pair up as two; a third
  payment the other source does not list finds no partner and stays a payment of
  its own (a person sees it: the invoice was paid before).

Returned payments (Rückbuchungen) are never paired: the CSV has none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from einvoice.domain.payment_matching import PaymentEntry

#: How many calendar days the cash office's payment day and the bank's booking day of one
#: payment may be apart (a long weekend with a holiday: Thursday to Tuesday).
SAME_PAYMENT_DAYS = 5
CASH = "kasse"
BANK = "bank"


def source_of(key: str) -> str:
    """The source of an entry by its key: the cash office's CSV or the bank's camt."""
    return CASH if key.startswith("csv") else BANK


@dataclass(frozen=True, slots=True)
class Recorded:
    """A payment recorded from an earlier file that no payment of the other source matched."""

    payment_id: int
    source: str  # CASH or BANK
    booked_on: date
    amount: Decimal
    currency: str
    orders: tuple[int, ...]  # the invoice ids of its Anordnungsnummern
    creditor_iban: str | None = None
    end_to_end: str | None = None


Identity = tuple[str, Decimal, tuple[int, ...]]


def identity(
    orders: Iterable[int], amount: Decimal, currency: str, *, returned: bool = False
) -> Identity | None:
    """What must be equal for two payments to be one (None: never paired)."""
    named = tuple(sorted(set(orders)))
    if returned or not named:
        return None
    return (currency.upper(), amount.normalize(), named)


def _agree(one: str | None, other: str | None) -> bool:
    return one is None or other is None or one == other


def compatible(entry: PaymentEntry, recorded: Recorded) -> bool:
    """Could ``entry`` be the same payment as ``recorded`` (see the module docstring)?"""
    mine = identity(entry.orders, entry.amount, entry.currency, returned=entry.returned)
    theirs = identity(recorded.orders, recorded.amount, recorded.currency)
    return (
        mine is not None
        and mine == theirs
        and source_of(entry.key) != recorded.source
        and abs((entry.booked_on - recorded.booked_on).days) <= SAME_PAYMENT_DAYS
        and _agree(entry.creditor_iban, recorded.creditor_iban)
        and _agree(entry.end_to_end, recorded.end_to_end)
    )


def pair(entries: Sequence[PaymentEntry], recorded: Iterable[Recorded]) -> dict[str, int]:
    """Entry key -> id of the recorded payment of the other source it is the same as.

    One to one; per identity the entries and the recorded payments are taken in the order
    of their days, each entry with the earliest compatible recorded payment still free
    (so a payment close to two candidates does not take the one a later entry needs)."""
    by_identity: dict[Identity, list[Recorded]] = defaultdict(list)
    for r in recorded:
        found = identity(r.orders, r.amount, r.currency)
        if found is not None:
            by_identity[found].append(r)
    for group in by_identity.values():
        group.sort(key=lambda r: (r.booked_on, r.payment_id))
    taken: set[int] = set()
    out: dict[str, int] = {}
    ordered = sorted(enumerate(entries), key=lambda pair_: (pair_[1].booked_on, pair_[0]))
    for _, entry in ordered:
        found = identity(entry.orders, entry.amount, entry.currency, returned=entry.returned)
        if found is None:
            continue
        for candidate in by_identity.get(found, ()):
            if candidate.payment_id not in taken and compatible(entry, candidate):
                taken.add(candidate.payment_id)
                out[entry.key] = candidate.payment_id
                break
    return out


def described(recorded: Mapping[int, tuple[str, int]], payment_id: int) -> str:
    """German: which payment an entry is the same as (file and line when known)."""
    where = recorded.get(payment_id)
    if where is None:
        return f"Zahlung {payment_id}"
    return f"Zahlung {payment_id} ({where[0]}, Zeile {where[1]})"


__all__ = [
    "BANK",
    "CASH",
    "SAME_PAYMENT_DAYS",
    "Recorded",
    "compatible",
    "described",
    "identity",
    "pair",
    "source_of",
]
