"""BT-24 is compared exactly, as the official scenario match does (issue 16)."""

from __future__ import annotations

import pytest

from einvoice.domain.findings import Scenario
from einvoice.formats.detect import detect_xml
from einvoice.formats.scenario import XRECHNUNG_3, choose

UBL = (
    '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    "<cbc:CustomizationID>{}</cbc:CustomizationID></Invoice>"
)


@pytest.mark.parametrize(
    "written", [f" {XRECHNUNG_3}", f"{XRECHNUNG_3}\n", "urn:cen.eu:en16931:2017 "]
)
def test_blanks_around_the_identifier_match_no_scenario(written: str) -> None:
    doc = detect_xml(UBL.format(written).encode()).doc
    assert doc is not None
    choice = choose(doc)
    assert choice.scenario is Scenario.NONE
    assert "Leerzeichen" in choice.reason_de


def test_the_exact_identifier_matches() -> None:
    doc = detect_xml(UBL.format(XRECHNUNG_3).encode()).doc
    assert doc is not None
    assert choose(doc).scenario is Scenario.XRECHNUNG
