"""A small, pure description of a sample invoice and the arithmetic behind it.

No I/O and no XML here: the writers in :mod:`einvoice.samplegen.ubl`,
:mod:`einvoice.samplegen.cii` and :mod:`einvoice.samplegen.pdf` turn a
:class:`SampleInvoice` into bytes. Amounts are :class:`~decimal.Decimal`;
VAT is rounded half up to two decimals per VAT category (BR-CO-17), line net
amounts are quantity times net price rounded half up (BT-131).

:func:`example` produces deterministic, realistic invoices of suppliers to a
German municipality (office supplies, IT services, cleaning, printing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def money(value: Decimal) -> Decimal:
    """Round an amount half up to cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- check digits -----------------------------------------------------------


def _mod97_number(text: str) -> int:
    """Letters A=10..Z=35, digits as they are, read as one integer."""
    return int("".join(str(int(ch, 36)) for ch in text.upper()))


def leitweg_id(coarse: str, fine: str = "") -> str:
    """A Leitweg-ID with ISO 7064 MOD 97-10 check digits (as for the IBAN)."""
    body = coarse + fine
    check = 98 - _mod97_number(body + "00") % 97
    parts = [coarse, fine] if fine else [coarse]
    return "-".join([*parts, f"{check:02d}"])


def is_valid_leitweg_id(value: str) -> bool:
    parts = value.split("-")
    if len(parts) not in (2, 3) or not all(p.isalnum() for p in parts):
        return False
    return _mod97_number("".join(parts)) % 97 == 1


def iban(country: str, bban: str) -> str:
    """An IBAN with correct check digits for ``bban`` (e.g. Bankleitzahl + Kontonummer)."""
    check = 98 - _mod97_number(bban + country + "00") % 97
    return f"{country}{check:02d}{bban}"


