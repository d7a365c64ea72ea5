"""Bytes (XML or ZUGFeRD/Factur-X PDF) -> the canonical :class:`Invoice`.

Reading only: no validation runs here. What cannot be read as an invoice
raises :class:`UnreadableInvoiceError` with a German message that says why.
"""

from __future__ import annotations

from einvoice.domain.findings import Finding, Severity, Syntax
from einvoice.domain.invoice import Invoice
from einvoice.domain.values import InvalidValueError
from einvoice.errors import PermanentError
from einvoice.formats.cii import parse_cii
from einvoice.formats.detect import Container, container_of, detect_xml
from einvoice.formats.ubl import parse_ubl
from einvoice.formats.xmldoc import XmlDocument


class UnreadableInvoiceError(PermanentError):
    """The bytes are no readable EN 16931 invoice (message in German)."""


def extract(data: bytes, name: str = "") -> Invoice:
    """Read an invoice from XML or PDF bytes (a PDF's embedded invoice XML)."""
    prefix = f"{name}: " if name else ""
    if not data.strip():
        raise UnreadableInvoiceError(prefix + "Die Datei ist leer.")
    container = container_of(data)
    if container is Container.PDF:
        from einvoice.formats import pdf

        extraction = pdf.extract(data)
        if extraction.xml is None:
            raise UnreadableInvoiceError(prefix + _reasons(extraction.findings, "PDF-Datei"))
        data = extraction.xml
    elif container is Container.OTHER:
        raise UnreadableInvoiceError(
            prefix + "Die Datei ist weder eine XML-Rechnung noch eine PDF-Datei (ZUGFeRD/Factur-X)."
        )
    detection = detect_xml(data)
    if detection.doc is None:
        raise UnreadableInvoiceError(prefix + _reasons(detection.findings, "XML-Datei"))
    try:
        return invoice_from_document(detection.doc)
    except InvalidValueError as exc:
        raise UnreadableInvoiceError(
            f"{prefix}Die Rechnung kann nicht gelesen werden: {exc}"
        ) from exc


def invoice_from_document(doc: XmlDocument) -> Invoice:
    """The model of an already detected document (raises InvalidValueError)."""
    if doc.syntax is Syntax.CII:
        return parse_cii(doc)
    if doc.syntax.is_ubl:
        return parse_ubl(doc)
    raise UnreadableInvoiceError(f"Unbekannte Rechnungssyntax: {doc.syntax.value}")


def _reasons(findings: tuple[Finding, ...] | list[Finding], what: str) -> str:
    errors = [f.message_de for f in findings if f.severity is Severity.ERROR]
    if not errors:
        return f"Die {what} enthält keine lesbare Rechnung."
    return " ".join(errors)
