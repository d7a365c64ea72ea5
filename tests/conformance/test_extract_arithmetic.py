"""The extracted model adds up, for every valid invoice in EXPECTED.tsv (PDFs included).

Over the whole folder, not a sample: each file with verdict ``valid`` is
extracted (a PDF through its embedded XML) and checked:

* BR-CO-10: the sum of the (top-level) line net amounts BT-131 equals BT-106;
* BR-CO-15: BT-109 + BT-110 equals BT-112;
* the VAT breakdown matches the lines: per VAT category and rate, BT-116
  equals the line net amounts plus document charges minus document
  allowances of that category and rate, every category used has a breakdown
  and vice versa, BT-117 is BT-116 x rate / 100 (half up) within the
  tolerance of the official rule BR-CO-17 (less than one currency unit), and
  the BT-117 add up to BT-110.

Factur-X / ZUGFeRD MINIMUM and BASIC WL have no invoice lines (they are no
invoices in the EN 16931 sense): the line checks are SKIPPED for them, with
that reason, and the test asserts that they really carry no lines.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from functools import cache

import pytest

from einvoice.domain.invoice import Invoice
from einvoice.domain.values import round_half_up
from einvoice.formats.extract import extract
from tests.helpers import CONFORMANCE, require_conformance

ZERO = Decimal(0)
NO_LINES_PROFILES = ("minimum", "basicwl")
NO_LINES_REASON = (
    "Factur-X/ZUGFeRD MINIMUM or BASIC WL profile: the document has no invoice lines "
    "(not an EN 16931 invoice), so the line checks do not apply"
)


def _valid_files() -> list[str]:
    path = CONFORMANCE / "EXPECTED.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [
            r["file"] for r in csv.DictReader(handle, delimiter="\t") if r["verdict"] == "valid"
        ]


VALID = _valid_files()


@cache
def _invoice(file: str) -> Invoice:
    return extract((CONFORMANCE / file).read_bytes(), file)


def _without_lines_by_profile(inv: Invoice) -> bool:
    spec = (inv.process.specification_identifier or "").lower()
    return any(spec.endswith(profile) for profile in NO_LINES_PROFILES)


def _line_checks_apply(inv: Invoice) -> None:
    if _without_lines_by_profile(inv):
        assert inv.lines == ()
        pytest.skip(NO_LINES_REASON)


def _key(category: str | None, rate: Decimal | None) -> tuple[str, Decimal]:
    return (category or "", (rate or ZERO).normalize())


@pytest.mark.conformance
def test_the_whole_folder_is_covered() -> None:
    require_conformance()
    assert len(VALID) >= 360
    assert sum(f.lower().endswith(".pdf") for f in VALID) >= 100


@pytest.mark.conformance
@pytest.mark.parametrize("file", VALID)
def test_line_net_amounts_sum_to_bt106(file: str) -> None:
    inv = _invoice(file)
    _line_checks_apply(inv)
    assert inv.lines, "an EN 16931 invoice has at least one line"
    total = sum((line.net_amount or ZERO for line in inv.lines), ZERO)
    assert total == inv.totals.line_net_total


@pytest.mark.conformance
@pytest.mark.parametrize("file", VALID)
def test_bt109_plus_bt110_is_bt112(file: str) -> None:
    t = _invoice(file).totals
    assert t.total_without_vat is not None and t.total_with_vat is not None
    assert t.total_without_vat + (t.vat_total or ZERO) == t.total_with_vat


@pytest.mark.conformance
@pytest.mark.parametrize("file", VALID)
def test_vat_breakdown_matches_the_lines(file: str) -> None:
    inv = _invoice(file)
    _line_checks_apply(inv)
    expected: dict[tuple[str, Decimal], Decimal] = defaultdict(lambda: ZERO)
    for line in inv.lines:
        expected[_key(line.vat_category_code, line.vat_rate)] += line.net_amount or ZERO
    for allowance in inv.allowances:
        expected[_key(allowance.vat_category_code, allowance.vat_rate)] -= allowance.amount or ZERO
    for charge in inv.charges:
        expected[_key(charge.vat_category_code, charge.vat_rate)] += charge.amount or ZERO
    breakdown = {_key(v.category_code, v.rate): v for v in inv.vat_breakdown}
    assert set(breakdown) == set(expected)
    for key, vat in breakdown.items():
        assert vat.taxable_amount == expected[key], key
        assert vat.taxable_amount is not None and vat.tax_amount is not None
        computed = round_half_up(abs(vat.taxable_amount) * key[1] / 100)
        assert abs(abs(vat.tax_amount) - computed) < 1, key  # BR-CO-17 tolerance
    total_vat = sum((v.tax_amount or ZERO for v in inv.vat_breakdown), ZERO)
    assert total_vat == (inv.totals.vat_total or ZERO)
