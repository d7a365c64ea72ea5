"""An invoice as a supplier types it into the portal (Weberfassung), and its totals.

The typed form of what :mod:`einvoice.domain.invoice_entry_form` reads from the
form fields and :mod:`einvoice.formats.xrechnung_writer` writes as XRechnung UBL.
Only what the form offers is here: one SEPA account, lines with one optional
allowance, document-level allowances and charges, a delivery date or period,
Skonto terms, attachments, notes. No I/O.

Totals follow EN 16931: a line's net amount (BT-131) is quantity times net
price, rounded half up to cents, minus the line allowance; the VAT of each
category and rate (BG-23) is the rounded product of its taxable amount and
rate (BR-CO-17); the document totals are sums of rounded amounts (BR-CO-10 ..
BR-CO-16).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from einvoice.domain.skonto import SkontoTerm
from einvoice.domain.values import round_half_up

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

TYPE_INVOICE = "380"  # UNTDID 1001 commercial invoice
TYPE_CREDIT_NOTE = "381"  # UNTDID 1001 credit note
TYPE_CODES = (TYPE_INVOICE, TYPE_CREDIT_NOTE)

#: Common UN/ECE Recommendation 20 units (BT-130) by their German name, as the form offers them.
UNITS: tuple[tuple[str, str], ...] = (
    ("H87", "Stück"),
    ("C62", "Einheit"),
    ("HUR", "Stunde"),
    ("MIN", "Minute"),
    ("DAY", "Tag"),
    ("WEE", "Woche"),
    ("MON", "Monat"),
    ("ANN", "Jahr"),
    ("LS", "Pauschale"),
    ("KGM", "Kilogramm"),
    ("TNE", "Tonne"),
    ("MTR", "Meter"),
    ("KMT", "Kilometer"),
    ("MTK", "Quadratmeter"),
    ("MTQ", "Kubikmeter"),
    ("LTR", "Liter"),
    ("KWH", "Kilowattstunde"),
    ("SET", "Satz"),
    ("PR", "Paar"),
    ("XPK", "Packung"),
)
UNIT_NAMES: dict[str, str] = dict(UNITS)

#: The VAT choices of a line, allowance or charge: "category:rate" and a German label.
#: S standard rate, Z zero rated, E exempt (e.g. Kleinunternehmer, § 19 UStG),
#: AE reverse charge (§ 13b UStG: the buyer owes the VAT).
VAT_CHOICES: tuple[tuple[str, str], ...] = (
    ("S:19", "19 % Umsatzsteuer"),
    ("S:7", "7 % Umsatzsteuer"),
    ("Z:0", "0 % (Nullsatz, z. B. § 12 Abs. 3 UStG)"),
    ("E:0", "steuerfrei (z. B. Kleinunternehmer, § 19 UStG)"),
    ("AE:0", "Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG)"),
)
VAT_CHOICE_LABELS: dict[str, str] = dict(VAT_CHOICES)

#: BT-120/BT-121 written for reverse charge (BR-AE-10): the form asks for no text.
REVERSE_CHARGE_REASON = "Steuerschuldnerschaft des Leistungsempfängers"
REVERSE_CHARGE_CODE = "VATEX-EU-AE"
#: The usual exemption text of a Kleinunternehmer, offered to prefill ``befreiung``.
SMALL_BUSINESS_REASON = "Kein Ausweis von Umsatzsteuer, da Kleinunternehmer gemäß § 19 UStG"


def needs_exemption_reason(category: str) -> bool:
    """Whether the supplier must state an exemption reason (BT-120, the form's ``befreiung``)
    for this VAT category: E (BR-E-10). Reverse charge (AE) gets its standard reason written
    without asking (BR-AE-10); S and Z must have none (BR-S-10, BR-Z-10)."""
    return category == "E"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem of one form field: the field's HTML name, the rule and a German message."""

    field: str
    rule: str  # EN 16931 / XRechnung rule id, or "EINGABE" for a plain format error
    message_de: str


@dataclass(frozen=True, slots=True)
class EntryParty:
    """BG-4 seller or BG-7 buyer as entered ("" = not given)."""

    name: str = ""  # BT-27 / BT-44
    street: str = ""  # BT-35 / BT-50
    additional_street: str = ""  # BT-36 / BT-51
    post_code: str = ""  # BT-38 / BT-53
    city: str = ""  # BT-37 / BT-52
    country_code: str = "DE"  # BT-40 / BT-55
    vat_id: str = ""  # BT-31 / BT-48
    tax_number: str = ""  # BT-32 (seller only: the Steuernummer)
    electronic_address: str = ""  # BT-34 / BT-49, scheme EM (e-mail)
    contact_name: str = ""  # BT-41 / BT-56
    contact_phone: str = ""  # BT-42 / BT-57
    contact_email: str = ""  # BT-43 / BT-58
    identifier: str = ""  # BT-29 / BT-46 (e.g. the creditor number the city assigned)
    legal_registration: str = ""  # BT-30 / BT-47 (e.g. Handelsregisternummer)


@dataclass(frozen=True, slots=True)
class EntryAttachment:
    """BG-24 an attached file, embedded in the invoice (BT-125)."""

    filename: str  # BT-125-2
    mime_code: str  # BT-125-1
    content: bytes
    description: str = ""  # BT-123


@dataclass(frozen=True, slots=True)
class VatChoice:
    """BT-151/BT-152 (line), BT-95/BT-96 (allowance, charge): category and rate."""

    category: str
    rate: Decimal

    @property
    def value(self) -> str:
        """The form value, e.g. ``S:19``."""
        return f"{self.category}:{self.rate.normalize():f}"

    @property
    def label_de(self) -> str:
        return VAT_CHOICE_LABELS.get(self.value, f"{self.category} {self.rate.normalize():f} %")


@dataclass(frozen=True, slots=True)
class EntryLine:
    """BG-25 one invoice line as entered."""

    name: str  # BT-153 item name (the form's "Beschreibung")
    quantity: Decimal  # BT-129
    unit_code: str  # BT-130 (UN/ECE Rec 20)
    net_price: Decimal  # BT-146
    vat: VatChoice  # BG-30
    allowance: Decimal | None = None  # BT-136 line allowance amount
    allowance_reason: str = ""  # BT-139

    @property
    def gross_amount(self) -> Decimal:
        """Quantity times net price, rounded half up to cents (before the line allowance)."""
        return round_half_up(self.quantity * self.net_price)

    @property
    def net_amount(self) -> Decimal:
        """BT-131: quantity times net price minus the line allowance."""
        return self.gross_amount - (self.allowance or ZERO)


@dataclass(frozen=True, slots=True)
class DocumentAllowanceCharge:
    """BG-20 document-level allowance or BG-21 charge as entered."""

    is_charge: bool
    amount: Decimal  # BT-92 / BT-99
    reason: str  # BT-97 / BT-104
    vat: VatChoice  # BT-95/BT-96 / BT-102/BT-103


@dataclass(frozen=True, slots=True)
class EnteredInvoice:
    """The validated invoice of the form: everything the writer needs, nothing it guesses."""

    type_code: str  # BT-3: "380" invoice or "381" credit note
    number: str  # BT-1
    issue_date: date  # BT-2
    buyer_reference: str  # BT-10 (the Leitweg-ID)
    seller: EntryParty  # BG-4
    buyer: EntryParty  # BG-7
    lines: tuple[EntryLine, ...]  # BG-25
    iban: str  # BT-84 (SEPA credit transfer, BT-81 = 58)
    account_name: str = ""  # BT-85
    bic: str = ""  # BT-86
    due_date: date | None = None  # BT-9
    order_reference: str = ""  # BT-13
    preceding_number: str = ""  # BT-25
    preceding_date: date | None = None  # BT-26
    delivery_date: date | None = None  # BT-72
    period_start: date | None = None  # BT-73
    period_end: date | None = None  # BT-74
    note: str = ""  # BT-22
    payment_terms: str = ""  # BT-20 free text (without the Skonto lines)
    skonto: tuple[SkontoTerm, ...] = ()  # BR-DE-18 entries of BT-20
    exemption_reason: str = ""  # BT-120 for category E
    allowances: tuple[DocumentAllowanceCharge, ...] = ()  # BG-20
    charges: tuple[DocumentAllowanceCharge, ...] = ()  # BG-21
    attachments: tuple[EntryAttachment, ...] = ()  # BG-24
    currency: str = "EUR"  # BT-5

    @property
    def is_credit_note(self) -> bool:
        return self.type_code == TYPE_CREDIT_NOTE

    @property
    def payment_terms_text(self) -> str:
        """BT-20 as written: the free text, then one line per Skonto term, each ending in a
        line break (BR-DE-18)."""
        parts = [self.payment_terms] if self.payment_terms else []
        parts += [skonto_line(term) for term in self.skonto]
        text = "\n".join(parts)
        return text + "\n" if self.skonto else text

    def vat_choices(self) -> tuple[VatChoice, ...]:
        """Every VAT choice used by a line, allowance or charge, in order of first use."""
        seen: dict[VatChoice, None] = {}
        for line in self.lines:
            seen.setdefault(line.vat)
        for item in (*self.allowances, *self.charges):
            seen.setdefault(item.vat)
        return tuple(seen)


def skonto_line(term: SkontoTerm) -> str:
    """One BR-DE-18 entry without the line break: ``#SKONTO#TAGE=14#PROZENT=2.00#``."""
    text = f"#SKONTO#TAGE={term.days}#PROZENT={term.percent:.2f}#"
    if term.base_amount is not None:
        text += f"BASISBETRAG={term.base_amount:.2f}#"
    return text


class VatGroup(NamedTuple):
    """BG-23 one VAT breakdown row (a tuple: ``category, rate, basis, vat``)."""

    category: str  # BT-118
    rate: Decimal  # BT-119
    basis: Decimal  # BT-116
    vat: Decimal  # BT-117


@dataclass(frozen=True, slots=True)
class EntryTotals:
    """BG-22 document totals and BG-23 breakdown, as the invoice will state them."""

    line_net: tuple[Decimal, ...]  # BT-131 per line
    line_total: Decimal  # BT-106
    allowances: Decimal  # BT-107
    charges: Decimal  # BT-108
    tax_exclusive: Decimal  # BT-109
    vat_total: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    payable: Decimal  # BT-115
    breakdown: tuple[VatGroup, ...]  # BG-23 (category, rate, basis, vat)


def compute_totals(invoice: EnteredInvoice) -> EntryTotals:
    """The totals of the entered invoice (EN 16931 rounding: half up to cents per amount)."""
    line_net = tuple(line.net_amount for line in invoice.lines)
    allowances = sum((a.amount for a in invoice.allowances), ZERO)
    charges = sum((c.amount for c in invoice.charges), ZERO)
    bases: dict[VatChoice, Decimal] = {choice: ZERO for choice in invoice.vat_choices()}
    for line, net in zip(invoice.lines, line_net, strict=True):
        bases[line.vat] += net
    for item in invoice.allowances:
        bases[item.vat] -= item.amount
    for item in invoice.charges:
        bases[item.vat] += item.amount
    breakdown = tuple(
        VatGroup(choice.category, choice.rate, basis, round_half_up(basis * choice.rate / HUNDRED))
        for choice, basis in bases.items()
    )
    line_total = sum(line_net, ZERO)
    tax_exclusive = line_total - allowances + charges
    vat_total = sum((group.vat for group in breakdown), ZERO)
    tax_inclusive = tax_exclusive + vat_total
    return EntryTotals(
        line_net=line_net,
        line_total=line_total,
        allowances=allowances,
        charges=charges,
        tax_exclusive=tax_exclusive,
        vat_total=vat_total,
        tax_inclusive=tax_inclusive,
        payable=tax_inclusive,
        breakdown=breakdown,
    )
