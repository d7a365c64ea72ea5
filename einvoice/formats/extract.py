"""Bytes (XML or ZUGFeRD/Factur-X PDF) -> the canonical :class:`Invoice`.

Reading only: no validation runs here. Two ways to read:

* :func:`extract` (strict, for the pipeline): a document whose mandatory
  header terms are missing or whose values are malformed raises
  :class:`UnreadableInvoiceError` with a German message that says why.
* :func:`read_invoice` (tolerant, for ``einvoice extract``, the clerk's view
  and the supplier's report): reads every term that is present and records in
  the model what is missing (``missing_terms``, ``missing_mandatory_terms``) or
  malformed (``unreadable_values``). It refuses only bytes that hold no
  invoice document at all.
"""

from __future__ import annotations

import dataclasses

from einvoice.domain.findings import Finding, Severity, Syntax
from einvoice.domain.invoice import Invoice
from einvoice.domain.values import InvalidValueError
from einvoice.errors import PermanentError
from einvoice.formats.cii import parse_cii
from einvoice.formats.detect import Container, container_of, detect_xml
from einvoice.formats.ubl import Reading, parse_ubl, reading
from einvoice.formats.xmldoc import XmlDocument


class UnreadableInvoiceError(PermanentError):
    """The bytes are no readable EN 16931 invoice (message in German)."""


def extract(data: bytes, name: str = "") -> Invoice:
    """Read an invoice from XML or PDF bytes (a PDF's embedded invoice XML)."""
    doc = _document(data, name)
    prefix = f"{name}: " if name else ""
    try:
        return invoice_from_document(doc)
    except InvalidValueError as exc:
        raise UnreadableInvoiceError(
            f"{prefix}Die Rechnung kann nicht gelesen werden: {exc}"
        ) from exc


def read_invoice(data: bytes, name: str = "") -> Invoice:
    """Read every term that is present; the model says what is missing or malformed.

    Raises :class:`UnreadableInvoiceError` only when the bytes hold no invoice
    document (empty, not XML/PDF, no invoice XML in the PDF, another format).
    """
    return tolerant_model(_document(data, name))


def tolerant_model(doc: XmlDocument) -> Invoice:
    """The model of a detected document, read as far as it goes (never InvalidValueError)."""
    state = Reading()
    token = reading().set(state)
    try:
        invoice = invoice_from_document(doc)
    finally:
        reading().reset(token)
    if not state.missing and not state.unreadable:
        return invoice
    return dataclasses.replace(
        invoice,
        missing_terms=tuple(sorted(set(state.missing), key=lambda t: int(t.split("-")[1]))),
        unreadable_values=tuple(state.unreadable),
    )


def _document(data: bytes, name: str) -> XmlDocument:
    """The detected invoice XML of ``data`` (a PDF's embedded one) or UnreadableInvoiceError."""
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
    return detection.doc


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
