"""Reports for machines (JSON) and for people (text, HTML; German by default)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from einvoice.domain.findings import LAYER_TITLES_DE, LAYER_TITLES_EN, Finding, Report, Severity

SEVERITY_DE = {Severity.ERROR: "Fehler", Severity.WARNING: "Warnung", Severity.INFO: "Hinweis"}
SEVERITY_EN = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def report_dict(report: Report, lang: str = "de") -> dict[str, Any]:
    return {
        "file": report.name,
        "valid": report.valid,
        "recommendation": report.recommendation.value,
        "syntax": report.syntax.value,
        "scenario": report.scenario.value,
        "profile": report.profile,
        "container": report.container,
        "findings": [finding_dict(f, lang) for f in report.findings],
    }


def finding_dict(finding: Finding, lang: str = "de") -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "layer": finding.layer.value,
        "message": finding.message(lang),
        "location": finding.location,
        "terms": list(finding.terms),
    }


def to_json(reports: Sequence[Report], lang: str = "de") -> str:
    return json.dumps([report_dict(r, lang) for r in reports], ensure_ascii=False, indent=2)


def term_labels(finding: Finding, lang: str) -> str:
    from einvoice.domain.terms import term_label

    return ", ".join(term_label(t, lang) for t in finding.terms)


def to_text(reports: Sequence[Report], lang: str = "de") -> str:
    de = lang != "en"
    titles = LAYER_TITLES_DE if de else LAYER_TITLES_EN
    severities = SEVERITY_DE if de else SEVERITY_EN
    lines: list[str] = []
    for report in reports:
        if report.valid:
            verdict = "ANGENOMMEN" if de else "ACCEPTED"
        else:
            verdict = "ABGELEHNT" if de else "REJECTED"
        lines.append(f"{report.name}: {verdict}")
        detail = [
            ("Syntax", report.syntax.value),
            ("Szenario" if de else "Scenario", report.scenario.value),
        ]
        if report.profile:
            detail.append(("Profil" if de else "Profile", report.profile))
        lines.append("  " + "; ".join(f"{k}: {v}" for k, v in detail))
        counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
        lines.append("  " + ", ".join(f"{counts[s]} {severities[s]}" for s in Severity))
        for layer, findings in report.by_layer().items():
            lines.append(f"  [{titles[layer]}]")
            for f in findings:
                lines.append(f"    {severities[f.severity].upper()} {f.rule}: {f.message(lang)}")
                if f.terms:
                    label = "Geschäftsbegriff" if de else "Business term"
                    lines.append(f"      {label}: {term_labels(f, lang)}")
                if f.location:
                    label = "Stelle" if de else "Location"
                    lines.append(f"      {label}: {f.location}")
        lines.append("")
    return "\n".join(lines)


def to_html(reports: Sequence[Report], lang: str = "de") -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("einvoice.formats", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    template = env.get_template("validation_report.html")
    de = lang != "en"
    return template.render(
        reports=reports,
        lang="de" if de else "en",
        layer_titles=LAYER_TITLES_DE if de else LAYER_TITLES_EN,
        severities=SEVERITY_DE if de else SEVERITY_EN,
        term_labels=lambda f: term_labels(f, lang),
    )


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who issues a supplier's report: the city and where to ask."""

    city: str  # "Stadt Musterstadt"
    contact: str | None  # the central invoice receipt's e-mail address
    portal: str | None = None  # the portal's address, for the next step


#: Findings that mean "this file is no e-invoice" (a plain PDF): the supplier gets an
#: explanation instead of the warnings about the PDF's e-invoice markers.
PLAIN_FILE_RULES = frozenset({"PDF-NO-XML"})


def to_supplier_html(report: Report, issuer: Issuer) -> str:
    """The report as a supplier reads it (printed to PDF for the portal): who issues it and
    whom to ask, the verdict and the next step, every finding in words with the business
    term's name and the rule id that stays one word - no XPath, no layer names."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from einvoice.formats.rule_titles import rule_title_de

    env = Environment(
        loader=PackageLoader("einvoice.formats", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    no_einvoice = any(f.rule in PLAIN_FILE_RULES for f in report.findings)
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    others = [] if no_einvoice else [f for f in report.findings if f.severity is not Severity.ERROR]
    return env.get_template("supplier_report.html").render(
        report=report,
        issuer=issuer,
        no_einvoice=no_einvoice,
        errors=errors,
        others=others,
        severities=SEVERITY_DE,
        term_labels=lambda f: term_labels(f, "de"),
        title_of=rule_title_de,
    )
