"""Where the project deliberately reads a document differently from the official visualization.

Reported as findings of severity *information* (issue 27), so that a reader of
the report knows the extracted figures differ from what the official XRechnung
visualization shows, and why. The verdict never changes.

* ``INFO-PRICE-ALLOWANCES`` (UBL, CII): several allowances (or charges) on one
  price; the visualization shows each as a BT-147, the project their sum as one.
* ``INFO-PRICE-CHARGE`` (CII): a price *charge* on the gross price
  (``ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge`` with
  ``ChargeIndicator`` true; EN 16931 has no price charge, PEPPOL-EN16931-R044
  warns). The official visualization (``cii-xr.xsl``) shows its amount as the
  item price discount BT-147; the project reads it as a *negative* discount,
  so that gross price (BT-148) - BT-147 = net price (BT-146) stays true.
"""

from __future__ import annotations

from lxml import etree

from einvoice.domain.findings import Finding, Layer, Severity, Syntax
from einvoice.formats.namespaces import CII_NS, UBL_NS
from einvoice.formats.xmldoc import XmlDocument

_CII_PRICE_CHARGES = etree.XPath(
    "/*/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    "/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice"
    "/ram:AppliedTradeAllowanceCharge"
    "[ram:ChargeIndicator/udt:Indicator = 'true' or ram:ChargeIndicator/udt:Indicator = '1']",
    namespaces=CII_NS,
)


_UBL_SEVERAL_PRICE_ALLOWANCES = etree.XPath(
    "/*/cac:InvoiceLine/cac:Price[count(cac:AllowanceCharge[cbc:ChargeIndicator = 'false']) > 1]"
    " | /*/cac:CreditNoteLine/cac:Price"
    "[count(cac:AllowanceCharge[cbc:ChargeIndicator = 'false']) > 1]",
    namespaces=UBL_NS,
)
_CII_SEVERAL_PRICE_ALLOWANCES = etree.XPath(
    "/*/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    "/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice"
    "[count(ram:AppliedTradeAllowanceCharge) > 1]",
    namespaces=CII_NS,
)


def findings(doc: XmlDocument) -> list[Finding]:
    """Information findings for the document's deliberately different readings."""
    several = (
        _CII_SEVERAL_PRICE_ALLOWANCES if doc.syntax is Syntax.CII else _UBL_SEVERAL_PRICE_ALLOWANCES
    )(doc.root)
    found = [_several(several[0], len(several))] if isinstance(several, list) and several else []
    if doc.syntax is not Syntax.CII:
        return found
    return found + _charges(doc)


def _several(first: object, count: int) -> Finding:
    assert isinstance(first, etree._Element)
    return Finding(
        "INFO-PRICE-ALLOWANCES",
        Severity.INFO,
        Layer.EN16931,
        f"{count} {'Position' if count == 1 else 'Positionen'} mit mehreren "
        "Nachlässen/Zuschlägen auf Preisebene (die EN 16931 "
        "kennt einen Artikelpreisnachlass BT-147). Die offizielle XRechnung-Visualisierung "
        "zeigt jeden einzeln als BT-147; diese Software liest ihre Summe als einen BT-147.",
        f"{count} line(s) with several price-level allowances/charges (EN 16931 has one item "
        "price discount BT-147). The official XRechnung visualization shows each as BT-147; "
        "this software reads their sum as one BT-147.",
        str(first.getroottree().getpath(first)),
        ("BT-147",),
    )


def _charges(doc: XmlDocument) -> list[Finding]:
    charges = _CII_PRICE_CHARGES(doc.root)
    if not isinstance(charges, list) or not charges:
        return []
    first = charges[0]
    assert isinstance(first, etree._Element)
    return [
        Finding(
            "INFO-PRICE-CHARGE",
            Severity.INFO,
            Layer.EN16931,
            f"{len(charges)} Zuschlag/Zuschläge auf Preisebene (AppliedTradeAllowanceCharge "
            "mit ChargeIndicator true) gelesen. Die EN 16931 kennt auf Preisebene nur "
            "Nachlässe; die offizielle XRechnung-Visualisierung zeigt den Betrag als "
            "Artikelpreisnachlass (BT-147). Diese Software liest ihn bewusst als negativen "
            "Nachlass, damit Bruttopreis (BT-148) minus Nachlass (BT-147) den Nettopreis "
            "(BT-146) ergibt.",
            f"{len(charges)} price-level charge(s) (AppliedTradeAllowanceCharge with "
            "ChargeIndicator true) read. EN 16931 has only price discounts; the official "
            "XRechnung visualization shows the amount as the item price discount (BT-147). "
            "This software deliberately reads it as a negative discount so that gross price "
            "(BT-148) minus discount (BT-147) is the net price (BT-146).",
            str(first.getroottree().getpath(first)),
            ("BT-147", "BT-148"),
        )
    ]
