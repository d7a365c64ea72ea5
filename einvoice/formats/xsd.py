"""XML Schema validation with the official XSDs (loaded once per process)."""

from __future__ import annotations

import threading
from pathlib import Path

from lxml import etree

from einvoice.domain.findings import Finding, Layer, Severity
from einvoice.errors import RuleArtefactError

_lock = threading.Lock()
_schemas: dict[Path, etree.XMLSchema] = {}
MAX_SCHEMA_FINDINGS = 100


def schema(path: Path) -> etree.XMLSchema:
    with _lock:
        cached = _schemas.get(path)
        if cached is None:
            try:
                parser = etree.XMLParser(resolve_entities=False, no_network=True)
                cached = etree.XMLSchema(etree.parse(str(path), parser))
            except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
                raise RuleArtefactError(f"cannot load XML Schema {path}: {exc}") from exc
            _schemas[path] = cached
        return cached


def validate(root: etree._Element, path: Path) -> list[Finding]:
    return check(root, schema(path), path.name)


def check(root: etree._Element, xml_schema: etree.XMLSchema, name: str) -> list[Finding]:
    """Validate ``root`` against a loaded schema; ``name`` names it in the messages."""
    if xml_schema.validate(root):
        return []
    findings: list[Finding] = []
    for error in xml_schema.error_log:
        if len(findings) >= MAX_SCHEMA_FINDINGS:
            findings.append(
                Finding(
                    "XSD",
                    Severity.ERROR,
                    Layer.SCHEMA,
                    f"Weitere Schemafehler ausgelassen (mehr als {MAX_SCHEMA_FINDINGS}).",
                    f"Further schema errors omitted (more than {MAX_SCHEMA_FINDINGS}).",
                )
            )
            break
        message = _strip_namespaces(error.message)
        findings.append(
            Finding(
                "XSD",
                Severity.ERROR,
                Layer.SCHEMA,
                f"Das Dokument entspricht nicht dem XML-Schema ({name}), Zeile "
                f"{error.line}: {message}",
                f"The document does not conform to the XML Schema ({name}), line "
                f"{error.line}: {message}",
                error.path or f"Zeile {error.line}",
            )
        )
    return findings


def _strip_namespaces(message: str) -> str:
    """Shorten ``{urn:...}Name`` to ``Name`` in lxml's schema messages."""
    out: list[str] = []
    i = 0
    while i < len(message):
        if message[i] == "{":
            end = message.find("}", i)
            if end != -1:
                i = end + 1
                continue
        out.append(message[i])
        i += 1
    return "".join(out)
