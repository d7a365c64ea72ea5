"""Compare `einvoice validate` with the official verdicts in EXPECTED.tsv."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from einvoice.domain.findings import Report, Severity

# The project's own ids for findings that are not official rules, mapped to
# the category names EXPECTED.tsv uses for them.
CATEGORIES = {
    "XSD": "XSD",
    "SCENARIO": "SCENARIO",
}
OFFICIAL_PREFIXES = ("BR-", "CII-", "UBL-", "PEPPOL-", "FX-")


def category(rule: str) -> str:
    if rule in CATEGORIES:
        return CATEGORIES[rule]
    if rule.startswith(OFFICIAL_PREFIXES):
        return rule
    if rule.startswith("SYNTAX-"):
        return "SYNTAX"
    if rule.startswith("PDF-"):
        return "PDF"
    return rule


@dataclass(frozen=True)
class Expectation:
    file: str
    valid: bool
    errors: frozenset[str]
    scenario: str


def load(conformance: Path) -> list[Expectation]:
    with (conformance / "EXPECTED.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Expectation(
            row["file"],
            row["verdict"] == "valid",
            frozenset(row["error_rules"].split()),
            row["scenario"],
        )
        for row in rows
    ]


def differences(expectation: Expectation, report: Report) -> list[str]:
    got = {category(f.rule) for f in report.findings if f.severity is Severity.ERROR}
    problems = []
    if report.valid != expectation.valid:
        problems.append(f"verdict {report.valid} != {expectation.valid}")
    if got != expectation.errors:
        missing = sorted(expectation.errors - got)
        extra = sorted(got - expectation.errors)
        problems.append(f"errors missing {missing} extra {extra}")
    scenario_known = expectation.valid or expectation.scenario != "none"
    if scenario_known and report.scenario.value != expectation.scenario:
        problems.append(f"scenario {report.scenario.value} != {expectation.scenario}")
    return problems


def json_differences(expectation: Expectation, entry: Mapping[str, Any]) -> list[str]:
    """Like :func:`differences`, for one object of ``einvoice validate --format json``."""
    got = {category(str(f["rule"])) for f in entry["findings"] if f["severity"] == "error"}
    problems = []
    if bool(entry["valid"]) != expectation.valid:
        problems.append(f"verdict {entry['valid']} != {expectation.valid}")
    if got != expectation.errors:
        missing = sorted(expectation.errors - got)
        extra = sorted(got - expectation.errors)
        problems.append(f"errors missing {missing} extra {extra}")
    scenario_known = expectation.valid or expectation.scenario != "none"
    if scenario_known and entry["scenario"] != expectation.scenario:
        problems.append(f"scenario {entry['scenario']} != {expectation.scenario}")
    return problems
