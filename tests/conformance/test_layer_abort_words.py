"""When an official rule artefact aborts, the supplier reads which element to fix (issue 27).

The official CEN XSLT stops with a Saxon error on a duplicated element passed to
``normalize-space``/``cast as`` and on an empty amount cast to a number. The
verdict stays (rejected, ``LAYER-FAILED`` as the technical finding); beside it a
German finding names the element, its business term and what is wrong.
"""

from __future__ import annotations

import logging
import re

import pytest

import einvoice
from einvoice.domain.findings import Severity
from einvoice.formats import abort_cause
from tests.helpers import require_conformance

STANDARD = "xrechnung-testsuite/business-cases/standard/"


@pytest.fixture(autouse=True)
def _quiet_layer_logs() -> None:
    logging.getLogger("einvoice.formats.validation").setLevel(logging.CRITICAL)


def _read(name: str) -> str:
    return (require_conformance() / name).read_text(encoding="utf-8")


def _explained(xml: str) -> tuple[list[str], list[tuple[str, str, tuple[str, ...]]]]:
    report = einvoice.validate(xml.encode())
    assert not report.valid
    errors = sorted({f.rule for f in report.findings if f.severity is Severity.ERROR})
    causes = [
        (f.rule, f.message_de, f.terms) for f in report.findings if f.rule.startswith("INPUT-")
    ]
    return errors, causes


def test_a_duplicated_ubl_amount_is_named_with_its_term() -> None:
    xml = _read(STANDARD + "01.01a-INVOICE_ubl.xml").replace(
        '<cbc:PayableAmount currencyID="EUR">',
        '<cbc:PayableAmount currencyID="EUR">1</cbc:PayableAmount>'
        '<cbc:PayableAmount currencyID="EUR">',
        1,
    )
    errors, causes = _explained(xml)
    assert "LAYER-FAILED" in errors  # the technical finding stays
    [(rule, message, terms)] = causes
    assert rule == "INPUT-DUPLICATE" and terms == ("BT-115",)
    assert "cbc:PayableAmount (BT-115" in message and "mehrfach" in message
    assert "'1' und '336.9'" in message


def test_a_duplicated_issue_date_is_named() -> None:
    xml = _read(STANDARD + "01.01a-INVOICE_ubl.xml").replace(
        "<cbc:IssueDate>2016-04-04</cbc:IssueDate>",
        "<cbc:IssueDate>2016-04-04</cbc:IssueDate><cbc:IssueDate>2016-04-04</cbc:IssueDate>",
    )
    _, causes = _explained(xml)
    assert [(r, t) for r, _, t in causes] == [("INPUT-DUPLICATE", ("BT-2",))]
    assert "cbc:IssueDate (BT-2 Rechnungsdatum) kommt mehrfach vor" in causes[0][1]


def test_a_duplicated_cii_amount_the_schema_allows_is_named() -> None:
    xml = re.sub(
        r"(<ram:DuePayableAmount>[^<]*</ram:DuePayableAmount>)",
        r"\1\1",
        _read(STANDARD + "01.01a-INVOICE_uncefact.xml"),
    )
    errors, causes = _explained(xml)
    assert errors == ["INPUT-DUPLICATE", "LAYER-FAILED"]  # no XSD error to help here
    assert "ram:DuePayableAmount (BT-115" in causes[0][1]


def test_an_empty_line_amount_is_named_with_its_line() -> None:
    xml = re.sub(
        r"(<ram:LineTotalAmount>)[^<]*",
        r"\1",
        _read(STANDARD + "01.01a-INVOICE_uncefact.xml"),
        count=1,
    )
    _, causes = _explained(xml)
    [(rule, message, terms)] = causes
    assert rule == "INPUT-EMPTY-VALUE" and terms == ("BT-131",)
    assert "in Position 'Zeitschrift [...]' ist leer" in message
    assert "erwartet wird eine Zahl" in message


def test_a_duplicated_group_is_named_as_the_group() -> None:
    xml = _read(STANDARD + "01.01a-INVOICE_ubl.xml")
    start = xml.index("<cac:LegalMonetaryTotal>")
    end = xml.index("</cac:LegalMonetaryTotal>") + len("</cac:LegalMonetaryTotal>")
    xml = xml[:end] + xml[start:end] + xml[end:]
    errors, causes = _explained(xml)
    assert "LAYER-FAILED" in errors
    assert causes and causes[0][0] == "INPUT-DUPLICATE"
    assert "Die Gruppe cac:LegalMonetaryTotal (BG-22" in causes[0][1], causes


def test_a_malformed_line_period_date_is_named() -> None:
    xml = re.sub(
        r"(<cbc:StartDate>)[^<]*",
        r"\g<1>2016-01-32",
        _read(STANDARD + "01.01a-INVOICE_ubl.xml"),
        count=1,
    )
    errors, causes = _explained(xml)
    assert "LAYER-FAILED" in errors
    [(rule, message, terms)] = causes
    assert rule == "INPUT-MALFORMED-VALUE" and terms == ("BT-134",)
    assert "cbc:StartDate (BT-134" in message and "'2016-01-32'" in message
    assert "Kalenderdatum" in message


def test_saxon_messages_are_parsed() -> None:
    duplicate = abort_cause.parse(
        'XPTY0004 A sequence of more than one item { (u"1", u"336.9") } is not allowed'
    )
    assert duplicate == abort_cause.Cause("duplicate", ("1", "336.9"))
    empty = abort_cause.parse('FORG0001 Cannot convert string "" to xs:decimal: no digits')
    assert empty == abort_cause.Cause("empty", ("",), "decimal")
    date = abort_cause.parse('FORG0001 Invalid date "2016-01-32" (Day must be 1-31)')
    assert date == abort_cause.Cause("malformed", ("2016-01-32",), "date")
    boolean = abort_cause.parse('XPTY0004 The string "VAT" cannot be cast to a boolean')
    assert boolean == abort_cause.Cause("malformed", ("VAT",), "boolean")
    shortened = abort_cause.parse('FORG0001 Cannot convert string "aaaa..." to double')
    assert shortened == abort_cause.Cause("malformed", ("aaaa...",), "double")
    assert abort_cause.parse("something else") is None
