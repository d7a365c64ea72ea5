"""Deliberately faulty variants of a sample invoice, for demos and tests.

Each variant breaks exactly one thing and names the rule that must report
it. Where the official rule is only a "soll" rule (flag warning), the
variant expects a warning and the recommendation stays "accept": BR-DE-19,
the IBAN check, is such a rule in XRechnung 3.0.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from lxml import etree

from einvoice.formats.namespaces import CBC, CII_RAM
from einvoice.samplegen import cii, ubl
from einvoice.samplegen._xml import XRECHNUNG_2_1, XRECHNUNG_3, amount, serialise
from einvoice.samplegen.spec import SampleInvoice, is_valid_iban

TOTAL_ERROR = Decimal("10.00")
TOTAL_ERROR_DE = "10,00"


class Syntax(StrEnum):
    UBL = "ubl"
    CII = "cii"


@dataclass(frozen=True, slots=True)
class Variant:
    key: str  # short German name, used in file names
    syntax: Syntax
    rule: str  # the rule id that must report it
    severity: str  # "error" or "warning": the rule's official flag
    description_de: str
    data: bytes

    @property
    def recommendation(self) -> str:
        return "reject" if self.severity == "error" else "accept"

    @property
    def file_name(self) -> str:
        return f"{self.syntax.value}-{self.key}.xml"


def _write(inv: SampleInvoice, syntax: Syntax, specification_id: str = XRECHNUNG_3) -> bytes:
    if syntax is Syntax.UBL:
        return ubl.to_ubl(inv, specification_id)
    return cii.to_cii(inv, specification_id)


def without_leitweg_id(inv: SampleInvoice, syntax: Syntax) -> Variant:
    """BT-10 Buyer reference (the Leitweg-ID) left out: BR-DE-15."""
    return Variant(
        "ohne-leitweg-id",
        syntax,
        "BR-DE-15",
        "error",
        "Käuferreferenz BT-10 (Leitweg-ID) fehlt",
        _write(dataclasses.replace(inv, buyer_reference=None), syntax),
    )


def wrong_total(inv: SampleInvoice, syntax: Syntax) -> Variant:
    """BT-112 (and BT-115 with it) 10.00 too high: BR-CO-15."""
    root = ubl.build(inv) if syntax is Syntax.UBL else cii.build(inv)
    if syntax is Syntax.UBL:
        names = [f"{{{CBC}}}TaxInclusiveAmount", f"{{{CBC}}}PayableAmount"]
    else:
        names = [f"{{{CII_RAM}}}GrandTotalAmount", f"{{{CII_RAM}}}DuePayableAmount"]
    for name in names:
        element = _only(root, name)
        element.text = amount(Decimal(element.text or "0") + TOTAL_ERROR)
    return Variant(
        "summe-falsch",
        syntax,
        "BR-CO-15",
        "error",
        f"Gesamtbetrag brutto BT-112 um {TOTAL_ERROR_DE} € zu hoch (≠ netto + USt)",
        serialise(root),
    )


def wrong_iban(inv: SampleInvoice, syntax: Syntax) -> Variant:
    """Two digits of the account number swapped, so the IBAN checksum fails: BR-DE-19."""
    return Variant(
        "iban-pruefziffer-falsch",
        syntax,
        "BR-DE-19",
        "warning",
        "IBAN BT-84 mit Zahlendreher (Prüfziffer stimmt nicht)",
        _write(dataclasses.replace(inv, iban=swap_digits(inv.iban)), syntax),
    )


def old_xrechnung_version(inv: SampleInvoice, syntax: Syntax) -> Variant:
    """BT-24 names XRechnung 2.1: no validation scenario accepts it (project id SCENARIO)."""
    return Variant(
        "xrechnung-2.1",
        syntax,
        "SCENARIO",
        "error",
        "Spezifikationskennung BT-24 der veralteten XRechnung 2.1",
        _write(inv, syntax, XRECHNUNG_2_1),
    )


MAKERS: tuple[Callable[[SampleInvoice, Syntax], Variant], ...] = (
    without_leitweg_id,
    wrong_total,
    wrong_iban,
    old_xrechnung_version,
)


def all_variants(inv: SampleInvoice) -> list[Variant]:
    """Every variant, each as an invoice of its own (own number), so that a demo
    run shows each fault and not a duplicate of the base invoice."""
    variants = []
    for index, (make, syntax) in enumerate((m, s) for m in MAKERS for s in Syntax):
        numbered = dataclasses.replace(inv, number=_next_number(inv.number, index + 1))
        variants.append(make(numbered, syntax))
    return variants


def _next_number(number: str, step: int) -> str:
    """``BH-2025-01001`` + 3 -> ``BH-2025-01004`` (digits at the end counted on)."""
    match = re.match(r"^(.*?)(\d+)$", number)
    if match is None:
        return f"{number}-{step}"
    head, digits = match.groups()
    return f"{head}{int(digits) + step:0{len(digits)}d}"


def swap_digits(iban: str) -> str:
    """Swap the last two differing adjacent digits of the account number.

    MOD 97-10 detects every transposition of two adjacent digits, so the
    result always fails the checksum.
    """
    chars = list(iban)
    for i in range(len(chars) - 2, 3, -1):
        if chars[i] != chars[i + 1] and chars[i].isdigit() and chars[i + 1].isdigit():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            swapped = "".join(chars)
            if not is_valid_iban(swapped):
                return swapped
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    raise ValueError(f"cannot derive an invalid IBAN from {iban}")


def _only(root: etree._Element, tag: str) -> etree._Element:
    found = list(root.iter(tag))
    if len(found) != 1:
        raise ValueError(f"expected exactly one {tag}, found {len(found)}")
    return found[0]
