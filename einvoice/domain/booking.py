"""Booking records for the city's budget and cash system (HKR): what an export hands over.

With a Kontierung (issue 24) a record carries one :class:`BookingLine` per split
(Buchungsstelle, Haushaltsjahr, gross or - BgA - net and VAT apart) and the
payment order's number (Anordnungsnummer); :func:`rows` gives the export's rows:
one per booking line, the invoice's columns repeated, the amount column
(``betrag``) the line's amount so that the rows still add up to what is paid.

One :class:`BookingRecord` per ordered invoice (Anordnung): who is paid
(creditor, IBAN), how much and by when (amount due, due date, Skonto), where it
is booked (cost centre, department, Leitweg-ID) and which archived original it
rests on (SHA-256 of the original file, GoBD). Amounts are from the buyer's
side: a credit note has a negative amount (money comes back).

:func:`booking_record` builds one from the canonical invoice and the workflow's
facts; :data:`FIELDS` is the column order of the export files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from einvoice.domain.invoice import Invoice

#: Longest booking text (Buchungstext) the export writes.
BOOKING_TEXT_LENGTH = 140


@dataclass(frozen=True, slots=True)
class BookingLine:
    """One split of the Kontierung as booked."""

    produkt: str
    sachkonto: str
    kostenstelle: str
    auftrag: str
    year: int  # Haushaltsjahr
    amount: Decimal  # gross, signed
    net: Decimal
    vat: Decimal
    apart: bool  # BgA with input-tax deduction: net and VAT booked apart

    @property
    def key(self) -> str:
        parts = [self.produkt, self.sachkonto, self.kostenstelle]
        return "/".join([*parts, self.auftrag] if self.auftrag else parts)


@dataclass(frozen=True, slots=True)
class BookingRecord:
    """One invoice as a booking record for the budget system."""

    invoice_id: int  # the invoice's number in this system
    invoice_number: str  # BT-1
    invoice_date: date  # BT-2
    creditor_name: str  # BT-27 seller name
    creditor_id: str  # BT-31 VAT id, else BT-32, BT-30, BT-29 (the seller's stable id)
    iban: str | None  # BT-84 (spaces removed)
    bic: str | None  # BT-86
    amount: Decimal  # BT-115 from the buyer's side (credit note: negative)
    currency: str  # BT-5
    due_date: date | None  # last day to pay (moved past weekends); None: nothing to pay
    skonto_deadline: date | None  # the earliest Skonto offer still open at export
    skonto_discount: Decimal | None
    skonto_amount_to_pay: Decimal | None
    cost_centre: str | None  # BT-19, else the department's first cost centre
    department: str  # Department.key
    leitweg_id: str | None  # BT-10
    booking_text: str
    remittance_information: str | None  # BT-83 (Verwendungszweck)
    original_sha256: str  # the archived original (blob store)
    ordered_by: str  # who ordered the payment (Anordnung)
    creditor_number: str | None = None  # Kreditorennummer of the finance system (master data)
    order_number: str | None = None  # Anordnungsnummer AO-0000123 (payment_order_number)
    lines: tuple[BookingLine, ...] = ()  # the Kontierung; empty: booked on cost_centre


#: Column names of the export files (German, machine-readable) and their record fields.
FIELDS: tuple[tuple[str, str], ...] = (
    ("rechnung_id", "invoice_id"),
    ("rechnungsnummer", "invoice_number"),
    ("rechnungsdatum", "invoice_date"),
    ("kreditor_name", "creditor_name"),
    ("kreditorennummer", "creditor_number"),
    ("kreditor_id", "creditor_id"),
    ("iban", "iban"),
    ("bic", "bic"),
    ("betrag", "amount"),
    ("waehrung", "currency"),
    ("faellig_am", "due_date"),
    ("skonto_bis", "skonto_deadline"),
    ("skonto_betrag", "skonto_discount"),
    ("zahlbetrag_mit_skonto", "skonto_amount_to_pay"),
    ("kostenstelle", "cost_centre"),
    ("amt", "department"),
    ("leitweg_id", "leitweg_id"),
    ("buchungstext", "booking_text"),
    ("verwendungszweck", "remittance_information"),
    ("original_sha256", "original_sha256"),
    ("angeordnet_von", "ordered_by"),
)

#: Columns appended by issue 24 (after all earlier ones, so readers by position still work).
LINE_FIELDS: tuple[str, ...] = (
    "anordnungsnummer",
    "buchung",  # 1/2: the booking line of the invoice and how many it has
    "buchungsstelle",
    "produkt",
    "sachkonto",
    "auftrag",
    "haushaltsjahr",
    "netto",
    "umsatzsteuer",
    "vorsteuerabzug",  # ja: BgA, net and VAT booked apart; nein: booked gross
    "rechnungsbetrag",  # the invoice's whole amount due (betrag: this line's part)
)
#: Invoice-level amounts given on the first booking line only (the rows keep adding up).
_FIRST_LINE_ONLY = ("skonto_betrag", "zahlbetrag_mit_skonto")


def _money(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def rows(record: BookingRecord) -> list[dict[str, str | int | None]]:
    """The export's rows of one record: one per booking line (one row without Kontierung)."""
    base = as_fields(record)
    base["rechnungsbetrag"] = base["betrag"]
    base["anordnungsnummer"] = record.order_number
    if not record.lines:
        return [base | {c: base.get(c) for c in LINE_FIELDS}]
    out: list[dict[str, str | int | None]] = []
    count = len(record.lines)
    for index, line in enumerate(record.lines, start=1):
        row = dict(base)
        row.update(
            {
                "buchung": f"{index}/{count}",
                "buchungsstelle": line.key,
                "produkt": line.produkt,
                "sachkonto": line.sachkonto,
                "kostenstelle": line.kostenstelle,
                "auftrag": line.auftrag or None,
                "haushaltsjahr": line.year,
                "betrag": _money(line.amount),
                "netto": _money(line.net) if line.apart else None,
                "umsatzsteuer": _money(line.vat) if line.apart else None,
                "vorsteuerabzug": "ja" if line.apart else "nein",
            }
        )
        if index > 1:
            for column in _FIRST_LINE_ONLY:
                row[column] = None
        out.append(row)
    return out