def is_valid_iban(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    if len(compact) < 5 or not compact.isalnum():
        return False
    return _mod97_number(compact[4:] + compact[:4]) % 97 == 1


def german_vat_id(eight_digits: str) -> str:
    """A German USt-IdNr. (DE + 9 digits) with its ISO 7064 MOD 11,10 check digit."""
    product = 10
    for ch in eight_digits:
        total = (int(ch) + product) % 10 or 10
        product = (2 * total) % 11
    check = (11 - product) % 10
    return f"DE{eight_digits}{check}"


# --- the invoice ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Address:
    street: str  # BT-35 / BT-50
    postcode: str  # BT-38 / BT-53
    city: str  # BT-37 / BT-52
    country: str = "DE"  # BT-40 / BT-55


@dataclass(frozen=True, slots=True)
class Contact:
    name: str  # BT-41
    phone: str  # BT-42
    email: str  # BT-43


@dataclass(frozen=True, slots=True)
class Party:
    name: str  # BT-27 / BT-44
    address: Address  # BG-5 / BG-8
    electronic_address: str  # BT-34 / BT-49, scheme EM (e-mail)
    vat_id: str | None = None  # BT-31 / BT-48
    registration: str | None = None  # BT-30 / BT-47 (Handelsregister)
    contact: Contact | None = None  # BG-6 / BG-9
    identifier: str | None = None  # BT-29 / BT-46 (e.g. Kreditorennummer)


@dataclass(frozen=True, slots=True)
class Skonto:
    """A cash discount term as XRechnung writes it into BT-20 (BR-DE-18)."""

    days: int
    percent: Decimal
    base_amount: Decimal | None = None

    def line(self) -> str:
        text = f"#SKONTO#TAGE={self.days}#PROZENT={self.percent:.2f}#"
        if self.base_amount is not None:
            text += f"BASISBETRAG={self.base_amount:.2f}#"
        return text + "\n"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    line_id: str  # BT-126
    name: str  # BT-153
    quantity: Decimal  # BT-129
    unit_code: str  # BT-130, UN/ECE Rec 20/21
    net_price: Decimal  # BT-146, per one unit
    vat_rate: Decimal  # BT-152
    vat_category: str = "S"  # BT-151
    description: str | None = None  # BT-154
    seller_item_id: str | None = None  # BT-155

    @property
    def net_amount(self) -> Decimal:  # BT-131
        return money(self.quantity * self.net_price)


@dataclass(frozen=True, slots=True)
class VatBreakdown:  # BG-23
    category: str  # BT-118
    rate: Decimal  # BT-119
    taxable_amount: Decimal  # BT-116
    tax_amount: Decimal  # BT-117


@dataclass(frozen=True, slots=True)
class SampleInvoice:
    number: str  # BT-1
    issue_date: date  # BT-2
    due_date: date  # BT-9
    buyer_reference: str | None  # BT-10, the Leitweg-ID
    seller: Party  # BG-4
    buyer: Party  # BG-7
    iban: str  # BT-84
    payment_terms: str  # BT-20, free text before the Skonto lines
    lines: tuple[InvoiceLine, ...]  # BG-25
    currency: str = "EUR"  # BT-5
    type_code: str = "380"  # BT-3
    order_reference: str | None = None  # BT-13
    delivery_date: date | None = None  # BT-72
    note: str | None = None  # BT-22
    account_name: str | None = None  # BT-85
    bic: str | None = None  # BT-86
    remittance: str | None = None  # BT-83
    payment_means_code: str = "58"  # BT-81, SEPA credit transfer
    skonto: tuple[Skonto, ...] = field(default=())

    @property
    def payment_terms_text(self) -> str:
        """BT-20 as written: the free text, then one line per Skonto term."""
        text = self.payment_terms
        if self.skonto:
            text += "\n" + "".join(s.line() for s in self.skonto)
        return text

    def vat_breakdown(self) -> tuple[VatBreakdown, ...]:
        groups: dict[tuple[str, Decimal], Decimal] = {}
        for line in self.lines:
            key = (line.vat_category, line.vat_rate)
            groups[key] = groups.get(key, Decimal(0)) + line.net_amount
        return tuple(
            VatBreakdown(category, rate, taxable, money(taxable * rate / HUNDRED))
            for (category, rate), taxable in sorted(groups.items(), key=lambda kv: -kv[0][1])
        )

    @property
    def line_total(self) -> Decimal:  # BT-106
        return sum((line.net_amount for line in self.lines), Decimal("0.00"))

    @property
    def tax_exclusive_total(self) -> Decimal:  # BT-109 (no document allowances/charges)
        return self.line_total

    @property
    def tax_total(self) -> Decimal:  # BT-110
        return sum((b.tax_amount for b in self.vat_breakdown()), Decimal("0.00"))

    @property
    def tax_inclusive_total(self) -> Decimal:  # BT-112
        return self.tax_exclusive_total + self.tax_total

    @property
    def payable_amount(self) -> Decimal:  # BT-115 (nothing prepaid)
        return self.tax_inclusive_total


# --- deterministic examples -------------------------------------------------

BUYER = Party(
    name="Stadt Musterstadt, Amt für Zentrale Dienste",
    address=Address("Rathausplatz 1", "12345", "Musterstadt"),
    electronic_address="rechnungseingang@musterstadt.example.com",
    identifier="K-100-0042",
)
# The routing key of the receiving office: coarse address 04011000 (Land 04,
# Bezirk 0, Kreis 11, Gemeinde 000), fine address 1234512345, check digits 06.
BUYER_LEITWEG_ID = leitweg_id("04011000", "1234512345")

SEVEN = Decimal(7)
NINETEEN = Decimal(19)


@dataclass(frozen=True, slots=True)
class _Article:
    name: str
    unit_code: str
    price: str
    rate: Decimal
    description: str | None = None
    quantities: tuple[str, ...] = ("1", "2", "5", "10")


@dataclass(frozen=True, slots=True)
class _Supplier:
    party: Party
    iban: str
    bic: str
    prefix: str  # invoice number prefix
    subject: str  # what the invoice is for (BT-22)
    articles: tuple[_Article, ...]


_SUPPLIERS: tuple[_Supplier, ...] = (
    _Supplier(
        Party(
            name="Bürobedarf Hansen GmbH",
            address=Address("Lindenstraße 12", "28195", "Bremen"),
            electronic_address="rechnung@buero-hansen.example.com",
            vat_id=german_vat_id("81234567"),
            registration="HRB 31415",
            contact=Contact(
                "Jana Hansen", "+49 421 5550-123", "buchhaltung@buero-hansen.example.com"
            ),
        ),
        iban("DE", "29050000" + "0012345678"),
        "BRLADE22XXX",
        "BH-2025-",
        "Büromaterial laut Rahmenvertrag 2025",
        (
            _Article(
                "Kopierpapier A4, 80 g/m², 500 Blatt",
                "XPK",
                "4.39",
                NINETEEN,
                quantities=("10", "25", "40", "100"),
            ),
            _Article("Ordner A4, 8 cm, blau", "H87", "2.79", NINETEEN, quantities=("20", "50")),
            _Article(
                "Kugelschreiber, nachfüllbar",
                "H87",
                "0.89",
                NINETEEN,
                quantities=("50", "100", "200"),
            ),
            _Article("Haftnotizen 76 × 76 mm, 12 Blöcke", "XPK", "7.49", NINETEEN),
            _Article(
                "Toner schwarz für Laserdrucker",
                "H87",
                "68.90",
                NINETEEN,
                quantities=("1", "2", "4"),
            ),
            _Article(
                "Fachbuch Kommunales Haushaltsrecht, 5. Auflage",
                "H87",
                "49.80",
                SEVEN,
                "Buch, ermäßigter Steuersatz",
                quantities=("1", "2", "3"),
            ),
            _Article("Wandkalender 2026", "H87", "12.50", SEVEN, quantities=("5", "10")),
        ),
    ),
    _Supplier(
        Party(
            name="Kommunal-IT Service Nord GmbH",
            address=Address("Am Hafen 7", "24103", "Kiel"),
            electronic_address="e-rechnung@kommunal-it.example.com",
            vat_id=german_vat_id("27182818"),
            registration="HRB 27182",
            contact=Contact("Malte Petersen", "+49 431 5550-77", "faktura@kommunal-it.example.com"),
        ),
        iban("DE", "21050000" + "0098765432"),
        "NOLADE21KIE",
        "KIT-",
        "IT-Dienstleistungen für die Stadtverwaltung",
        (
            _Article(
                "Administration Fachverfahren, Stunde",
                "HUR",
                "92.00",
                NINETEEN,
                "Remote-Betreuung Einwohnermeldewesen",
                ("2.5", "4", "7.5", "12"),
            ),
            _Article(
                "Vor-Ort-Einsatz Techniker, Stunde",
                "HUR",
                "105.00",
                NINETEEN,
                quantities=("1.5", "3", "6"),
            ),
            _Article(
                "Softwarepflege Dokumentenmanagement, Monat",
                "MON",
                "1250.00",
                NINETEEN,
                quantities=("1", "3"),
            ),
            _Article(
                "Notebook 14 Zoll, 16 GB RAM", "H87", "899.00", NINETEEN, quantities=("1", "2", "5")
            ),
            _Article(
                "Schulung E-Akte, Tagessatz", "DAY", "780.00", NINETEEN, quantities=("1", "2")
            ),
            _Article(
                "Handbuch Informationssicherheit (gedruckt)",
                "H87",
                "39.90",
                SEVEN,
                quantities=("1", "4"),
            ),
        ),
    ),
    _Supplier(
        Party(
            name="Gebäudereinigung Sauber & Söhne KG",
            address=Address("Industriestraße 45", "44147", "Dortmund"),
            electronic_address="rechnungen@sauber-soehne.example.com",
            vat_id=german_vat_id("31415926"),
            registration="HRA 8812",
            contact=Contact(
                "Ayşe Demir", "+49 231 5550-900", "ayse.demir@sauber-soehne.example.com"
            ),
        ),
        iban("DE", "44050199" + "0001234567"),
        "DORTDE33XXX",
        "R",
        "Unterhaltsreinigung Verwaltungsgebäude",
        (
            _Article(
                "Unterhaltsreinigung Büroflächen, m²",
                "MTK",
                "1.85",
                NINETEEN,
                quantities=("850", "1200", "2400"),
            ),
            _Article("Glasreinigung, m²", "MTK", "2.40", NINETEEN, quantities=("180", "320")),
            _Article(
                "Grundreinigung Sitzungssaal, pauschal",
                "C62",
                "450.00",
                NINETEEN,
                quantities=("1",),
            ),
            _Article(
                "Sonderreinigung nach Veranstaltung, Stunde",
                "HUR",
                "38.50",
                NINETEEN,
                quantities=("3", "4.5", "8"),
            ),
        ),
    ),
    _Supplier(
        Party(
            name="Druckerei Weber e.K.",
            address=Address("Marktgasse 3", "93047", "Regensburg"),
            electronic_address="buchhaltung@druckerei-weber.example.com",
            vat_id=german_vat_id("16180339"),
            registration="HRA 1618",
            contact=Contact(
                "Thomas Weber", "+49 941 5550-42", "t.weber@druckerei-weber.example.com"
            ),
        ),
        iban("DE", "75050000" + "0000246810"),
        "BYLADEM1RBG",
        "DW-",
        "Druckaufträge Öffentlichkeitsarbeit",
        (
            _Article(
                "Broschüre Bürgerhaushalt, 24 Seiten, Auflage 1.000",
                "C62",
                "1340.00",
                SEVEN,
                "Druckerzeugnis, ermäßigter Steuersatz",
                ("1", "2"),
            ),
            _Article(
                "Plakat DIN A1, vierfarbig", "H87", "3.20", NINETEEN, quantities=("50", "150")
            ),
            _Article("Visitenkarten, 250 Stück", "XPK", "24.00", NINETEEN, quantities=("4", "10")),
            _Article("Amtsblatt, Ausgabe", "H87", "0.95", SEVEN, quantities=("2000", "3500")),
        ),
    ),
)

_BASE_DATE = date(2025, 3, 14)


def sample_suppliers() -> tuple[tuple[Party, str, str], ...]:
    """The suppliers :func:`example` invoices come from: (party, IBAN, BIC)."""
    return tuple((s.party, s.iban, s.bic) for s in _SUPPLIERS)


def example(n_lines: int = 3, seed: int = 0) -> SampleInvoice:
    """A deterministic realistic invoice of ``n_lines`` lines to a German city.

    The seed chooses supplier, dates, articles and quantities; the same
    arguments always give the same invoice. Articles are dealt from a shuffled
    deck (no repeats until every article was used); when the supplier sells at
    both rates and there are at least two lines, both 19 % and 7 % appear.
    """
    if n_lines < 1:
        raise ValueError("an invoice needs at least one line")
    rng = random.Random(seed)
    supplier = _SUPPLIERS[seed % len(_SUPPLIERS)]
    issue = _BASE_DATE + timedelta(days=7 * seed)
    articles = _deal(supplier.articles, n_lines, rng)
    lines = tuple(
        InvoiceLine(
            line_id=str(index),
            name=article.name,
            quantity=Decimal(article.quantities[rng.randrange(len(article.quantities))]),
            unit_code=article.unit_code,
            net_price=Decimal(article.price),
            vat_rate=article.rate,
            description=article.description,
            seller_item_id=f"A{supplier.articles.index(article) + 1:04d}",
        )
        for index, article in enumerate(articles, 1)
    )
    number = f"{supplier.prefix}{1000 + 17 * seed + 1:05d}"
    due = issue + timedelta(days=30)
    return SampleInvoice(
        number=number,
        issue_date=issue,
        due_date=due,
        buyer_reference=BUYER_LEITWEG_ID,
        seller=supplier.party,
        buyer=BUYER,
        iban=supplier.iban,
        bic=supplier.bic,
        account_name=supplier.party.name,
        remittance=number,
        payment_terms=f"Zahlbar ohne Abzug bis zum {due:%d.%m.%Y}.",
        skonto=(Skonto(14, Decimal("2.00")),),
        lines=lines,
        order_reference=f"BE-{issue.year}-{4100 + seed:05d}",
        delivery_date=issue - timedelta(days=3),
        note=supplier.subject,
    )


def _deal(catalogue: tuple[_Article, ...], count: int, rng: random.Random) -> list[_Article]:
    chosen: list[_Article] = []
    deck: list[_Article] = []
    while len(chosen) < count:
        if not deck:
            deck = list(catalogue)
            rng.shuffle(deck)
        chosen.append(deck.pop())
    if count >= 2:
        rates = {a.rate for a in chosen}
        reduced = [a for a in catalogue if a.rate == SEVEN]
        standard = [a for a in catalogue if a.rate == NINETEEN]
        if SEVEN not in rates and reduced:
            chosen[-1] = reduced[rng.randrange(len(reduced))]
        if NINETEEN not in rates and standard:
            chosen[0] = standard[rng.randrange(len(standard))]
    return chosen
