"""Run the XRechnung national rules on a document.

The rule catalogue is the concatenation of the rule modules' ``RULES`` lists.
Rules are indexed once per (scenario, syntax), so a run only touches the
rules that apply. A check that raises is reported as ``NATIONAL-RULE-FAILED``
(an error naming the rule): a rule never passes silently.
"""

from __future__ import annotations

from collections.abc import Iterable

from einvoice.domain.findings import Finding, Layer, Scenario, Severity, Syntax
from einvoice.formats.national import rules_cvd, rules_de, rules_extension, rules_peppol
from einvoice.formats.national.model import (
    NATIONAL_SCENARIOS,
    STANDARD,
    Check,
    Doc,
    Hit,
    Rule,
)
from einvoice.formats.xmldoc import XmlDocument, location_of

RULE_FAILED = "NATIONAL-RULE-FAILED"

#: Every national rule, in catalogue order.
RULES: tuple[Rule, ...] = (
    *rules_de.RULES,
    *rules_cvd.RULES,
    *rules_extension.RULES,
    *rules_peppol.RULES,
)

_SYNTAXES = (Syntax.UBL_INVOICE, Syntax.UBL_CREDIT_NOTE, Syntax.CII)


def _index() -> dict[tuple[Scenario, Syntax], tuple[tuple[Rule, Check, Severity], ...]]:
    index: dict[tuple[Scenario, Syntax], tuple[tuple[Rule, Check, Severity], ...]] = {}
    for scenario in NATIONAL_SCENARIOS:
        for syntax in _SYNTAXES:
            entries: list[tuple[Rule, Check, Severity]] = []
            for rule in RULES:
                check = rule.check_for(syntax)
                if check is not None and scenario in rule.scenarios:
                    entries.append((rule, check, rule.severity_for(syntax)))
            index[(scenario, syntax)] = tuple(entries)
    return index


def _assert_unique_ids(rules: Iterable[Rule]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ValueError(f"duplicate national rule id {rule.id}")
        seen.add(rule.id)


_assert_unique_ids(RULES)
_BY_SCENARIO_AND_SYNTAX = _index()


def catalogue() -> list[Rule]:
    """All national rules, in order (for ``einvoice rules list``)."""
    return list(RULES)


def rule_by_id(rule_id: str) -> Rule | None:
    for rule in RULES:
        if rule.id == rule_id:
            return rule
    return None


def effective_scenario(scenario: Scenario | None) -> Scenario:
    """The national rule set to run: unknown/outdated BT-24 (NONE) runs as standard."""
    return scenario if scenario in NATIONAL_SCENARIOS else STANDARD


def run(doc: XmlDocument, scenario: Scenario) -> list[Finding]:
    """Run every national rule of ``scenario`` (NONE counts as standard) on ``doc``."""
    chosen = effective_scenario(scenario)
    entries = _BY_SCENARIO_AND_SYNTAX.get((chosen, doc.syntax), ())
    context = Doc(doc.root, doc.syntax, chosen)
    findings: list[Finding] = []
    for rule, check, severity in entries:
        try:
            offences = list(check(context))
        except Exception as exc:  # a broken check must never look like a pass
            findings.append(_failed(rule, exc))
            continue
        for offence in offences:
            findings.append(_finding(rule, severity, offence))
    return findings


def _finding(rule: Rule, severity: Severity, offence: object) -> Finding:
    message_de, message_en = rule.message_de, rule.message_en
    if isinstance(offence, Hit):
        element = offence.element
        if offence.detail_de:
            message_de = f"{message_de} {offence.detail_de}"
        if offence.detail_en:
            message_en = f"{message_en} {offence.detail_en}"
    else:
        element = offence
    return Finding(
        rule.id,
        severity,
        Layer.NATIONAL,
        message_de,
        message_en,
        location_of(element),
        rule.terms,
    )


def _failed(rule: Rule, exc: Exception) -> Finding:
    return Finding(
        RULE_FAILED,
        Severity.ERROR,
        Layer.NATIONAL,
        f"Die Regel {rule.id} konnte nicht geprüft werden ({type(exc).__name__}: {exc}). "
        "Das Ergebnis ist deshalb unvollständig; bitte melden Sie den Fehler.",
        f"Rule {rule.id} could not be checked ({type(exc).__name__}: {exc}). The result is "
        "therefore incomplete; please report the problem.",
        "",
        rule.terms,
    )
