"""Run official Schematron rule sets compiled to XSLT 2.0 with Saxon-HE (saxonche).

Each stylesheet is compiled once per process and then reused; a compiled
stylesheet survives a fork and may serve several threads. The SVRL output is
turned into findings with the official rule ids, flags and locations.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from einvoice.domain.findings import Finding, Layer, Severity
from einvoice.errors import RuleArtefactError

log = logging.getLogger(__name__)

SVRL = "http://purl.oclc.org/dsdl/svrl"
_FAILED = f"{{{SVRL}}}failed-assert"
_REPORT = f"{{{SVRL}}}successful-report"
_TEXT = f"{{{SVRL}}}text"

_lock = threading.Lock()
_processor: object | None = None
_compiled: dict[Path, object] = {}


def _saxon() -> object:
    global _processor
    if _processor is None:
        from saxonche import PySaxonProcessor

        _processor = PySaxonProcessor(license=False)
    return _processor


@dataclass(frozen=True, slots=True)
class RuleSet:
    """An official compiled Schematron: where it lives and which layer it feeds."""

    name: str  # e.g. "CEN EN 16931 UBL 1.3.x"
    path: Path
    layer: Layer
    # Rule ids of the artefact that are not part of this rule set (left out of the report).
    skip_prefixes: tuple[str, ...] = ()


def compiled(rule_set: RuleSet) -> object:
    """The compiled stylesheet for ``rule_set`` (compiled once per process)."""
    with _lock:
        executable = _compiled.get(rule_set.path)
        if executable is not None:
            return executable
        if not rule_set.path.is_file():
            raise RuleArtefactError(f"rule artefact not found: {rule_set.path}")
        processor = _saxon()
        xslt = processor.new_xslt30_processor()  # type: ignore[attr-defined]
        try:
            executable = xslt.compile_stylesheet(stylesheet_file=str(rule_set.path))
        except Exception as exc:  # saxonche raises PySaxonApiError
            raise RuleArtefactError(f"cannot compile {rule_set.path}: {exc}") from exc
        if executable is None:
            raise RuleArtefactError(f"cannot compile {rule_set.path}")
        _compiled[rule_set.path] = executable
        log.debug("compiled %s", rule_set.path)
        return executable


_FLAGS = {
    "fatal": Severity.ERROR,
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "warn": Severity.WARNING,
    "information": Severity.INFO,
    "info": Severity.INFO,
}


def run(rule_set: RuleSet, xml_text: str) -> list[Finding]:
    """Apply ``rule_set`` to the document; return its findings.

    Raises :class:`RuleArtefactError` when the rules could not run at all;
    the caller turns that into an error finding.
    """
    executable = compiled(rule_set)
    processor = _saxon()
    try:
        node = processor.parse_xml(xml_text=xml_text)  # type: ignore[attr-defined]
        svrl = executable.transform_to_string(xdm_node=node)  # type: ignore[attr-defined]
    except Exception as exc:
        raise RuleArtefactError(f"{rule_set.name} could not run: {exc}") from exc
    if not svrl:
        raise RuleArtefactError(f"{rule_set.name} produced no report")
    return parse_svrl(svrl, rule_set)


def parse_svrl(svrl: str, rule_set: RuleSet) -> list[Finding]:
    root = etree.fromstring(svrl.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False))
    findings: list[Finding] = []
    for element in root.iter(_FAILED, _REPORT):
        rule = element.get("id") or "SCHEMATRON"
        if rule.startswith(rule_set.skip_prefixes):
            continue
        # Asserts and reports count alike, with their flag; without a flag
        # (the Factur-X "not used in this context" reports) they are errors,
        # as in the official validators.
        flag = (element.get("flag") or "fatal").lower()
        severity = _FLAGS.get(flag, Severity.ERROR)
        text_el = element.find(_TEXT)
        official = " ".join((text_el.text or "").split()) if text_el is not None else ""
        findings.append(
            explained(rule, severity, rule_set.layer, official, element.get("location"))
        )
    return findings


_QUALIFIED_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]")


def readable_location(location: str) -> str:
    """``/*:Invoice[namespace-uri()='urn:...Invoice-2'][1]`` -> ``/ubl:Invoice[1]``."""
    from einvoice.formats.xmldoc import prefix_for

    def step(match: re.Match[str]) -> str:
        prefix = prefix_for(match.group(2))
        return f"{prefix}:{match.group(1)}" if prefix else match.group(1)

    return _QUALIFIED_STEP.sub(step, location)


def explained(
    rule: str, severity: Severity, layer: Layer, official: str, location: str | None
) -> Finding:
    """A finding with the project's plain-language explanation beside the official text."""
    from einvoice.domain.terms import terms_in
    from einvoice.formats.rule_texts import explain

    text = explain(rule)
    terms = (text.terms if text and text.terms else ()) or terms_in(official)
    if text is None:
        message_de = f"Regel {rule} verletzt. Offizieller Text: {official}"
        message_en = official
    else:
        message_de = text.de
        message_en = f"{text.en} Official text: {official}" if official else text.en
    return Finding(
        rule, severity, layer, message_de, message_en, readable_location(location or ""), terms
    )
