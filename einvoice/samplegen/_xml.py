"""Small helpers shared by the UBL and CII writers."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

XRECHNUNG_3 = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
EN16931 = "urn:cen.eu:en16931:2017"
PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
# An identifier from before XRechnung 3.0; no validation scenario accepts it any more.
XRECHNUNG_2_1 = "urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.1"


def amount(value: Decimal) -> str:
    """Money with exactly two decimals."""
    return f"{value:.2f}"


def number(value: Decimal) -> str:
    """A quantity or percentage without trailing zeros and never in exponent form."""
    return f"{value.normalize():f}"


def sub(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def serialise(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
