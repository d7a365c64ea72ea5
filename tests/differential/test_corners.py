"""Hand-built inputs in the corners the random mutator rarely reaches (issue 27).

Each case changes one valid official invoice the way a supplier's software
might (an empty ``@schemeID``, an empty ``@listID``, two attachments in one
reference) and compares the project with the official oracle: same verdict,
same error-level rule ids. The expectations name the official quirk each case
pins down, so that a change that loses it fails here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from lxml import etree

from einvoice.domain.findings import Severity
from einvoice.formats.validation import validate
from tests.conformance.expected import category
from tests.differential.oracle import Oracle
from tests.helpers import require_conformance

EXTENSION_UBL = "xrechnung-testsuite/business-cases/extension/04.01a-INVOICE_ubl.xml"
EXTENSION_CII = "xrechnung-testsuite/business-cases/extension/04.05a-INVOICE_uncefact.xml"
CVD_UBL = "xrechnung-testsuite/technical-cases/cvd/02.01a-cvd_INVOICE_ubl.xml"
CVD_CII = "xrechnung-testsuite/technical-cases/cvd/02.01a-cvd_INVOICE_uncefact.xml"
STANDARD_UBL = "xrechnung-testsuite/business-cases/standard/01.01a-INVOICE_ubl.xml"

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
}


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    xpath: str  # the element to change (the first match)
    attribute: str
    new: str | None  # None: remove the attribute
    rule: str  # the rule the case is about
    officially_fires: bool
    insert: str = ""  # "delivery" / "standard-item-id": add the element first (UBL)


CASES = [
    # BR-DEX-07: concat($DIGA-CODES, $CEF-EAS-CODES) has a double space -> '' passes.
    Case(
        "ext-ubl-endpoint-empty",
        EXTENSION_UBL,
        "//cac:AccountingCustomerParty//cbc:EndpointID",
        "schemeID",
        "",
        "BR-DEX-07",
        False,
    ),
    Case(
        "ext-ubl-endpoint-blank",
        EXTENSION_UBL,
        "//cac:AccountingCustomerParty//cbc:EndpointID",
        "schemeID",
        "  ",
        "BR-DEX-07",
        False,
    ),
    Case(
        "ext-ubl-endpoint-unknown",
        EXTENSION_UBL,
        "//cac:AccountingCustomerParty//cbc:EndpointID",
        "schemeID",
        "XX",
        "BR-DEX-07",
        True,
    ),
    # BR-DEX-04: ICD + XR01..03, same joined list.
    Case(
        "ext-ubl-party-id-empty",
        EXTENSION_UBL,
        "//cac:AccountingCustomerParty//cac:PartyIdentification/cbc:ID",
        "schemeID",
        "",
        "BR-DEX-04",
        False,
    ),
    # BR-DEX-08: deliver-to location identifier.
    Case(
        "ext-ubl-delivery-location-empty",
        EXTENSION_UBL,
        "//cac:DeliveryLocation/cbc:ID",
        "schemeID",
        "",
        "BR-DEX-08",
        False,
        insert="delivery",
    ),
    # BR-DEX-06: item standard identifier.
    Case(
        "ext-ubl-standard-item-id-empty",
        EXTENSION_UBL,
        "//cac:StandardItemIdentification/cbc:ID",
        "schemeID",
        "",
        "BR-DEX-06",
        False,
        insert="standard-item-id",
    ),
    # BR-DEX-05: legal registration identifier.
    Case(
        "ext-ubl-company-id-empty",
        EXTENSION_UBL,
        "//cac:AccountingSupplierParty//cac:PartyLegalEntity/cbc:CompanyID",
        "schemeID",
        "",
        "BR-DEX-05",
        False,
    ),
    Case(
        "ext-cii-global-id-empty",
        EXTENSION_CII,
        "//ram:SellerTradeParty/ram:GlobalID",
        "schemeID",
        "",
        "BR-DEX-04",
        False,
    ),
    # BR-DEX-06 (CII form): item standard identifier.
    Case(
        "ext-cii-product-id-empty",
        EXTENSION_CII,
        "//ram:SpecifiedTradeProduct/ram:GlobalID",
        "schemeID",
        "",
        "BR-DEX-06",
        False,
    ),
    Case(
        "ext-cii-product-id-unknown",
        EXTENSION_CII,
        "//ram:SpecifiedTradeProduct/ram:GlobalID",
        "schemeID",
        "XR09",
        "BR-DEX-06",
        True,
    ),
    Case(
        "ext-cii-uri-empty",
        EXTENSION_CII,
        "//ram:BuyerTradeParty//ram:URIID",
        "schemeID",
        "",
        "BR-DEX-07",
        False,
    ),
    # BR-TMP-CVD-01: concat(' CVD ', ' AA ... ') has a double space -> '' passes.
    Case(
        "cvd-ubl-list-empty",
        CVD_UBL,
        "(//cac:CommodityClassification/cbc:ItemClassificationCode)[2]",
        "listID",
        "",
        "BR-TMP-CVD-01",
        False,
    ),
    Case(
        "cvd-ubl-list-removed",
        CVD_UBL,
        "(//cac:CommodityClassification/cbc:ItemClassificationCode)[2]",
        "listID",
        None,
        "BR-TMP-CVD-01",
        False,
    ),
    Case(
        "cvd-ubl-list-unknown",
        CVD_UBL,
        "(//cac:CommodityClassification/cbc:ItemClassificationCode)[2]",
        "listID",
        "QQ",
        "BR-TMP-CVD-01",
        True,
    ),
    Case(
        "cvd-cii-list-empty",
        CVD_CII,
        "(//ram:DesignatedProductClassification/ram:ClassCode)[2]",
        "listID",
        "",
        "BR-TMP-CVD-01",
        False,
    ),
    # The standard scenario's lists are not joined: an empty scheme is an error there
    # (CEN BR-CL-25, not lowered), officially and in the project.
    Case(
        "standard-ubl-endpoint-empty",
        STANDARD_UBL,
        "//cac:AccountingCustomerParty//cbc:EndpointID",
        "schemeID",
        "",
        "BR-CL-25",
        True,
    ),
]


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle(require_conformance())


def _mutant(case: Case) -> bytes:
    conformance = require_conformance()
    root = etree.fromstring((conformance / case.source).read_bytes())
    _insert(root, case.insert)
    found = root.xpath(case.xpath, namespaces=NS)
    assert found, f"{case.xpath} not in {case.source}"
    element = found[0]
    if case.new is None:
        element.attrib.pop(case.attribute, None)
    else:
        element.set(case.attribute, case.new)
    return bytes(etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8"))


def _insert(root: etree._Element, what: str) -> None:
    """Add a UBL element the source lacks, in its schema position, with a valid scheme."""
    cac, cbc = NS["cac"], NS["cbc"]
    if what == "delivery":
        delivery = etree.Element(f"{{{cac}}}Delivery")
        location = etree.SubElement(delivery, f"{{{cac}}}DeliveryLocation")
        identifier = etree.SubElement(location, f"{{{cbc}}}ID", schemeID="0088")
        identifier.text = "4000001000005"
        root.find(f"{{{cac}}}PaymentMeans").addprevious(delivery)  # type: ignore[union-attr]
    elif what == "standard-item-id":
        item = root.find(f"{{{cac}}}InvoiceLine/{{{cac}}}Item")
        assert item is not None
        standard = etree.Element(f"{{{cac}}}StandardItemIdentification")
        identifier = etree.SubElement(standard, f"{{{cbc}}}ID", schemeID="0160")
        identifier.text = "4012345678901"
        item.find(f"{{{cbc}}}Name").addnext(standard)  # type: ignore[union-attr]


def _project(data: bytes) -> tuple[bool, frozenset[str]]:
    report = validate(data)
    errors = frozenset(category(f.rule) for f in report.findings if f.severity is Severity.ERROR)
    return report.valid, errors


@pytest.mark.conformance
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scheme_and_list_corners_agree_with_the_official_rules(case: Case, oracle: Oracle) -> None:
    data = _mutant(case)
    official = oracle.check(data)
    assert not official.aborted
    assert (case.rule in official.errors) is case.officially_fires, official
    valid, errors = _project(data)
    assert (case.rule in errors) is case.officially_fires, errors
    assert (valid, errors) == (official.valid, official.errors)


def _two_attachments_in_one_reference() -> bytes:
    conformance = require_conformance()
    root = etree.fromstring((conformance / STANDARD_UBL).read_bytes())
    cac, cbc = NS["cac"], NS["cbc"]
    reference = etree.Element(f"{{{cac}}}AdditionalDocumentReference")
    etree.SubElement(reference, f"{{{cbc}}}ID").text = "A1"
    attachment = etree.SubElement(reference, f"{{{cac}}}Attachment")
    for _ in range(2):
        binary = etree.SubElement(attachment, f"{{{cbc}}}EmbeddedDocumentBinaryObject")
        binary.set("mimeCode", "application/pdf")
        binary.set("filename", "same.pdf")
        binary.text = "JVBERi0xLjQK"
    anchor = root.find(f"{{{cac}}}AccountingSupplierParty")
    assert anchor is not None
    anchor.addprevious(reference)
    return bytes(etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8"))


@pytest.mark.conformance
def test_br_de_22_compares_file_names_across_sibling_references_only(oracle: Oracle) -> None:
    """Official BR-DE-22 (UBL): a reference counts as a duplicate only when its file name
    equals one of a *preceding sibling* reference; two attachments inside one reference
    (schema-invalid) do not fire it."""
    data = _two_attachments_in_one_reference()
    official = oracle.check(data)
    assert "BR-DE-22" not in official.errors and "XSD" in official.errors
    valid, errors = _project(data)
    assert "BR-DE-22" not in errors
    assert (valid, errors) == (official.valid, official.errors)
    # Two sibling references with the same file name: fires, officially and here.
    root = etree.fromstring(data)
    reference = root.find(f"{{{NS['cac']}}}AdditionalDocumentReference")
    assert reference is not None
    attachment = reference.find(f"{{{NS['cac']}}}Attachment")
    assert attachment is not None
    attachment.remove(attachment[1])
    twin = etree.fromstring(etree.tostring(reference))
    twin.find(f"{{{NS['cbc']}}}ID").text = "A2"  # type: ignore[union-attr]
    reference.addnext(twin)
    siblings = bytes(etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8"))
    official = oracle.check(siblings)
    assert "BR-DE-22" in official.errors
    valid, errors = _project(siblings)
    assert (valid, errors) == (official.valid, official.errors)
