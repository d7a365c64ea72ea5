"""UBL credit notes get the same national rules as UBL invoices.

The credit notes are derived in the test: the official UBL rule-test
instances (and this project's sample invoice) are turned into CreditNote
documents by renaming the root, the lines, the quantity and the type code.
Every mutation of the instances must then fire (or not fire) the same rules
on the credit note as on the invoice.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from einvoice.domain.findings import Syntax
from einvoice.formats.detect import detect_xml
from einvoice.formats.national import check as national_check
from einvoice.formats.scenario import choose
from tests.helpers import CONFORMANCE
from tests.unit.test_national_rules import ubl_invoice

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
RENAMES = {
    f"{{{INVOICE}}}Invoice": f"{{{CREDIT_NOTE}}}CreditNote",
    f"{{{CAC}}}InvoiceLine": f"{{{CAC}}}CreditNoteLine",
    f"{{{CAC}}}SubInvoiceLine": f"{{{CAC}}}SubCreditNoteLine",
    f"{{{CBC}}}InvoicedQuantity": f"{{{CBC}}}CreditedQuantity",
    f"{{{CBC}}}InvoiceTypeCode": f"{{{CBC}}}CreditNoteTypeCode",
}

RULE_TESTS = CONFORMANCE / "xrechnung-rule-tests" / "ubl-inv"
# Instances covering document, party, payment, line and extension rules.
INSTANCES = [
    "ubl-inv-br-de-1-test.xml",
    "ubl-inv-br-de-15-test.xml",
    "ubl-inv-br-de-16-test-bt-151.xml",
    "ubl-inv-br-de-17-test.xml",
    "ubl-inv-br-de-18-test.xml",
    "ubl-inv-br-de-18-no-newline.xml",
    "ubl-inv-br-de-19-iban-tests.xml",
    "ubl-inv-br-de-25-test-bg-19.xml",
    "ubl-inv-br-de-26-test.xml",
    "ubl-inv-contact-tests.xml",
    "ubl-inv-br-de-cvd-03-04-05-06-test.xml",
    "ubl-inv-br-dex-02-check-correct-sums-sub-invoice-line.xml",
    "ubl-inv-peppol-en16931-r110.xml",
    "ubl-inv-peppol-en16931-r120.xml",
    "ubl-inv-peppol-en16931-r130.xml",
]


def to_credit_note(root: etree._Element) -> etree._Element:
    """A copy of a UBL invoice tree as a UBL credit note."""
    note = copy.deepcopy(root)
    for element in note.iter():
        if isinstance(element.tag, str) and element.tag in RENAMES:
            element.tag = RENAMES[element.tag]
    return note


def national_rules(root: etree._Element) -> list[tuple[str, str]]:
    detection = detect_xml(etree.tostring(root))
    assert detection.doc is not None
    scenario = choose(detection.doc).national_scenario
    assert scenario is not None
    return sorted((f.rule, f.severity.value) for f in national_check(detection.doc, scenario))


# --------------------------------------------------------------------------
# A small derived credit note (no test material needed)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"buyer_reference": None},
        {"payment_terms": "#SKONTO#TAGE=14#PROZENT=2,00#\n"},
        {"iban": "DE89370400440532013001"},
        {"line_amount": "90.00"},
    ],
)
def test_sample_credit_note_fires_like_the_invoice(changes: dict[str, Any]) -> None:
    invoice = etree.fromstring(ubl_invoice(**changes).encode())
    note = to_credit_note(invoice)
    detection = detect_xml(etree.tostring(note))
    assert detection.doc is not None and detection.doc.syntax is Syntax.UBL_CREDIT_NOTE
    assert national_rules(note) == national_rules(invoice)


def test_credit_note_locations_name_credit_note_elements() -> None:
    note = to_credit_note(etree.fromstring(ubl_invoice(line_amount="90.00").encode()))
    detection = detect_xml(etree.tostring(note))
    assert detection.doc is not None
    scenario = choose(detection.doc).national_scenario
    assert scenario is not None
    locations = {f.rule: f.location for f in national_check(detection.doc, scenario)}
    assert locations == {"PEPPOL-EN16931-R120": "/cn:CreditNote[1]/cac:CreditNoteLine[1]"}


# --------------------------------------------------------------------------
# Credit notes derived from the official UBL rule-test instances
# --------------------------------------------------------------------------

_PARAM = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"', re.S)


def _rules(spec: str | None) -> set[str]:
    return {token.split(":", 1)[-1] for token in re.split(r"[\s,]+", spec or "") if token}


def mutants(path: Path) -> Iterator[tuple[str, etree._Element, set[str], set[str]]]:
    """The xmute mutations (identity, remove, empty, code) of one instance."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False))
    instructions = [pi for pi in tree.iter(etree.ProcessingInstruction) if pi.target == "xmute"]
    for index, instruction in enumerate(instructions):
        params = dict(_PARAM.findall(instruction.text or ""))
        mutator, attribute = params.get("mutator"), params.get("attribute")
        invalid, valid = (
            _rules(params.get("schematron-invalid")),
            _rules(params.get("schematron-valid")),
        )
        if mutator == "code":
            separator = params.get("separator", ",")
            values: list[str | None] = [
                v.strip() for v in params.get("values", "").split(separator) if v.strip()
            ]
        elif mutator in ("identity", "remove", "empty"):
            values = [None]
        else:
            continue
        for value in values:
            root = copy.deepcopy(tree.getroot())
            pis = [pi for pi in root.iter(etree.ProcessingInstruction) if pi.target == "xmute"]
            target = pis[index].getnext()
            while target is not None and not isinstance(target.tag, str):
                target = target.getnext()
            if target is None:
                continue
            if mutator == "remove":
                parent = target.getparent()
                assert parent is not None
                parent.remove(target)
            elif mutator == "empty" or value is not None:
                text = "" if mutator == "empty" else str(value)
                if attribute:
                    target.set(attribute, text)
                else:
                    for child in list(target):
                        target.remove(child)
                    target.text = text
            for pi in pis:
                parent = pi.getparent()
                if parent is not None:
                    parent.remove(pi)
            yield f"{params.get('id', index)}:{value}", root, invalid, valid


def _instance_paths() -> list[Path]:
    return [RULE_TESTS / name for name in INSTANCES]


@pytest.mark.conformance
@pytest.mark.parametrize("path", _instance_paths(), ids=lambda p: p.name)
def test_rule_test_instances_as_credit_notes(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"SKIPPED LOUDLY: official rule-test instance not found at {path}")
    checked = 0
    for name, invoice, must_fire, must_not_fire in mutants(path):
        note = to_credit_note(invoice)
        on_invoice, on_note = national_rules(invoice), national_rules(note)
        assert on_note == on_invoice, name
        fired = {rule for rule, _ in on_note}
        assert must_fire <= fired, (name, sorted(must_fire - fired))
        assert not (must_not_fire & fired), (name, sorted(must_not_fire & fired))
        checked += 1
    assert checked > 0
