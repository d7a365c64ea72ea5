"""The sums behind EN 16931's arithmetic rules: which amount was stated, which was expected.

The official rules (BR-CO-10..16 on the document totals, BR-x-08/09 on each VAT breakdown)
only say that a sum does not add up. A supplier fixing the invoice wants the figures:
"Gesamtbetrag mit Umsatzsteuer (BT-112) ist 119,00 €, erwartet 120,00 € (BT-109 + BT-110 =
100,00 € + 20,00 €)". :func:`discrepancies` recomputes the sum a rule checks from the
invoice model; the verdict stays the official rule's, this only explains it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from einvoice.domain.invoice import Invoice, VatBreakdown
from einvoice.domain.values import round_half_up

_ZERO = Decimal(0)
_CURRENCY_SIGNS = {"EUR": "€"}
NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class Operand:
    term: str  # BT-109
    value: Decimal
    sign: str = "+"  # how it enters: "+", "-" or "×" (the first one's sign is not shown)
    percent: bool = False  # a rate (BT-119), not an amount


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One amount that does not add up: the term, what was stated, what its parts give."""

    term: str  # BT-112
    name_de: str
    name_en: str
    stated: Decimal | None
    expected: Decimal
    operands: tuple[Operand, ...]
    formula: str  # "BT-109 + BT-110", "Summe BT-131" ...
    where_de: str = ""  # " in der Umsatzsteueraufschlüsselung S 19 %"
    where_en: str = ""

    def text_de(self, currency: str | None) -> str:
        stated = "fehlt" if self.stated is None else f"ist {amount_de(self.stated, currency)}"
        return (
            f"{self.name_de} ({self.term}){self.where_de} {stated}, erwartet "
            f"{amount_de(self.expected, currency)} ({self._sum(currency, 'de')})."
        )

    def text_en(self, currency: str | None) -> str:
        stated = "is missing" if self.stated is None else f"is {_en(self.stated, currency)}"
        return (
            f"{self.name_en} ({self.term}){self.where_en} {stated}, expected "
            f"{_en(self.expected, currency)} ({self._sum(currency, 'en')})."
        )

    def _sum(self, currency: str | None, lang: str) -> str:
        shown = amount_de if lang == "de" else _en
        if len(self.operands) > 4:  # "Summe BT-131 über 12 Positionen"
            return self.formula
        parts = []
        for index, operand in enumerate(self.operands):
            text = _rate(operand.value) if operand.percent else shown(operand.value, currency)
            parts.append(text if index == 0 else f"{operand.sign} {text}")
        return f"{self.formula} = {' '.join(parts)}" if parts else self.formula


