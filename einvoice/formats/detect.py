"""Detect what a byte string is - from its content, never its file name."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

from einvoice.domain.findings import Finding, Syntax
from einvoice.formats import namespaces as ns
from einvoice.formats.safexml import parse, syntax_error
from einvoice.formats.xmldoc import XmlDocument


class Container(StrEnum):
    XML = "xml"
    PDF = "pdf"
    OTHER = "other"


def container_of(data: bytes) -> Container:
    if data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return Container.PDF
    return Container.XML if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" else Container.OTHER


ROOTS: dict[tuple[str, str], Syntax] = {
    (ns.UBL_INVOICE, "Invoice"): Syntax.UBL_INVOICE,
    (ns.UBL_CREDIT_NOTE, "CreditNote"): Syntax.UBL_CREDIT_NOTE,
    (ns.CII_RSM, "CrossIndustryInvoice"): Syntax.CII,
}


@dataclass(frozen=True, slots=True)
class Detection:
    doc: XmlDocument | None
    findings: tuple[Finding, ...] = ()


def detect_xml(data: bytes) -> Detection:
    """Parse safely and recognise UBL Invoice, UBL CreditNote or CII."""
    parsed = parse(data)
    if parsed.root is None:
        return Detection(None, parsed.findings)
    root = parsed.root
    qname = etree.QName(root)
    syntax = ROOTS.get((qname.namespace or "", qname.localname))
    if syntax is not None:
        return Detection(XmlDocument(root, syntax, data))
    return Detection(None, (_not_an_invoice(qname),))


def _not_an_invoice(qname: etree.QName) -> Finding:
    namespace = qname.namespace or ""
    if namespace == ns.ZUGFERD_1_RSM:
        return syntax_error(
            "SYNTAX-ZUGFERD1",
            "Das ist eine ZUGFeRD-1.0-Rechnung (Format von 2014). Sie entspricht nicht der "
            "EN 16931 und wird nicht mehr angenommen. Bitte als XRechnung 3.0 oder "
            "ZUGFeRD 2.x (Profil EN16931 oder XRECHNUNG) senden.",
            "This is a ZUGFeRD 1.0 invoice (2014 format). It does not conform to EN 16931 "
            "and is no longer accepted. Send XRechnung 3.0 or ZUGFeRD 2.x instead.",
            f"/{qname.localname}",
        )
    if (
        qname.localname.startswith("SCRDMCCBDACIO")
        or "order-x" in namespace.lower()
        or (namespace == ns.ORDER_X_RSM)
    ):
        return syntax_error(
            "SYNTAX-ORDER-X",
            "Das ist eine Order-X-Bestellung, keine Rechnung.",
            "This is an Order-X order, not an invoice.",
            f"/{qname.localname}",
        )
    return syntax_error(
        "SYNTAX-NOT-INVOICE",
        f"Das XML-Dokument ist keine E-Rechnung: Wurzelelement '{qname.localname}' im "
        f"Namensraum '{namespace}'. Erwartet: UBL Invoice/CreditNote oder "
        "CII CrossIndustryInvoice.",
        f"The XML document is not an e-invoice: root element '{qname.localname}' in "
        f"namespace '{namespace}'. Expected UBL Invoice/CreditNote or CII "
        "CrossIndustryInvoice.",
        f"/{qname.localname}",
    )
