"""A payment that came back from the cash office or the bank, matched to its payment order.

Pure: the service reads the file (:mod:`einvoice.formats.payment_csv`,
:mod:`einvoice.formats.camt`) into :class:`PaymentEntry` values and looks the
orders up; :func:`match` decides what one payment means for them:

* The remittance information (or the cash system's order column) names the
  order by its Anordnungsnummer (``AO-0000123``, see
  :mod:`einvoice.domain.payment_order_number`). The payment **pays** the
  invoice when its amount is the amount due (BT-115), or the amount due less a
  Skonto within what the invoice offered on the day of the payment (the Skonto
  taken is recorded). Several orders in one transfer are paid when the amount
  is exactly the sum of their amounts due.
* Anything else - less (a partial payment), more, another currency, an invoice
  paid before, a Skonto taken late or larger than offered - is **open** for a
  person of creditor accounting to decide. A payment never marks an invoice
  paid with a different amount by itself.
* A payment without an Anordnungsnummer is open too; when exactly the
  creditor's account (or name), the amount and the date fit an ordered, unpaid
  invoice, that invoice is *proposed* (a person confirms it).
* An Anordnungsnummer that names no ordered invoice is an error of the file
  (:attr:`Outcome.UNKNOWN_ORDER`): the import refuses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from einvoice.domain.creditors import normal_name
from einvoice.domain.payment_order_number import find_order_numbers, order_number

_ZERO = Decimal(0)
#: How long after the order a payment may still be proposed for it (creditor + amount + date).
PROPOSAL_DAYS = 120


@dataclass(frozen=True, slots=True)
class PaymentEntry:
    """One payment out of the city's account (one line of the CSV, one camt transaction)."""

    key: str  # idempotency key: the bank's or cash system's reference of the entry
    line: int  # where it is in the file (1-based)
    booked_on: date  # Buchungstag (the day the money left the account)
    amount: Decimal  # paid out, positive
    currency: str  # ISO 4217
    remittance: str  # Verwendungszweck (unstructured and structured references)
    order_text: str  # where the Anordnungsnummer is looked for
    order_column: str  # the column / element that text came from (for error messages)
    creditor_iban: str | None = None  # the payee's account
    creditor_name: str | None = None
    returned: bool = False  # a payment that came back (camt: reversal of a debit, a credit)
    end_to_end: str | None = None  # the payer's end-to-end reference (camt EndToEndId)

    @property
    def orders(self) -> tuple[int, ...]:
        """The invoice ids of the Anordnungsnummern in the entry, in order."""
        return tuple(find_order_numbers(self.order_text))


@dataclass(frozen=True, slots=True)
class SkontoOffer:
    deadline: date  # last day (moved past weekends and holidays)
    discount: Decimal
    amount_to_pay: Decimal


