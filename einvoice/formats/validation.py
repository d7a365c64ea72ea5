"""The validation engine: bytes in, a :class:`Report` with a verdict out.

Layers run in order - input limits, PDF container, XML syntax, scenario,
XML Schema, EN 16931 rules or Factur-X profile rules, XRechnung national
rules - and every layer runs on every well-formed document, also when an
earlier one failed, so a supplier sees all errors at once. A layer that
cannot run reports an error finding of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from einvoice.domain.findings import Finding, Layer, Report, Scenario, Severity, Syntax
from einvoice.errors import RuleArtefactError
from einvoice.formats import (
    abort_cause,
    artefacts,
    cii_schema,
    figures,
    overrides,
    pdf,
    price_charges,
    schematron,
    xsd,
)
from einvoice.formats.detect import Container, container_of, detect_xml
from einvoice.formats.extract import invoice_from_document
from einvoice.formats.safexml import DEFAULT_MAX_BYTES, syntax_error
from einvoice.formats.scenario import ScenarioChoice, choose
from einvoice.formats.xmldoc import XmlDocument

log = logging.getLogger(__name__)

NOT_INVOICE_PROFILES = ("MINIMUM", "BASIC WL")


@dataclass(frozen=True, slots=True)
class ValidationPolicy:
    """The city's settings for what is acceptable."""

    max_bytes: int = DEFAULT_MAX_BYTES
    # MINIMUM and BASIC WL carry no line items and are not invoices under
    # EN 16931. As data they validate; whether the city accepts them is policy.
    reject_profiles: tuple[str, ...] = ()


DEFAULT_POLICY = ValidationPolicy()


def validate(data: bytes, name: str = "", policy: ValidationPolicy = DEFAULT_POLICY) -> Report:
    report = Report(name=name)
    if len(data) > policy.max_bytes:
        report.add([too_large(len(data), policy.max_bytes)])
        return report
    container = container_of(data)
    xml = data
    extraction: pdf.PdfExtraction | None = None
    if container is Container.PDF:
        report.container = "pdf"
        extraction = pdf.extract(data)
        report.add(extraction.findings)
        if extraction.xml is None:
            return report
        xml = extraction.xml
    elif container is Container.OTHER:
        report.add([_not_xml(data)])
        return report
    detection = detect_xml(xml)
    report.add(detection.findings)
    if detection.doc is None:
        return report
    doc = detection.doc
    report.syntax = doc.syntax
    report.add(_encoding_findings(doc))
    choice = choose(doc)
    report.scenario = choice.scenario
    report.profile = choice.profile or choice.specification_id
    if choice.scenario is Scenario.NONE:
        report.add([_no_scenario(choice)])
    if extraction is not None and extraction.xmp_level is not None:
        report.add(_xmp_agreement(extraction.xmp_level, choice))
    report.add(overrides.apply(_rule_layers(doc, choice), choice.scenario, doc.syntax))
    report.add(_policy(choice, policy))
    return report


def _rule_layers(doc: XmlDocument, choice: ScenarioChoice) -> list[Finding]:
    findings: list[Finding] = []
    scenario = choice.scenario
    findings += _guarded(Layer.SCHEMA, "XML Schema", lambda: check_schema(doc, scenario))
    xml_text: str | None = None

    def text() -> str:
        nonlocal xml_text
        if xml_text is None:
            xml_text = etree.tostring(doc.root, encoding="unicode")
        return xml_text

    # finding the rule set is part of the guarded layer: a missing package is LAYER-FAILED
    if scenario.is_facturx_profile:
        findings += _guarded(
            Layer.PROFILE,
            f"Factur-X {scenario.value}",
            lambda: schematron.run(artefacts.profile_rules(scenario), text()),
            doc.root,
        )
    else:
        name = artefacts.CEN_UBL if doc.syntax.is_ubl else artefacts.CEN_CII
        findings += _guarded(
            Layer.EN16931,
            name,
            lambda: schematron.run(artefacts.cen_rules(doc.syntax), text()),
            doc.root,
        )
    national = choice.national_scenario
    if national is not None:
        from einvoice.formats import national as national_rules

        findings += _guarded(
            Layer.NATIONAL, "XRechnung", lambda: national_rules.check(doc, national)
        )
    findings += price_charges.findings(doc)
    return figures.with_figures(findings, lambda: invoice_from_document(doc))


def check_schema(doc: XmlDocument, scenario: Scenario) -> list[Finding]:
    if doc.syntax is Syntax.CII and not scenario.is_facturx_profile:
        # XRechnung, plain EN 16931 and unknown BT-24: the official UN/CEFACT D16B schema.
        return xsd.check(doc.root, cii_schema.schema(), cii_schema.MAIN)
    return xsd.validate(doc.root, artefacts.xsd_path(doc.syntax, scenario))


