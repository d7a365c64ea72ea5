"""Validate mutants with the project and with the oracle; count the agreement."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from einvoice.domain.findings import Severity
from einvoice.formats.validation import validate
from tests.conformance.expected import category
from tests.differential.mutator import Mutant, Mutator
from tests.differential.oracle import Oracle


@dataclass
class Disagreement:
    mutant: Mutant
    project_valid: bool
    oracle_valid: bool
    missing: frozenset[str]  # error rules the oracle reports and the project does not
    extra: frozenset[str]  # error rules the project reports and the oracle does not

    def describe(self) -> str:
        return (
            f"{self.mutant.id} {self.mutant.source} {'; '.join(self.mutant.operations)}: "
            f"verdict project={self.project_valid} oracle={self.oracle_valid}, "
            f"missing {sorted(self.missing)}, extra {sorted(self.extra)}"
        )


@dataclass
class ScenarioTally:
    """The agreement on the mutants of one scenario (see mutator.SCENARIOS)."""

    mutants: int = 0
    compared: int = 0
    verdict_agree: int = 0
    rules_agree: int = 0
    aborted: int = 0

    @property
    def verdict_rate(self) -> float:
        return self.verdict_agree / self.compared if self.compared else 0.0

    @property
    def rules_rate(self) -> float:
        return self.rules_agree / self.compared if self.compared else 0.0

    def add(self, other: ScenarioTally) -> None:
        self.mutants += other.mutants
        self.compared += other.compared
        self.verdict_agree += other.verdict_agree
        self.rules_agree += other.rules_agree
        self.aborted += other.aborted

    def line(self, name: str) -> str:
        return (
            f"{name:<11} {self.mutants:>6} mutants, {self.compared:>6} compared, "
            f"{self.aborted:>5} aborted; verdicts {self.verdict_rate:.2%}, "
            f"error-rule sets {self.rules_rate:.2%}"
        )


@dataclass
class Tally:
    by_scenario: dict[str, ScenarioTally] = field(default_factory=dict)
    compared: int = 0
    verdict_agree: int = 0
    rules_agree: int = 0
    aborted: list[tuple[Mutant, str]] = field(default_factory=list)
    # Aborted official runs that the project nevertheless accepts (should be none:
    # the official validator cannot accept a document its rules abort on).
    aborted_accepted: list[Mutant] = field(default_factory=list)
    # Aborted official runs where the project's report names the duplicated, empty or
    # malformed element (INPUT-* findings beside LAYER-FAILED; issue 27).
    aborted_explained: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    oracle_invalid: int = 0

    @property
    def verdict_rate(self) -> float:
        return self.verdict_agree / self.compared if self.compared else 0.0

    @property
    def rules_rate(self) -> float:
        return self.rules_agree / self.compared if self.compared else 0.0

    def rule_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for d in self.disagreements:
            for rule in d.missing:
                counts[f"missing {rule}"] += 1
            for rule in d.extra:
                counts[f"extra {rule}"] += 1
        return counts


def project_errors(data: bytes) -> tuple[bool, frozenset[str]]:
    report = validate(data)
    return report.valid, frozenset(
        category(f.rule) for f in report.findings if f.severity is Severity.ERROR
    )


def compare(mutant: Mutant, oracle: Oracle, tally: Tally) -> None:
    scenario = tally.by_scenario.setdefault(mutant.scenario, ScenarioTally())
    scenario.mutants += 1
    official = oracle.check(mutant.data)
    if official.aborted:
        scenario.aborted += 1
        tally.aborted.append((mutant, official.aborted))
        report = validate(mutant.data)
        if report.valid:
            tally.aborted_accepted.append(mutant)
        tally.aborted_explained += any(f.rule.startswith("INPUT-") for f in report.findings)
        return
    valid, errors = project_errors(mutant.data)
    tally.compared += 1
    scenario.compared += 1
    tally.oracle_invalid += not official.valid
    same_verdict = valid == official.valid
    same_rules = errors == official.errors
    tally.verdict_agree += same_verdict
    tally.rules_agree += same_rules
    scenario.verdict_agree += same_verdict
    scenario.rules_agree += same_rules
    if not (same_verdict and same_rules):
        tally.disagreements.append(
            Disagreement(
                mutant,
                valid,
                official.valid,
                official.errors - errors,
                errors - official.errors,
            )
        )


def run(conformance: Path, seed: int, count: int, start: int = 0) -> Tally:
    mutator = Mutator(conformance, seed)
    oracle = Oracle(conformance)
    tally = Tally()
    for mutant in mutator.mutants(count, start):
        compare(mutant, oracle, tally)
    return tally