@dataclass(frozen=True, slots=True)
class OrderedInvoice:
    """An invoice whose payment was ordered (Anordnung and / or handed to the cash office)."""

    invoice_id: int
    amount_due: Decimal  # BT-115
    currency: str | None
    skonto: tuple[SkontoOffer, ...] = ()
    paid_on: date | None = None  # paid before (this import or an earlier one)
    paid_so_far: Decimal = _ZERO  # partial payments a person assigned
    ibans: tuple[str, ...] = ()  # the creditor's accounts (invoice BT-84, master data)
    creditor_name: str | None = None
    ordered_on: date | None = None
    received_on: date | None = None

    @property
    def number(self) -> str:
        return order_number(self.invoice_id)

    def skonto_allowed(self, on: date) -> Decimal:
        """The largest Skonto the invoice offers for a payment on ``on`` (0: none)."""
        return max((o.discount for o in self.skonto if o.deadline >= on), default=_ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.amount_due - self.paid_so_far


class Outcome(StrEnum):
    PAID = "paid"  # the amount due (or less a Skonto within the offer)
    PARTIAL = "partial"  # less than due, and not a Skonto within the offer
    DIFFERENT = "different"  # more than due, another currency, a Skonto taken too late
    ALREADY_PAID = "already_paid"  # the invoice was paid before
    NO_ORDER = "no_order"  # no Anordnungsnummer in the entry
    SEVERAL = "several"  # several orders in one transfer that do not add up
    RETURNED = "returned"  # the money came back (Rückbuchung / Rücküberweisung)
    UNKNOWN_ORDER = "unknown_order"  # names an order that does not exist: a file error
    SAME = "same"  # read before from the other source (domain.payment_identity)


OUTCOME_LABELS_DE: dict[Outcome, str] = {
    Outcome.PAID: "bezahlt",
    Outcome.PARTIAL: "Teilzahlung",
    Outcome.DIFFERENT: "abweichender Betrag",
    Outcome.ALREADY_PAID: "Rechnung war schon bezahlt",
    Outcome.NO_ORDER: "ohne Anordnungsnummer",
    Outcome.SEVERAL: "Sammelzahlung passt nicht",
    Outcome.RETURNED: "Rückbuchung",
    Outcome.UNKNOWN_ORDER: "unbekannte Anordnung",
    Outcome.SAME: "dieselbe Zahlung aus einer anderen Datei",
}


@dataclass(frozen=True, slots=True)
class Settlement:
    """One invoice a payment pays: how much of it and with which Skonto."""

    invoice_id: int
    amount: Decimal
    skonto: Decimal = _ZERO


@dataclass(frozen=True, slots=True)
class Match:
    outcome: Outcome
    reason_de: str
    settles: tuple[Settlement, ...] = ()  # only for PAID
    invoice_ids: tuple[int, ...] = ()  # the orders named (or the proposal)
    proposal: int | None = None  # NO_ORDER: the invoice creditor + amount + date point to

    @property
    def paid(self) -> bool:
        return self.outcome is Outcome.PAID


def euro(amount: Decimal) -> str:
    """``1234.5`` -> ``1.234,50 €``."""
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} €"


def match(entry: PaymentEntry, orders: Mapping[int, OrderedInvoice]) -> Match:
    """What ``entry`` means for the ordered invoices ``orders`` (see the module docstring).

    ``orders`` must hold every invoice the entry names that is ordered; a named
    id missing from it is an unknown order.
    """
    if entry.returned:
        return Match(
            Outcome.RETURNED,
            f"Zahlung über {euro(entry.amount)} kam zurück (Rückbuchung); bitte prüfen.",
            invoice_ids=tuple(i for i in entry.orders if i in orders),
        )
    named = entry.orders
    if not named:
        return Match(
            Outcome.NO_ORDER,
            "Keine Anordnungsnummer im Verwendungszweck.",
        )
    unknown = [i for i in named if i not in orders]
    if unknown:
        return Match(
            Outcome.UNKNOWN_ORDER,
            f"Die Anordnung {', '.join(order_number(i) for i in unknown)} gibt es nicht "
            "(keine angeordnete Rechnung mit dieser Nummer).",
            invoice_ids=tuple(named),
        )
    if len(named) == 1:
        return _one(entry, orders[named[0]])
    return _several(entry, [orders[i] for i in named])


