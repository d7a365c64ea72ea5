"""UBL and CII twins of the XRechnung test suite give the same semantic JSON.

Every pair ``<case>_ubl.xml`` / ``<case>_uncefact.xml`` is extracted and the
two semantic forms are compared term by term (flattened to paths such as
``/BG-25[0]/BG-29/BT-146``). Each difference must be explained below, and
every explanation must still be needed - a fixed parser or a changed test
suite shows up as a stale entry.

Kinds of explained differences:

* lexical: the same amount, quantity or percentage written with a different
  scale (``158.125`` / ``158.1250000000``). The JSON keeps each as written, as
  required; the values are equal as decimals.
* syntax: one syntax cannot carry a term, or needs a value the other omits.
* data: the two files of a pair simply do not state the same thing (the test
  suite's twins are not generated from one source).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from einvoice.formats.extract import extract
from einvoice.formats.semantic import to_semantic
from tests.helpers import CONFORMANCE, require_conformance

SUITE = CONFORMANCE / "xrechnung-testsuite"

#: Terms whose semantic data type is Amount, Unit price amount, Quantity or Percentage.
NUMERIC_TERMS = frozenset(
    [f"BT-{n}" for n in (92, 93, 94, 96, 99, 100, 101, 103, *range(106, 118), 119, 129, 131)]
    + [f"BT-{n}" for n in (136, 137, 138, 141, 142, 143, 146, 147, 148, 149, 152)]
    + ["BT-DEX-002"]
)


@dataclass(frozen=True)
class Explained:
    cases: tuple[str, ...]  # case stems without the _ubl / _uncefact suffix
    path: str  # regular expression on the flattened path
    kind: str  # syntax | data
    why: str


COMPREHENSIVE = tuple(f"01.0{n}_comprehensive_test" for n in (1, 2, 3, 4))
CVD = ("02.01a-cvd_INVOICE",)

EXPLAINED: tuple[Explained, ...] = (
    Explained(
        tuple(f"01.{n:02d}a-INVOICE" for n in (2, 8, 9, 10, 11, 12, 13)),
        r"/BT-13",
        "syntax",
        "UBL needs cbc:ID in cac:OrderReference whenever the sales order reference BT-14 "
        "(cbc:SalesOrderID) is given; the suite fills it with 'Dummywert'. CII carries BT-14 "
        "alone (ram:SellerOrderReferencedDocument).",
    ),
    Explained(
        (
            *COMPREHENSIVE,
            *CVD,
            "02.01a-INVOICE",
            "02.02a-INVOICE",
            "02.03a-INVOICE",
            "02.04a-INVOICE",
            "03.07a-INVOICE",
        ),
        r"/BG-22/BT-114",
        "data",
        "The CII twin states a rounding amount of 0 (ram:RoundingAmount), the UBL twin omits "
        "the optional cbc:PayableRoundingAmount.",
    ),
    Explained(
        ("01.20a-INVOICE",),
        r"/BG-22/BT-10[78]|/BG-22/BT-113",
        "data",
        "The CII twin states zero sums of allowances, charges and paid amount (0.00); the "
        "UBL twin omits these optional totals.",
    ),
    Explained(
        ("01.21a-INVOICE",),
        r"/BG-22/BT-107",
        "data",
        "The CII twin states a zero sum of allowances (0.00); the UBL twin omits it.",
    ),
    Explained(
        ("01.05_minimal_test",),
        r"/BG-22/BT-110",
        "syntax",
        "UBL carries the VAT breakdown (BG-23) inside cac:TaxTotal, whose cbc:TaxAmount is "
        "mandatory, so the UBL twin states BT-110 = 0; the CII twin omits the optional BT-110.",
    ),
    Explained(
        (*COMPREHENSIVE,),
        r"/BG-3\[1\]/BT-2[56]",
        "syntax",
        "The UBL twin names two preceding invoices (BG-3); the CII twin one, as CII D16B in "
        "EN 16931 allows only one ram:InvoiceReferencedDocument.",
    ),
    Explained(
        (*COMPREHENSIVE, *CVD, "03.07a-INVOICE"),
        r"/BG-10/BT-61(-1)?",
        "data",
        "Only the CII twin gives the payee's legal registration identifier (BT-61, scheme 0204).",
    ),
    Explained(
        (*COMPREHENSIVE,),
        r"/BG-25\[1\]/BG-29/BT-1(49|50)",
        "data",
        "Line 2: only the UBL twin gives the item price base quantity (BT-149, BT-150).",
    ),
    Explained(
        ("01.01_comprehensive_test", *CVD, "03.07a-INVOICE"),
        r"/BG-4/BT-29\[\d\]/BT-29(-1)?",
        "data",
        "The CII twin lists three seller identifiers (two ram:ID and the ram:GlobalID "
        "987654321 / 0088); the UBL twin only the last one, so the lists differ position by "
        "position.",
    ),
    Explained(
        (*COMPREHENSIVE,),
        r"/BG-7/BT-4[45]",
        "data",
        "Buyer name and trading name are swapped between the twins: the UBL twin writes "
        "'[Buyer trading name]' as cbc:RegistrationName (BT-44) and '[Buyer name]' as "
        "cac:PartyName (BT-45); the CII twin the other way round.",
    ),
    Explained(
        ("03.01a-INVOICE",),
        r"/BG-7/BT-45",
        "data",
        "Only the UBL twin gives a buyer trading name (cac:PartyName, BT-45).",
    ),
    Explained(
        ("01.02_comprehensive_test",),
        r"/BT-8",
        "syntax",
        "The VAT point date code uses a different code list per syntax: UNTDID 2005 in UBL "
        "(3 = invoice date) and UNTDID 2475 in CII (5 = date of invoice); both say the same.",
    ),
    Explained(
        ("01.03_comprehensive_test", "01.04_comprehensive_test"),
        r"/BG-4/BG-6/BT-41",
        "data",
        "The seller contact point is a person ('Tim Tester') in the UBL twin and a department "
        "(ram:DepartmentName 'Testorganisation') in the CII twin.",
    ),
    Explained(
        ("01.20a-INVOICE",),
        r"/BG-4/BG-5/BT-3[57]",
        "data",
        "The twins use different placeholders for the seller street and city.",
    ),
    Explained(
        ("01.21a-INVOICE",),
        r"/BG-16/BT-82|/BG-23\[0\]/BT-120|/BG-4/BT-31",
        "data",
        "The twins differ in payment means text, VAT exemption reason text and the seller VAT "
        "identifier ('DE 123456789' / 'DE152338654').",
    ),
    Explained(
        ("03.06a-INVOICE",),
        r"/BG-4/BG-5/BT-3[78]|/BG-7/BG-8/BT-5[23]",
        "data",
        "The UBL twin has city and post code swapped (cbc:CityName '12345', cbc:PostalZone "
        "'Testhausen') for seller and buyer.",
    ),
    Explained(
        CVD,
        r"/BG-25\[0\]/BG-31/BG-32\[\d\]/BT-16[01]",
        "data",
        "The item attributes (BG-32) are the same six but in a different order: the UBL twin "
        "starts with 'cva'/'clean', the CII twin ends with it.",
    ),
    Explained(
        CVD,
        r"/BG-25\[0\]/BG-31/BT-154",
        "data",
        "Item description typo in the CII twin ('Fahrzeugde' for 'Fahrzeug').",
    ),
)


def _pairs() -> list[tuple[str, Path, Path]]:
    found = []
    for ubl in sorted(SUITE.rglob("*_ubl.xml")):
        cii = ubl.with_name(ubl.name.removesuffix("_ubl.xml") + "_uncefact.xml")
        if cii.is_file():
            found.append((ubl.name.removesuffix("_ubl.xml"), ubl, cii))
    return found


def _flat(value: Any, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}/{key}"))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            out.update(_flat(inner, f"{prefix}[{index}]"))
    else:
        out[prefix] = value
    return out


def _same_number(path: str, a: str | None, b: str | None) -> bool:
    term = path.rsplit("/", 1)[-1]
    if term not in NUMERIC_TERMS or a is None or b is None:
        return False
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


@cache
def _differences(case: str, ubl: Path, cii: Path) -> tuple[tuple[str, str | None, str | None], ...]:
    a = _flat(to_semantic(extract(ubl.read_bytes(), ubl.name)))
    b = _flat(to_semantic(extract(cii.read_bytes(), cii.name)))
    return tuple(
        (path, a.get(path), b.get(path))
        for path in sorted(set(a) | set(b))
        if a.get(path) != b.get(path)
    )


def _explanation(case: str, path: str) -> Explained | None:
    for entry in EXPLAINED:
        if case in entry.cases and re.fullmatch(entry.path, path):
            return entry
    return None


PAIRS = _pairs() if SUITE.is_dir() else []


@pytest.mark.conformance
def test_the_suite_has_all_twin_pairs() -> None:
    require_conformance()
    assert len(PAIRS) == 40


@pytest.mark.conformance
@pytest.mark.parametrize(("case", "ubl", "cii"), PAIRS, ids=[p[0] for p in PAIRS])
def test_twins_give_the_same_semantic_json(case: str, ubl: Path, cii: Path) -> None:
    require_conformance()
    unexplained = [
        f"{path}: UBL {a!r} / CII {b!r}"
        for path, a, b in _differences(case, ubl, cii)
        if not _same_number(path, a, b) and _explanation(case, path) is None
    ]
    assert unexplained == []


@pytest.mark.conformance
def test_lexical_differences_are_equal_decimals() -> None:
    """Amounts written with another scale: kept as written, equal in value."""
    require_conformance()
    lexical = [
        (case, path, a, b)
        for case, ubl, cii in PAIRS
        for path, a, b in _differences(case, ubl, cii)
        if _same_number(path, a, b)
    ]
    assert lexical  # e.g. 158.125 (UBL) / 158.1250000000 (CII) in the comprehensive tests
    for _case, _path, a, b in lexical:
        assert a != b and Decimal(str(a)) == Decimal(str(b))


@pytest.mark.conformance
def test_every_explanation_is_still_needed() -> None:
    require_conformance()
    used = {
        id(entry)
        for case, ubl, cii in PAIRS
        for path, a, b in _differences(case, ubl, cii)
        if not _same_number(path, a, b)
        for entry in [_explanation(case, path)]
        if entry is not None
    }
    stale = [entry.why for entry in EXPLAINED if id(entry) not in used]
    assert stale == []


@pytest.mark.conformance
def test_key_terms_agree_in_every_pair() -> None:
    """What routing and payment depend on never differs between the twins."""
    require_conformance()
    for case, ubl, cii in PAIRS:
        a = extract(ubl.read_bytes())
        b = extract(cii.read_bytes())
        assert (a.number, a.issue_date, a.buyer_reference) == (
            b.number,
            b.issue_date,
            b.buyer_reference,
        ), case
        assert a.totals.amount_due == b.totals.amount_due, case
        assert a.totals.total_with_vat == b.totals.total_with_vat, case
        assert len(list(a.all_lines())) == len(list(b.all_lines())), case