def creditor_id(inv: Invoice) -> str:
    """The seller's most stable identifier: VAT id, tax number, registration, seller id."""
    seller = inv.seller
    for value in (
        seller.vat_identifier,  # BT-31
        seller.tax_registration_identifier,  # BT-32
        seller.legal_registration.value if seller.legal_registration else None,  # BT-30
        seller.identifiers[0].value if seller.identifiers else None,  # BT-29
    ):
        if value and value.strip():
            return "".join(value.split())
    return ""


def booking_text(inv: Invoice) -> str:
    """``Rechnung 4711 vom 02.11.2026, Bürobedarf Hansen GmbH`` (cut to the allowed length)."""
    kind = "Gutschrift" if inv.is_credit_note else "Rechnung"
    text = f"{kind} {inv.number} vom {inv.issue_date:%d.%m.%Y}, {inv.seller.name or ''}".strip(", ")
    return text[:BOOKING_TEXT_LENGTH]


def booking_record(
    inv: Invoice,
    *,
    invoice_id: int,
    department: str,
    department_cost_centres: tuple[str, ...],
    due_date: date | None,
    skonto: tuple[date, Decimal | None, Decimal | None] | None,
    original_sha256: str,
    ordered_by: str,
    creditor_number: str | None = None,
    order_number: str | None = None,
    lines: tuple[BookingLine, ...] = (),
) -> BookingRecord:
    """The booking record of an ordered invoice; ``skonto``: (deadline, discount, to pay)."""
    payment = inv.payment_instructions
    transfer = payment.credit_transfers[0] if payment and payment.credit_transfers else None
    accounting = (inv.buyer_accounting_reference or "").strip()
    cost_centre = accounting or (department_cost_centres[0] if department_cost_centres else None)
    return BookingRecord(
        invoice_id=invoice_id,
        invoice_number=inv.number,
        invoice_date=inv.issue_date,
        creditor_name=inv.seller.name or "",
        creditor_id=creditor_id(inv),
        iban=transfer.iban if transfer else None,
        bic=transfer.service_provider_identifier if transfer else None,
        amount=inv.amount_due_signed or Decimal(0),
        currency=inv.currency_code,
        due_date=due_date,
        skonto_deadline=skonto[0] if skonto else None,
        skonto_discount=skonto[1] if skonto else None,
        skonto_amount_to_pay=skonto[2] if skonto else None,
        cost_centre=cost_centre,
        department=department,
        leitweg_id=inv.buyer_reference,
        booking_text=booking_text(inv),
        remittance_information=payment.remittance_information if payment else None,
        original_sha256=original_sha256,
        ordered_by=ordered_by,
        creditor_number=creditor_number,
        order_number=order_number,
        lines=lines,
    )


def as_fields(record: BookingRecord) -> dict[str, str | int | None]:
    """The record as the export's columns: dates ISO 8601, amounts as plain decimals."""
    out: dict[str, str | int | None] = {}
    for column, attribute in FIELDS:
        value = getattr(record, attribute)
        if isinstance(value, Decimal):
            out[column] = format(value.quantize(Decimal("0.01")), "f")
        elif isinstance(value, date):
            out[column] = value.isoformat()
        else:
            out[column] = value
    return out


__all__ = [
    "BOOKING_TEXT_LENGTH",
    "FIELDS",
    "LINE_FIELDS",
    "BookingLine",
    "BookingRecord",
    "as_fields",
    "booking_record",
    "booking_text",
    "creditor_id",
    "rows",
]