def _one(entry: PaymentEntry, order: OrderedInvoice) -> Match:
    ids = (order.invoice_id,)
    if order.paid_on is not None:
        return Match(
            Outcome.ALREADY_PAID,
            f"{order.number} ist schon seit {order.paid_on:%d.%m.%Y} als bezahlt erfasst; "
            f"weitere Zahlung über {euro(entry.amount)}.",
            invoice_ids=ids,
        )
    if order.currency and entry.currency != order.currency:
        return Match(
            Outcome.DIFFERENT,
            f"Zahlung in {entry.currency}, die Rechnung lautet auf {order.currency}.",
            invoice_ids=ids,
        )
    due = order.outstanding
    if entry.amount == due:
        return Match(Outcome.PAID, "Betrag wie angeordnet.", (Settlement(*ids, entry.amount),), ids)
    if entry.amount > due:
        return Match(
            Outcome.DIFFERENT,
            f"Gezahlt {euro(entry.amount)}, offen waren {euro(due)} "
            f"({euro(entry.amount - due)} zu viel).",
            invoice_ids=ids,
        )
    difference = due - entry.amount
    allowed = order.skonto_allowed(entry.booked_on) if order.paid_so_far == 0 else _ZERO
    if entry.amount > 0 and difference <= allowed:
        return Match(
            Outcome.PAID,
            f"Betrag abzüglich {euro(difference)} Skonto (angeboten bis {euro(allowed)}).",
            (Settlement(order.invoice_id, entry.amount, difference),),
            ids,
        )
    best = max((o.discount for o in order.skonto), default=_ZERO)
    if best > 0 and difference <= best:
        return Match(
            Outcome.DIFFERENT,
            f"{euro(difference)} Skonto abgezogen, die Skontofrist war am "
            f"{entry.booked_on:%d.%m.%Y} aber abgelaufen.",
            invoice_ids=ids,
        )
    return Match(
        Outcome.PARTIAL,
        f"Gezahlt {euro(entry.amount)} von {euro(due)} ({euro(difference)} fehlen).",
        invoice_ids=ids,
    )


def _several(entry: PaymentEntry, named: Sequence[OrderedInvoice]) -> Match:
    ids = tuple(o.invoice_id for o in named)
    paid = [o for o in named if o.paid_on is not None]
    if paid:
        return Match(
            Outcome.ALREADY_PAID,
            f"{', '.join(o.number for o in paid)} schon als bezahlt erfasst.",
            invoice_ids=ids,
        )
    total = sum((o.outstanding for o in named), _ZERO)
    same_currency = all(o.currency in (None, entry.currency) for o in named)
    if entry.amount == total and same_currency:
        settles = tuple(Settlement(o.invoice_id, o.outstanding) for o in named)
        return Match(Outcome.PAID, "Sammelzahlung, Summe wie angeordnet.", settles, ids)
    return Match(
        Outcome.SEVERAL,
        f"Sammelzahlung über {euro(entry.amount)} für {len(named)} Anordnungen, "
        f"deren Summe {euro(total)} ist.",
        invoice_ids=ids,
    )


def proposal(entry: PaymentEntry, candidates: Iterable[OrderedInvoice]) -> OrderedInvoice | None:
    """The one ordered, unpaid invoice creditor + amount + date point to, else None.

    Creditor: the payee's IBAN is one of the invoice's accounts, or (no IBAN in
    the entry) the payee's name is the creditor's. Amount: the amount due, or
    the amount less a Skonto offered until the booking day. Date: booked on or
    after the order and at most :data:`PROPOSAL_DAYS` days later. Two or more
    such invoices: no proposal (a person has to look).
    """
    fitting = [c for c in candidates if _fits(entry, c)]
    return fitting[0] if len(fitting) == 1 else None


def _fits(entry: PaymentEntry, order: OrderedInvoice) -> bool:
    if order.paid_on is not None or (order.currency and order.currency != entry.currency):
        return False
    if entry.creditor_iban:
        if entry.creditor_iban not in order.ibans:
            return False
    elif not (
        entry.creditor_name
        and order.creditor_name
        and normal_name(entry.creditor_name) == normal_name(order.creditor_name)
    ):
        return False
    amounts = {order.outstanding} | {
        o.amount_to_pay for o in order.skonto if o.deadline >= entry.booked_on
    }
    if entry.amount not in amounts:
        return False
    start = order.ordered_on or order.received_on
    return start is None or start <= entry.booked_on <= start + timedelta(days=PROPOSAL_DAYS)
