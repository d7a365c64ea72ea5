"""Every invoice of the official test material renders, with every line and the totals.

Over the whole XRechnung test suite (all 86 files) and every file EXPECTED.tsv
marks valid under zugferd/ (XML and PDF): the rendering raises nothing, each
line and sub-line appears as a row with its id (BT-126) and its net amount
(BT-131, German format), and the totals section shows BT-106, BT-112 and
BT-115. The expected German numbers are formatted here, independently of the
code under test.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from functools import cache

import pytest
from markupsafe import escape

from einvoice.domain.invoice import Invoice
from einvoice.formats.extract import extract
from einvoice.presentation.render import render_html
from tests.helpers import CONFORMANCE, require_conformance

SUITE = "xrechnung-testsuite"
ROW = re.compile(r'<tr class="line[^"]*">(.*?)</tr>', re.S)
TOTALS = re.compile(r'<section class="inv-section inv-totals"[^>]*>(.*?)</section>', re.S)


def _suite_files() -> list[str]:
    folder = CONFORMANCE / SUITE
    if not folder.is_dir():
        return []
    return sorted(str(p.relative_to(CONFORMANCE)) for p in folder.rglob("*.xml"))


def _valid_zugferd_files() -> list[str]:
    path = CONFORMANCE / "EXPECTED.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [
            row["file"]
            for row in csv.DictReader(handle, delimiter="\t")
            if row["file"].startswith("zugferd/") and row["verdict"] == "valid"
        ]


SUITE_FILES = _suite_files()
ZUGFERD_FILES = _valid_zugferd_files()


def german(value: Decimal) -> str:
    """1234.5 -> 1.234,50 (two decimals at least, more only where written)."""
    whole, _, fraction = f"{abs(value):,f}".partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    text = whole.replace(",", ".") + "," + fraction
    return "-" + text if value < 0 else text


@cache
def _rendered(file: str) -> tuple[Invoice, str]:
    invoice = extract((CONFORMANCE / file).read_bytes(), file)
    return invoice, render_html(invoice)


def _check(file: str) -> None:
    require_conformance()
    invoice, html = _rendered(file)
    lines = list(invoice.all_lines())
    rows = ROW.findall(html)
    assert len(rows) == len(lines), "one table row per line and sub-line"
    for line, row in zip(lines, rows, strict=True):
        assert line.line_id is not None
        assert f"{escape(line.line_id)}</td>" in row, line.line_id
        assert line.net_amount is not None
        assert german(line.net_amount) + "\u00a0" in row, (line.line_id, line.net_amount)
    totals = TOTALS.findall(html)
    assert len(totals) == 1
    for term, value in (
        ("BT-106", invoice.totals.line_net_total),
        ("BT-112", invoice.totals.total_with_vat),
        ("BT-115", invoice.totals.amount_due),
    ):
        if value is None:
            assert term != "BT-115", "BT-115 is mandatory"
            continue
        assert term in totals[0]
        assert german(value) + "\u00a0" in totals[0], (term, value)


@pytest.mark.conformance
def test_the_whole_suite_is_covered() -> None:
    require_conformance()
    assert len(SUITE_FILES) >= 86
    assert len(ZUGFERD_FILES) >= 200
    assert sum(f.lower().endswith(".pdf") for f in ZUGFERD_FILES) >= 100


@pytest.mark.conformance
@pytest.mark.parametrize("file", SUITE_FILES)
def test_xrechnung_testsuite_renders_completely(file: str) -> None:
    _check(file)


@pytest.mark.conformance
@pytest.mark.parametrize("file", ZUGFERD_FILES)
def test_valid_zugferd_invoice_renders_completely(file: str) -> None:
    _check(file)


def test_german_helper() -> None:
    assert german(Decimal("1234.5")) == "1.234,50"
    assert german(Decimal("-0.5")) == "-0,50"
    assert german(Decimal("158.125")) == "158,125"
