"""The rule catalogue: every rule the validator can report, with its severity and text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lxml import etree

from einvoice.domain.findings import Layer, Scenario, Syntax
from einvoice.formats import artefacts, overrides
from einvoice.formats.schematron import SVRL

XSL = "http://www.w3.org/1999/XSL/Transform"
CEN_SCENARIOS = ("standard", "extension", "cvd", "en16931", "none")


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    rule: str
    severity: str
    layer: str
    scenarios: tuple[str, ...]
    syntaxes: tuple[str, ...]
    terms: tuple[str, ...]
    message_de: str
    message_en: str
    overrides: dict[str, str]  # scenario/syntax -> severity, from the KoSIT configuration


@cache
def _official_rules(syntax: Syntax) -> dict[str, str]:
    """Rule id -> severity, read from the official CEN XSLT for ``syntax``."""
    path = artefacts.cen_rules(syntax).path
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    found: dict[str, str] = {}
    for element in tree.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        values = {
            a.get("name"): (a.text or "").strip() for a in element.iter(f"{{{XSL}}}attribute")
        }
        rule = values.get("id") or element.get("id")
        flag = values.get("flag") or element.get("flag") or "fatal"
        if rule:
            found[rule] = {"fatal": "error", "warning": "warning"}.get(flag, "info")
    return found


def cen_entries() -> list[CatalogueEntry]:
    from einvoice.formats.rule_texts import explain

    entries: dict[str, CatalogueEntry] = {}
    for syntax in (Syntax.UBL_INVOICE, Syntax.CII):
        for rule, severity in _official_rules(syntax).items():
            text = explain(rule)
            changed = {
                f"{scenario.value}/{s.value}": table[rule].value
                for scenario in (
                    Scenario.XRECHNUNG,
                    Scenario.XRECHNUNG_EXTENSION,
                    Scenario.XRECHNUNG_CVD,
                )
                for s in (syntax,)
                if rule in (table := overrides.table(scenario, s))
            }
            syntaxes = ("ubl", "cii") if rule in entries else ("ubl" if syntax.is_ubl else "cii",)
            if rule in entries:
                changed = {**entries[rule].overrides, **changed}
            entries[rule] = CatalogueEntry(
                rule,
                severity,
                Layer.EN16931.value,
                CEN_SCENARIOS,
                syntaxes,
                text.terms if text else (),
                text.de if text else "",
                text.en if text else "",
                changed,
            )
    return sorted(entries.values(), key=lambda e: _sort_key(e.rule))


def national_entries() -> list[CatalogueEntry]:
    from einvoice.formats.national.engine import catalogue

    result = []
    for rule in catalogue():
        syntaxes = tuple(
            name for name, check in (("ubl", rule.ubl), ("cii", rule.cii)) if check is not None
        )
        changed = {}
        if rule.cii_severity is not None and rule.cii_severity != rule.severity:
            changed["cii"] = rule.cii_severity.value
        result.append(
            CatalogueEntry(
                rule.id,
                rule.severity.value,
                Layer.NATIONAL.value,
                tuple(sorted(s.value for s in rule.scenarios)),
                syntaxes,
                rule.terms,
                rule.message_de,
                rule.message_en,
                changed,
            )
        )
    return result


def entries(layer: str | None = None) -> list[CatalogueEntry]:
    chosen: list[CatalogueEntry] = []
    if layer in (None, Layer.NATIONAL.value):
        chosen += national_entries()
    if layer in (None, Layer.EN16931.value):
        chosen += cen_entries()
    return chosen


def _sort_key(rule: str) -> tuple[str, int, str]:
    head, _, tail = rule.rpartition("-")
    return (head, int(tail) if tail.isdigit() else 0, tail)
