"""Safe XML parsing: no DTDs, no entities, no network, bounded size.

Every refusal is a :class:`~einvoice.domain.findings.Finding` of the syntax
layer, never an exception that escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from einvoice.domain.findings import Finding, Layer, Severity
from einvoice.formats import xml_errors

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        recover=False,
    )


@dataclass(frozen=True, slots=True)
class ParseResult:
    root: etree._Element | None
    findings: tuple[Finding, ...] = ()


def syntax_error(rule: str, de: str, en: str, location: str = "") -> Finding:
    return Finding(rule, Severity.ERROR, Layer.SYNTAX, de, en, location)


def parse(data: bytes) -> ParseResult:
    """Parse ``data`` as XML, refusing any document type declaration."""
    if not data.strip():
        return ParseResult(
            None,
            (syntax_error("SYNTAX-EMPTY", "Die Datei ist leer.", "The file is empty."),),
        )
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return ParseResult(
            None,
            (
                syntax_error(
                    "SYNTAX-NOT-XML",
                    "Die Datei ist kein XML-Dokument (sie beginnt nicht mit '<').",
                    "The file is not an XML document (it does not start with '<').",
                ),
            ),
        )
    if _declares_doctype(data):
        return ParseResult(None, (_dtd_finding(),))
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        return ParseResult(None, (_malformed(exc),))
    except ValueError as exc:  # e.g. unsupported encoding declarations
        return ParseResult(
            None,
            (
                syntax_error(
                    "SYNTAX-ENCODING",
                    f"Die Datei kann nicht gelesen werden: {exc}",
                    f"The file cannot be read: {exc}",
                ),
            ),
        )
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return ParseResult(None, (_dtd_finding(),))
    for node in root.iter(etree.Entity):
        return ParseResult(
            None,
            (
                syntax_error(
                    "SYNTAX-ENTITY",
                    f"Das Dokument verwendet die Entität &{node.name}; - nicht erlaubt.",
                    f"The document uses the entity &{node.name}; - not allowed.",
                ),
            ),
        )
    return ParseResult(root)


_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _declares_doctype(data: bytes) -> bool:
    """A DOCTYPE before the root element - refused before the parser sees it."""
    first = _FIRST_ELEMENT.search(data)
    prolog = data[: first.start()] if first else data
    return _DOCTYPE.search(prolog) is not None


def _malformed(exc: etree.XMLSyntaxError) -> Finding:
    """German: what is wrong and where; the parser's own (English) text as the technical
    detail in the English message."""
    line, column = xml_errors.position(exc)
    where = f"Zeile {line}, Spalte {column}" if column else f"Zeile {line}"
    where_en = f"line {line}, column {column}" if column else f"line {line}"
    return syntax_error(
        "SYNTAX-MALFORMED",
        f"Die Datei ist kein wohlgeformtes XML ({where}): {xml_errors.sentence_de(exc)}",
        f"The file is not well-formed XML ({where_en}): {exc.msg}",
        where,
    )


def _dtd_finding() -> Finding:
    return syntax_error(
        "SYNTAX-DTD",
        "Das Dokument enthält eine Dokumenttyp-Deklaration (DTD). DTDs und Entitäten sind in "
        "E-Rechnungen nicht erlaubt (Schutz vor XXE und Entitäten-Expansion); bitte ohne "
        "<!DOCTYPE ...> senden.",
        "The document contains a document type declaration (DTD). DTDs and entities are not "
        "allowed in e-invoices (protection against XXE and entity expansion); send it without "
        "<!DOCTYPE ...>.",
    )
