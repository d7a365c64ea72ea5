"""The terms the official XRechnung visualization shows for a UBL CreditNote (tests only).

``OFFICIAL_PATHS`` are the ``select``/``match`` expressions of the official
KoSIT visualization stylesheet ``ubl-creditnote-xr.xsl`` (itplr-kosit/
xrechnung-visualization, Apache-2.0), one per business term, relative to the
``CreditNote`` root: the term a value is shown as, written down here as data so
that a test can compare the project's extraction with the official mapping
without the stylesheet on the machine. Values are compared after
``normalize-space`` (the stylesheet prints the element's string value).

Also: the CEN credit-note unit fragments. The CEN repository's
``test/CreditNote-unit-UBL`` is held back from ``../shared``; when it is
present (``cen-unit/CreditNote-unit-UBL``) its fragments are used, otherwise
the UBL Invoice unit fragments turned into CreditNotes (root, type code, lines,
quantities renamed as the CreditNote schema names them).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

VEFA = "http://difi.no/xsd/vefa/validator/1.0"
UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {
    "cn": UBL_CREDIT_NOTE,
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}

_PARTY_S = "cac:AccountingSupplierParty/cac:Party/"
_PARTY_B = "cac:AccountingCustomerParty/cac:Party/"
_LINE = "cac:CreditNoteLine/"
_ITEM = _LINE + "cac:Item/"
_ALLOWANCE = "cac:AllowanceCharge[cbc:ChargeIndicator = 'false']/"
_CHARGE = "cac:AllowanceCharge[cbc:ChargeIndicator = 'true']/"
_SUB = "cac:TaxTotal/cac:TaxSubtotal/"

OFFICIAL_PATHS: dict[str, str] = {
    "BT-1": "cbc:ID",
    "BT-2": "cbc:IssueDate",
    "BT-3": "cbc:CreditNoteTypeCode",
    "BT-5": "cbc:DocumentCurrencyCode",
    "BT-6": "cbc:TaxCurrencyCode",
    "BT-7": "cbc:TaxPointDate",
    "BT-8": "cac:InvoicePeriod/cbc:DescriptionCode",
    "BT-9": "cac:PaymentMeans/cbc:PaymentDueDate",
    "BT-10": "cbc:BuyerReference",
    "BT-11": "cac:AdditionalDocumentReference/cbc:ID[following-sibling::cbc:DocumentTypeCode = 50]",
    "BT-12": "cac:ContractDocumentReference/cbc:ID",
    "BT-13": "cac:OrderReference/cbc:ID",
    "BT-14": "cac:OrderReference/cbc:SalesOrderID",
    "BT-15": "cac:ReceiptDocumentReference/cbc:ID",
    "BT-16": "cac:DespatchDocumentReference/cbc:ID",
    "BT-17": "cac:OriginatorDocumentReference/cbc:ID",
    "BT-18": "cac:AdditionalDocumentReference/cbc:ID"
    + "[following-sibling::cbc:DocumentTypeCode='130']",
    "BT-19": "cbc:AccountingCost",
    "BT-20": "cac:PaymentTerms/cbc:Note",
    "BT-23": "cbc:ProfileID",
    "BT-24": "cbc:CustomizationID",
    "BT-25": "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
    "BT-26": "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate",
    "BT-27": _PARTY_S + "cac:PartyLegalEntity/cbc:RegistrationName",
    "BT-28": _PARTY_S + "cac:PartyName/cbc:Name",
    "BT-34": _PARTY_S + "cbc:EndpointID",
    "BT-35": _PARTY_S + "cac:PostalAddress/cbc:StreetName",
    "BT-37": _PARTY_S + "cac:PostalAddress/cbc:CityName",
    "BT-38": _PARTY_S + "cac:PostalAddress/cbc:PostalZone",
    "BT-40": _PARTY_S + "cac:PostalAddress/cac:Country/cbc:IdentificationCode",
    "BT-44": _PARTY_B + "cac:PartyLegalEntity/cbc:RegistrationName",
    "BT-45": _PARTY_B + "cac:PartyName/cbc:Name",
    "BT-49": _PARTY_B + "cbc:EndpointID",
    "BT-50": _PARTY_B + "cac:PostalAddress/cbc:StreetName",
    "BT-52": _PARTY_B + "cac:PostalAddress/cbc:CityName",
    "BT-53": _PARTY_B + "cac:PostalAddress/cbc:PostalZone",
    "BT-55": _PARTY_B + "cac:PostalAddress/cac:Country/cbc:IdentificationCode",
    "BT-73": "cac:InvoicePeriod/cbc:StartDate",
    "BT-74": "cac:InvoicePeriod/cbc:EndDate",
    "BT-81": "cac:PaymentMeans/cbc:PaymentMeansCode",
    "BT-83": "cac:PaymentMeans/cbc:PaymentID",
    "BT-84": "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID",
    "BT-92": _ALLOWANCE + "cbc:Amount",
    "BT-93": _ALLOWANCE + "cbc:BaseAmount",
    "BT-94": _ALLOWANCE + "cbc:MultiplierFactorNumeric",
    "BT-97": _ALLOWANCE + "cbc:AllowanceChargeReason",
    "BT-98": _ALLOWANCE + "cbc:AllowanceChargeReasonCode",
    "BT-99": _CHARGE + "cbc:Amount",
    "BT-100": _CHARGE + "cbc:BaseAmount",
    "BT-101": _CHARGE + "cbc:MultiplierFactorNumeric",
    "BT-104": _CHARGE + "cbc:AllowanceChargeReason",
    "BT-105": _CHARGE + "cbc:AllowanceChargeReasonCode",
    "BT-106": "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
    "BT-107": "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount",
    "BT-108": "cac:LegalMonetaryTotal/cbc:ChargeTotalAmount",
    "BT-109": "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    "BT-112": "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    "BT-113": "cac:LegalMonetaryTotal/cbc:PrepaidAmount",
    "BT-114": "cac:LegalMonetaryTotal/cbc:PayableRoundingAmount",
    "BT-115": "cac:LegalMonetaryTotal/cbc:PayableAmount",
    "BT-116": _SUB + "cbc:TaxableAmount",
    "BT-117": _SUB + "cbc:TaxAmount",
    "BT-118": _SUB + "cac:TaxCategory/cbc:ID",
    "BT-119": _SUB + "cac:TaxCategory/cbc:Percent",
    "BT-120": _SUB + "cac:TaxCategory/cbc:TaxExemptionReason",
    "BT-121": _SUB + "cac:TaxCategory/cbc:TaxExemptionReasonCode",
    "BT-126": _LINE + "cbc:ID",
    "BT-127": _LINE + "cbc:Note",
    "BT-129": _LINE + "cbc:CreditedQuantity",
    "BT-130": _LINE + "cbc:CreditedQuantity/@unitCode",
    "BT-131": _LINE + "cbc:LineExtensionAmount",
    "BT-132": _LINE + "cac:OrderLineReference/cbc:LineID",
    "BT-133": _LINE + "cbc:AccountingCost",
    "BT-134": _LINE + "cac:InvoicePeriod/cbc:StartDate",
    "BT-135": _LINE + "cac:InvoicePeriod/cbc:EndDate",
    "BT-146": _LINE + "cac:Price/cbc:PriceAmount",
    "BT-147": _LINE
    + "cac:Price/cac:AllowanceCharge/cbc:Amount[preceding-sibling::cbc:ChargeIndicator = 'false']",
    "BT-148": _LINE
    + "cac:Price/cac:AllowanceCharge/cbc:BaseAmount"
    + "[preceding-sibling::cbc:ChargeIndicator = 'false']",
    "BT-149": _LINE + "cac:Price/cbc:BaseQuantity",
    "BT-151": _ITEM
    + "cac:ClassifiedTaxCategory/cbc:ID[following-sibling::cac:TaxScheme/cbc:ID = 'VAT']",
    "BT-152": _ITEM + "cac:ClassifiedTaxCategory/cbc:Percent",
    "BT-153": _ITEM + "cbc:Name",
    "BT-154": _ITEM + "cbc:Description",
    "BT-155": _ITEM + "cac:SellersItemIdentification/cbc:ID",
    "BT-156": _ITEM + "cac:BuyersItemIdentification/cbc:ID",
    "BT-157": _ITEM + "cac:StandardItemIdentification/cbc:ID",
    "BT-158": _ITEM + "cac:CommodityClassification/cbc:ItemClassificationCode",
    "BT-159": _ITEM + "cac:OriginCountry/cbc:IdentificationCode",
}
_COMPILED = {term: etree.XPath(path, namespaces=NS) for term, path in OFFICIAL_PATHS.items()}
# Terms the project keeps as one value where the visualization may show several.
_JOINED = {"BT-20": "\n"}


def _norm(text: str) -> str:
    """normalize-space; a number in its canonical form (the project writes ``0.00`` for
    ``.00``: the same value), so that values compare as values, not as spelling."""
    value = " ".join(text.split())
    if _NUMBER.fullmatch(value):
        number = Decimal(value)
        return format(number.normalize(), "f") if number else "0"
    return value


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def official_terms(root: etree._Element) -> Counter[tuple[str, str]]:
    """(term, value) pairs the official visualization shows for a CreditNote root."""
    found: Counter[tuple[str, str]] = Counter()
    for term, path in _COMPILED.items():
        for node in path(root):  # type: ignore[union-attr]
            text = node if isinstance(node, str) else "".join(node.itertext())
            value = _norm(str(text))
            if value:
                found[(term, value)] += 1
    # BG-16: the stylesheet groups cac:PaymentMeans by their code (for-each-group): one
    # BT-81 per distinct code, one BT-83 per distinct payment id.
    for term in ("BT-81", "BT-83"):
        for pair in [p for p in found if p[0] == term]:
            found[pair] = 1
    return found


def project_terms(semantic: dict[str, Any]) -> Counter[tuple[str, str]]:
    """(term, value) pairs of the project's semantic JSON, for the terms compared here."""
    found: Counter[tuple[str, str]] = Counter()

    def walk(node: object, key: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k != "reading":
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif key in OFFICIAL_PATHS and node is not None:
            parts = str(node).split(_JOINED[key]) if key in _JOINED else [str(node)]
            for part in parts:
                if _norm(part):
                    found[(key, _norm(part))] += 1

    walk(semantic, "")
    for unreadable in semantic.get("reading", {}).get("unreadable", []):
        # stated, but not of its data type: the visualization shows the term (as written
        # or as "ILLEGAL DATE FORMAT"), the project names it with the value as written
        if unreadable["term"] in OFFICIAL_PATHS and _norm(unreadable["value"]):
            found[(unreadable["term"], _norm(unreadable["value"]))] += 1
    for term in semantic.get("reading", {}).get("derived", []):
        for pair in [p for p in found if p[0] == term]:
            del found[pair]  # derived by the reader, not stated: the visualization shows none
    return found


@dataclass
class Agreement:
    fragments: int = 0
    read: int = 0  # fragments read without an exception
    official: int = 0  # (term, value) occurrences the visualization shows
    agreed: int = 0  # ... that the project reads with the same value
    extra: int = 0  # ... the project reads that the visualization does not show
    differences: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.agreed / self.official if self.official else 1.0


def compare(name: str, data: bytes, semantic: dict[str, Any] | None, tally: Agreement) -> None:
    root = etree.fromstring(data)
    official = official_terms(root)
    tally.fragments += 1
    tally.official += sum(official.values())
    if semantic is None:
        tally.differences.append(f"{name}: not read")
        return
    tally.read += 1
    mine = project_terms(semantic)
    agreed = official & mine
    tally.agreed += sum(agreed.values())
    extra = mine - official
    tally.extra += sum(extra.values())
    missing = official - mine
    if missing or extra:
        tally.differences.append(
            f"{name}: missing {sorted(missing.elements())[:4]} extra {sorted(extra.elements())[:4]}"
        )


# --- the CEN credit-note unit fragments -----------------------------------------------------

_RENAMES = {
    "InvoiceTypeCode": "CreditNoteTypeCode",
    "InvoiceLine": "CreditNoteLine",
    "InvoicedQuantity": "CreditedQuantity",
    "SubInvoiceLine": "SubCreditNoteLine",
}
_TAG = re.compile(r"\{[^}]*\}")


def credit_note_fragments(cen_unit: Path) -> Iterator[tuple[str, bytes]]:
    """(name, CreditNote XML) for every CEN credit-note unit fragment (see module doc)."""
    held_back = cen_unit / "CreditNote-unit-UBL"
    if held_back.is_dir():
        for path in sorted(held_back.glob("*.xml")):
            for index, root in enumerate(_test_roots(path)):
                if etree.QName(root).namespace == UBL_CREDIT_NOTE:
                    yield f"{path.name}#{index + 1}", etree.tostring(root)
        return
    for path in sorted((cen_unit / "Invoice-unit-UBL").glob("*.xml")):
        for index, root in enumerate(_test_roots(path)):
            namespace = etree.QName(root).namespace
            if namespace == UBL_CREDIT_NOTE:
                yield f"{path.name}#{index + 1}", etree.tostring(root)
            elif namespace == UBL_INVOICE:
                yield f"{path.name}#{index + 1}(cn)", _as_credit_note(root)


def _test_roots(path: Path) -> Iterator[etree._Element]:
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    for test in tree.getroot().iter(f"{{{VEFA}}}test"):
        for child in test:
            if isinstance(child.tag, str) and etree.QName(child).namespace != VEFA:
                yield child


def _as_credit_note(root: etree._Element) -> bytes:
    """An Invoice fragment as the same CreditNote fragment (names of the CreditNote schema)."""
    text = etree.tostring(root, encoding="unicode")
    text = text.replace(UBL_INVOICE, UBL_CREDIT_NOTE)
    for old, new in _RENAMES.items():
        text = re.sub(rf"(</?[\w]*:?){old}\b", rf"\g<1>{new}", text)
    text = re.sub(r"(</?)(\w+:)?Invoice\b", r"\g<1>\g<2>CreditNote", text)
    return text.encode("utf-8")
