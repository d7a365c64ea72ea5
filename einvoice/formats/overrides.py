"""Severity overrides of the official KoSIT validator configuration.

The XRechnung scenarios lower or raise some CEN severities; plain EN 16931
and the Factur-X profiles run without overrides.
"""

from __future__ import annotations

from einvoice.domain.findings import Finding, Scenario, Severity, Syntax

W, INFO, E = Severity.WARNING, Severity.INFO, Severity.ERROR

_CII_SR_RAISED = {"CII-SR-452": E, "CII-SR-453": E, "CII-SR-454": E}

STANDARD: dict[Syntax, dict[str, Severity]] = {
    Syntax.UBL_INVOICE: {"BR-CL-21": W, "BR-CL-23": W, "UBL-CR-646": E},
    Syntax.UBL_CREDIT_NOTE: {"BR-CL-21": W, "BR-CL-23": W},
    Syntax.CII: {"BR-CL-21": W, "BR-CL-23": W, **_CII_SR_RAISED},
}

_EXTENSION_CODE_LISTS = {
    "BR-CL-10": INFO,
    "BR-CL-11": INFO,
    "BR-CL-21": INFO,
    "BR-CL-24": INFO,
    "BR-CL-25": INFO,
    "BR-CL-26": INFO,
    "BR-CL-23": W,
}

EXTENSION: dict[Syntax, dict[str, Severity]] = {
    Syntax.UBL_INVOICE: {
        **_EXTENSION_CODE_LISTS,
        "BR-CO-16": INFO,
        "UBL-CR-470": INFO,
        "UBL-CR-646": INFO,
    },
    # The official configuration has no extension scenario for UBL credit notes;
    # the project applies the invoice's list, which concerns the same elements.
    Syntax.UBL_CREDIT_NOTE: {**_EXTENSION_CODE_LISTS, "BR-CO-16": INFO, "UBL-CR-470": INFO},
    Syntax.CII: {**_EXTENSION_CODE_LISTS, **_CII_SR_RAISED},
}

CVD: dict[Syntax, dict[str, Severity]] = {
    syntax: {**table, "BR-CL-13": INFO} for syntax, table in STANDARD.items()
}
# The official CVD credit-note scenario also raises UBL-CR-646 (as for invoices).
CVD[Syntax.UBL_CREDIT_NOTE]["UBL-CR-646"] = E


def table(scenario: Scenario, syntax: Syntax) -> dict[str, Severity]:
    if scenario is Scenario.XRECHNUNG_EXTENSION:
        return EXTENSION.get(syntax, {})
    if scenario is Scenario.XRECHNUNG_CVD:
        return CVD.get(syntax, {})
    if scenario in (Scenario.XRECHNUNG, Scenario.NONE):
        return STANDARD.get(syntax, {})
    return {}


def apply(findings: list[Finding], scenario: Scenario, syntax: Syntax) -> list[Finding]:
    overrides = table(scenario, syntax)
    if not overrides:
        return findings
    return [f.with_severity(overrides[f.rule]) if f.rule in overrides else f for f in findings]
