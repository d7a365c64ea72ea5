"""Differential test: mutants of the valid official invoices, project vs. official oracle.

A seeded mutator (``mutator.py``) changes the valid invoices of
``../shared/conformance``, balanced across the scenarios standard, extension,
CVD, CII and UBL CreditNote (a fifth of the mutants each), with scheme/list
attributes emptied and changed among the operators; each mutant is validated
by the project and by the oracle (``oracle.py``: Saxon over the official XSLTs,
the official schemas, the official scenario policy). Verdicts must agree on
every mutant, the sets of error-level rule ids on at least 99.5 % in every
scenario. Mutants on which an official artefact aborts (a Saxon dynamic error,
e.g. a cast of a duplicated element to a single number) have no official
verdict: they are excluded and counted, and the project must reject them.

``EINVOICE_DIFFERENTIAL_MUTANTS`` sets the number (default 2,500: 500 per
scenario, a few minutes); ``bench/differential.py`` runs larger batches.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.differential.compare import run
from tests.differential.mutator import OPERATORS, SCENARIOS, Mutator
from tests.helpers import require_conformance

SEED = 16
COUNT = int(os.environ.get("EINVOICE_DIFFERENTIAL_MUTANTS", "2500"))


@pytest.mark.conformance
@pytest.mark.slow
def test_project_agrees_with_the_official_configuration_on_mutants() -> None:
    conformance = require_conformance()
    started = time.perf_counter()
    tally = run(conformance, SEED, COUNT)
    seconds = time.perf_counter() - started
    report = "\n".join(d.describe() for d in tally.disagreements)
    per_scenario = "\n".join(
        tally.by_scenario[name].line(name) for name in SCENARIOS if name in tally.by_scenario
    )
    print(
        f"\n{COUNT} mutants in {seconds:.0f} s: {tally.compared} compared, "
        f"{len(tally.aborted)} aborted by the official artefacts, {tally.oracle_invalid} "
        f"officially invalid; verdicts {tally.verdict_rate:.2%}, error-rule sets "
        f"{tally.rules_rate:.2%}\n{per_scenario}\n{report}"
    )
    assert tally.compared >= 0.8 * COUNT  # the oracle really ran on most of them
    assert tally.oracle_invalid >= 0.3 * tally.compared  # the mutants really bite
    assert [d for d in tally.disagreements if d.project_valid != d.oracle_valid] == [], report
    assert tally.rules_rate >= 0.995, report
    for name in SCENARIOS:  # balanced: every scenario has its share, and agrees
        scenario = tally.by_scenario[name]
        assert scenario.mutants >= COUNT // len(SCENARIOS), per_scenario
        assert scenario.verdict_rate == 1.0, per_scenario
        assert scenario.rules_rate >= 0.995, per_scenario + "\n" + report
    assert [m.id for m in tally.aborted_accepted] == []


@pytest.mark.conformance
def test_mutants_are_reproducible_and_changed() -> None:
    conformance = require_conformance()
    first = [m for m in Mutator(conformance, SEED).mutants(60)]
    again = [m for m in Mutator(conformance, SEED).mutants(60)]
    assert [m.data for m in first] == [m.data for m in again]
    assert all(m.operations for m in first)
    assert all(m.data != (conformance / m.source).read_bytes() for m in first)
    used = {op.split()[0] for m in first for op in m.operations}
    assert len(used) >= len(OPERATORS) // 2
    assert [m.scenario for m in first[:5]] == list(SCENARIOS)  # balanced round robin
    other_seed = [m.data for m in Mutator(conformance, SEED + 1).mutants(60)]
    assert other_seed != [m.data for m in first]


@pytest.mark.conformance
def test_the_mutator_reaches_the_scheme_and_list_corners() -> None:
    """Issue 27: empty and changed @schemeID/@listID in the extension and CVD invoices."""
    conformance = require_conformance()
    mutants = list(Mutator(conformance, SEED).mutants(500))
    corners = [
        m
        for m in mutants
        if m.scenario in ("extension", "cvd")
        and any(op.startswith(("empty_attribute", "scheme")) for op in m.operations)
    ]
    emptied = [m for m in corners if any("ID=''" in op or "ID=' '" in op for op in m.operations)]
    assert len(corners) >= 30 and len(emptied) >= 5, len(corners)
