"""Validation results as data: findings, layers, scenarios and the report.

A finding is never an exception: every layer turns what it sees into
``Finding`` values, and a layer that could not run reports that as an error
finding of its own (never a silent pass).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Layer(StrEnum):
    """The validation layers, in the order they run."""

    INPUT = "input"  # size limits, reading the bytes
    CONTAINER = "container"  # PDF: embedded XML, attachment relationship, XMP
    SYNTAX = "syntax"  # well-formedness, DTD/entity refusal, document type
    SCENARIO = "scenario"  # which rule set applies (BT-24)
    SCHEMA = "schema"  # XML Schema
    EN16931 = "en16931"  # CEN EN 16931 business rules (official XSLT)
    PROFILE = "profile"  # Factur-X / ZUGFeRD profile rules (official XSLT)
    NATIONAL = "national"  # XRechnung national rules (BR-DE, Peppol, ...)


LAYER_TITLES_DE: dict[Layer, str] = {
    Layer.INPUT: "Eingang",
    Layer.CONTAINER: "PDF-Container",
    Layer.SYNTAX: "XML-Syntax",
    Layer.SCENARIO: "Prüfszenario",
    Layer.SCHEMA: "XML-Schema",
    Layer.EN16931: "EN 16931 Geschäftsregeln",
    Layer.PROFILE: "Factur-X/ZUGFeRD-Profilregeln",
    Layer.NATIONAL: "XRechnung nationale Regeln",
}

LAYER_TITLES_EN: dict[Layer, str] = {
    Layer.INPUT: "Input",
    Layer.CONTAINER: "PDF container",
    Layer.SYNTAX: "XML syntax",
    Layer.SCENARIO: "Scenario",
    Layer.SCHEMA: "XML Schema",
    Layer.EN16931: "EN 16931 business rules",
    Layer.PROFILE: "Factur-X/ZUGFeRD profile rules",
    Layer.NATIONAL: "XRechnung national rules",
}


class Syntax(StrEnum):
    UBL_INVOICE = "ubl-invoice"
    UBL_CREDIT_NOTE = "ubl-creditnote"
    CII = "cii"
    UNKNOWN = "unknown"

    @property
    def is_ubl(self) -> bool:
        return self in (Syntax.UBL_INVOICE, Syntax.UBL_CREDIT_NOTE)


class Scenario(StrEnum):
    """Rule sets chosen by the specification identifier BT-24 and the syntax."""

    XRECHNUNG = "standard"
    XRECHNUNG_EXTENSION = "extension"
    XRECHNUNG_CVD = "cvd"
    EN16931 = "en16931"
    FACTURX_MINIMUM = "factur-x-minimum"
    FACTURX_BASICWL = "factur-x-basicwl"
    FACTURX_BASIC = "factur-x-basic"
    FACTURX_EXTENDED = "factur-x-extended"
    NONE = "none"

    @property
    def is_xrechnung(self) -> bool:
        return self in (
            Scenario.XRECHNUNG,
            Scenario.XRECHNUNG_EXTENSION,
            Scenario.XRECHNUNG_CVD,
        )

    @property
    def is_facturx_profile(self) -> bool:
        return self.value.startswith("factur-x-")


class Recommendation(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of one rule on one place of the document."""

    rule: str  # official rule id (BR-CO-10, BR-DE-15, ...) or the project's own
    severity: Severity
    layer: Layer
    message_de: str
    message_en: str
    location: str = ""  # XPath of the offending element, or PDF object / byte offset
    terms: tuple[str, ...] = ()  # EN 16931 business terms concerned (BT-10, BG-4)

    def message(self, lang: str = "de") -> str:
        return self.message_en if lang == "en" else self.message_de

    def with_severity(self, severity: Severity) -> Finding:
        return Finding(
            self.rule,
            severity,
            self.layer,
            self.message_de,
            self.message_en,
            self.location,
            self.terms,
        )


@dataclass(slots=True)
class Report:
    """The verdict on one file: findings of every layer and a recommendation."""

    name: str
    syntax: Syntax = Syntax.UNKNOWN
    scenario: Scenario = Scenario.NONE
    profile: str | None = None  # BT-24 as written, or the Factur-X profile name
    container: str = "xml"  # "xml" or "pdf"
    findings: list[Finding] = field(default_factory=list)
    rejected_by_policy: list[str] = field(default_factory=list)

    def add(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def recommendation(self) -> Recommendation:
        return Recommendation.ACCEPT if self.valid else Recommendation.REJECT

    def by_layer(self) -> dict[Layer, list[Finding]]:
        grouped: dict[Layer, list[Finding]] = {}
        for layer in Layer:
            hits = [f for f in self.findings if f.layer is layer]
            if hits:
                grouped[layer] = hits
        return grouped
