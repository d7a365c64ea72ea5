"""Weberfassung vs. the official artefacts: what the form accepts, the oracle accepts.

The typical invoice first; the property test over random form values follows.
"""

from __future__ import annotations

import pytest

from einvoice.domain.invoice_entry_form import read_form
from einvoice.formats.validation import validate
from einvoice.formats.xrechnung_writer import write_ubl
from tests.differential.oracle import Oracle
from tests.helpers import require_conformance
from tests.invoice_entry_sample import ATTACHMENT, BUYER, TODAY, typical_values


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle(require_conformance())


@pytest.mark.conformance
def test_typical_invoice_with_skonto_and_attachment_is_accepted(oracle: Oracle) -> None:
    result = read_form(typical_values(), BUYER, [ATTACHMENT], today=TODAY)
    assert result.errors == ()
    assert result.invoice is not None
    xml = write_ubl(result.invoice)
    official = oracle.check(xml)
    assert (official.scenario, official.errors, official.warnings) == (
        "standard",
        frozenset(),
        frozenset(),
    )
    report = validate(xml)
    assert [f.rule for f in report.findings] == []