def _guarded(
    layer: Layer,
    name: str,
    run: Callable[[], list[Finding]],
    root: etree._Element | None = None,
) -> list[Finding]:
    """Run one layer; if it cannot run, that is an error finding - never a pass.

    When an official artefact aborts on the document (a duplicated, empty or malformed
    element), the technical ``LAYER-FAILED`` finding is followed by findings that name
    the element in German (:mod:`einvoice.formats.abort_cause`).
    """
    try:
        return run()
    except Exception as exc:
        if isinstance(exc, RuleArtefactError):  # an installation problem: say it, no traceback
            log.error("validation layer %s failed: %s", name, exc)
        else:
            log.exception("validation layer %s failed", name)
        causes = _abort_causes(root, layer, name, exc)
        return [
            Finding(
                "LAYER-FAILED",
                Severity.ERROR,
                layer,
                f"Die Prüfschicht '{name}' konnte nicht ausgeführt werden ({exc}). Die "
                "Rechnung gilt deshalb als nicht geprüft und wird abgelehnt.",
                f"The validation layer '{name}' could not run ({exc}). The invoice is "
                "therefore unchecked and rejected.",
            ),
            *causes,
        ]


def _abort_causes(
    root: etree._Element | None, layer: Layer, name: str, exc: Exception
) -> list[Finding]:
    """What in the document made the official artefact abort (never raises)."""
    if root is None:
        return []
    try:
        return abort_cause.explain(root, layer, name, str(exc))
    except Exception:  # the explanation is an extra; LAYER-FAILED already rejects
        log.exception("no explanation for the failed layer %s", name)
        return []


def too_large(size: int, limit: int) -> Finding:
    return Finding(
        "INPUT-TOO-LARGE",
        Severity.ERROR,
        Layer.INPUT,
        f"Die Datei ist zu groß ({_mb(size)}); erlaubt sind höchstens {_mb(limit)}.",
        f"The file is too large ({_mb(size)}); at most {_mb(limit)} are allowed.",
    )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _not_xml(data: bytes) -> Finding:
    if not data.strip():
        return syntax_error("SYNTAX-EMPTY", "Die Datei ist leer.", "The file is empty.")
    return syntax_error(
        "SYNTAX-NOT-XML",
        "Die Datei ist weder ein XML-Dokument noch eine PDF-Datei. Erwartet wird eine "
        "XRechnung (XML) oder eine ZUGFeRD/Factur-X-PDF.",
        "The file is neither an XML document nor a PDF. Expected an XRechnung (XML) or a "
        "ZUGFeRD/Factur-X PDF.",
    )


def _encoding_findings(doc: XmlDocument) -> list[Finding]:
    declared = doc.root.getroottree().docinfo.encoding or "UTF-8"
    if declared.replace("-", "").replace("_", "").upper() in ("UTF8", ""):
        return []
    return [
        syntax_error(
            "SYNTAX-ENCODING",
            f"Das Dokument ist als '{declared}' kodiert. E-Rechnungen müssen UTF-8 kodiert "
            "sein; bitte als UTF-8 speichern und senden.",
            f"The document is encoded as '{declared}'. E-invoices must be encoded in UTF-8.",
            "/",
        )
    ]


def _no_scenario(choice: ScenarioChoice) -> Finding:
    return Finding(
        "SCENARIO",
        Severity.ERROR,
        Layer.SCENARIO,
        choice.reason_de + " Die Rechnung wurde trotzdem gegen XRechnung 3.0 geprüft.",
        choice.reason_en + " The invoice was still checked against XRechnung 3.0.",
        "BT-24",
        ("BT-24",),
    )


def _xmp_agreement(xmp_level: str, choice: ScenarioChoice) -> list[Finding]:
    if pdf.profile_matches(xmp_level, choice.profile, choice.specification_id):
        return []
    return [
        Finding(
            "PDF-XMP-PROFILE",
            Severity.WARNING,
            Layer.CONTAINER,
            f"Das Profil in den XMP-Metadaten der PDF ({xmp_level}) passt nicht zur "
            f"Spezifikationskennung BT-24 der Rechnung ('{choice.specification_id}').",
            f"The profile in the PDF's XMP metadata ({xmp_level}) does not match the "
            f"invoice's specification identifier BT-24 ('{choice.specification_id}').",
            "XMP fx:ConformanceLevel",
            ("BT-24",),
        )
    ]


def _policy(choice: ScenarioChoice, policy: ValidationPolicy) -> list[Finding]:
    if choice.profile not in NOT_INVOICE_PROFILES:
        return []
    rejected = choice.profile in policy.reject_profiles
    return [
        Finding(
            "POLICY-PROFILE",
            Severity.ERROR if rejected else Severity.WARNING,
            Layer.SCENARIO,
            f"Das Profil {choice.profile} enthält keine Rechnungspositionen und ist keine "
            "Rechnung im Sinne der EN 16931"
            + (
                "; die Stadt nimmt es nicht an. Bitte mindestens Profil EN16931 senden."
                if rejected
                else "."
            ),
            f"The profile {choice.profile} carries no invoice lines and is not an invoice "
            "under EN 16931"
            + ("; the city does not accept it. Send at least EN16931." if rejected else "."),
            "BT-24",
            ("BT-24",),
        )
    ]