def amount_de(value: Decimal, currency: str | None) -> str:
    """``Decimal("1234.5")`` -> ``1.234,50 €``: two decimals at least, none rounded away."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = format(abs(value), "f").partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    grouped = f"{int(whole):,}".replace(",", ".")
    unit = _CURRENCY_SIGNS.get((currency or "").upper(), currency or "")
    return f"{sign}{grouped},{fraction}{NBSP}{unit}".rstrip()


def _rate(value: Decimal) -> str:
    return f"{format(value.normalize(), 'f').replace('.', ',')}{NBSP}%"


def _en(value: Decimal, currency: str | None) -> str:
    whole, _, fraction = format(value, "f").partition(".")
    return f"{whole}.{fraction.rstrip('0').ljust(2, '0')} {currency or ''}".rstrip()


def _total(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), _ZERO)


def _or_zero(value: Decimal | None) -> Decimal:
    return _ZERO if value is None else value


def _line_sum(inv: Invoice) -> Discrepancy | None:
    nets = [line.net_amount for line in inv.lines]
    return Discrepancy(
        "BT-106",
        "Summe der Nettobeträge der Positionen",
        "Sum of invoice line net amounts",
        inv.totals.line_net_total,
        _total(nets),
        tuple(Operand("BT-131", v) for v in nets if v is not None),
        f"Summe BT-131 über {len(nets)} Positionen"
        if len(nets) != 1
        else "BT-131 der einen Position",
    )


def _document_level_sum(
    term: str,
    name_de: str,
    name_en: str,
    stated: Decimal | None,
    part: str,
    values: list[Decimal | None],
) -> Discrepancy:
    """BT-107 / BT-108: the sum of the document level allowances (BT-92) or charges (BT-99)."""
    return Discrepancy(
        term,
        name_de,
        name_en,
        stated,
        _total(values),
        tuple(Operand(part, v) for v in values if v is not None),
        f"Summe {part}",
    )


def _allowances(inv: Invoice) -> Discrepancy | None:
    return _document_level_sum(
        "BT-107",
        "Summe der Nachlässe auf Dokumentenebene",
        "Sum of allowances on document level",
        inv.totals.allowance_total,
        "BT-92",
        [a.amount for a in inv.allowances],
    )


def _charges(inv: Invoice) -> Discrepancy | None:
    return _document_level_sum(
        "BT-108",
        "Summe der Zuschläge auf Dokumentenebene",
        "Sum of charges on document level",
        inv.totals.charge_total,
        "BT-99",
        [c.amount for c in inv.charges],
    )


def _net_total(inv: Invoice) -> Discrepancy | None:
    t = inv.totals
    operands = (
        Operand("BT-106", _or_zero(t.line_net_total)),
        Operand("BT-107", _or_zero(t.allowance_total), "-"),
        Operand("BT-108", _or_zero(t.charge_total), "+"),
    )
    return Discrepancy(
        "BT-109",
        "Gesamtbetrag ohne Umsatzsteuer",
        "Invoice total amount without VAT",
        t.total_without_vat,
        operands[0].value - operands[1].value + operands[2].value,
        operands,
        "BT-106 - BT-107 + BT-108",
    )


def _vat_total(inv: Invoice) -> Discrepancy | None:
    values = [b.tax_amount for b in inv.vat_breakdown]
    return Discrepancy(
        "BT-110",
        "Summe der Umsatzsteuer",
        "Invoice total VAT amount",
        inv.totals.vat_total,
        _total(values),
        tuple(Operand("BT-117", v) for v in values if v is not None),
        "Summe BT-117 der Umsatzsteueraufschlüsselung",
    )


def _gross_total(inv: Invoice) -> Discrepancy | None:
    t = inv.totals
    operands = (
        Operand("BT-109", _or_zero(t.total_without_vat)),
        Operand("BT-110", _or_zero(t.vat_total), "+"),
    )
    return Discrepancy(
        "BT-112",
        "Gesamtbetrag mit Umsatzsteuer",
        "Invoice total amount with VAT",
        t.total_with_vat,
        operands[0].value + operands[1].value,
        operands,
        "BT-109 + BT-110",
    )


def _amount_due(inv: Invoice) -> Discrepancy | None:
    t = inv.totals
    operands = (
        Operand("BT-112", _or_zero(t.total_with_vat)),
        Operand("BT-113", _or_zero(t.paid_amount), "-"),
        Operand("BT-114", _or_zero(t.rounding_amount), "+"),
    )
    return Discrepancy(
        "BT-115",
        "Fälliger Zahlungsbetrag",
        "Amount due for payment",
        t.amount_due,
        operands[0].value - operands[1].value + operands[2].value,
        operands,
        "BT-112 - BT-113 + BT-114",
    )


_DOCUMENT_RULES: dict[str, Callable[[Invoice], Discrepancy | None]] = {
    "BR-CO-10": _line_sum,
    "BR-CO-11": _allowances,
    "BR-CO-12": _charges,
    "BR-CO-13": _net_total,
    "BR-CO-14": _vat_total,
    "BR-CO-15": _gross_total,
    "BR-CO-16": _amount_due,
}

# VAT category of the BR-x-08/09 rule families (UNTDID 5305) and whether the rate matters.
_CATEGORIES = {
    "S": ("S", True),
    "Z": ("Z", True),
    "E": ("E", False),
    "AE": ("AE", False),
    "IC": ("K", False),
    "G": ("G", False),
    "O": ("O", False),
    "IG": ("L", True),
    "IP": ("M", True),
}


def _same_rate(a: Decimal | None, b: Decimal | None) -> bool:
    return _or_zero(a) == _or_zero(b)


def _where(b: VatBreakdown) -> tuple[str, str]:
    rate = "" if b.rate is None else f" {_rate(b.rate)}"
    code = b.category_code or "?"
    return (
        f" in der Umsatzsteueraufschlüsselung {code}{rate}",
        f" in the VAT breakdown {code}{rate}",
    )


def _taxable(inv: Invoice, b: VatBreakdown, code: str, rated: bool) -> Discrepancy:
    def matches(category: str | None, rate: Decimal | None) -> bool:
        return category == code and (not rated or _same_rate(rate, b.rate))

    lines = _total(ln.net_amount for ln in inv.lines if matches(ln.vat_category_code, ln.vat_rate))
    charges = _total(c.amount for c in inv.charges if matches(c.vat_category_code, c.vat_rate))
    allowances = _total(
        a.amount for a in inv.allowances if matches(a.vat_category_code, a.vat_rate)
    )
    where_de, where_en = _where(b)
    return Discrepancy(
        "BT-116",
        "Steuerbasisbetrag",
        "VAT category taxable amount",
        b.taxable_amount,
        lines + charges - allowances,
        (Operand("BT-131", lines), Operand("BT-99", charges), Operand("BT-92", allowances, "-")),
        "Summe BT-131 + Summe BT-99 - Summe BT-92 dieser Kategorie",
        where_de,
        where_en,
    )


def _tax(b: VatBreakdown) -> Discrepancy | None:
    if b.taxable_amount is None or b.rate is None:
        return None
    where_de, where_en = _where(b)
    return Discrepancy(
        "BT-117",
        "Umsatzsteuerbetrag",
        "VAT category tax amount",
        b.tax_amount,
        round_half_up(b.taxable_amount * b.rate / 100),
        (Operand("BT-116", b.taxable_amount), Operand("BT-119", b.rate, "×", percent=True)),
        "BT-116 × BT-119 / 100, auf Cent gerundet",
        where_de,
        where_en,
    )


def _breakdown_rule(rule: str, inv: Invoice) -> list[Discrepancy]:
    head, _, number = rule.removeprefix("BR-").rpartition("-")
    if head not in _CATEGORIES or number not in ("08", "09"):
        return []
    code, rated = _CATEGORIES[head]
    found: list[Discrepancy | None] = []
    for b in inv.vat_breakdown:
        if b.category_code != code:
            continue
        found.append(_taxable(inv, b, code, rated) if number == "08" else _tax(b))
    return [d for d in found if d is not None]


def discrepancies(rule: str, inv: Invoice) -> list[Discrepancy]:
    """The amounts ``rule`` finds wrong in ``inv``: stated differs from expected (empty when
    the rule is no arithmetic rule or every recomputed sum agrees)."""
    compute = _DOCUMENT_RULES.get(rule)
    found = [compute(inv)] if compute is not None else _breakdown_rule(rule, inv)
    return [d for d in found if d is not None and d.stated != d.expected]


def has_figures(rule: str) -> bool:
    """Is ``rule`` one whose figures :func:`discrepancies` can recompute?"""
    head, _, number = rule.removeprefix("BR-").rpartition("-")
    return rule in _DOCUMENT_RULES or (head in _CATEGORIES and number in ("08", "09"))
