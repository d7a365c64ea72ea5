"""Differential test: mutants of the valid official invoices, project vs. official oracle.

A seeded mutator (``mutator.py``) changes the valid invoices of
``../shared/conformance``; each mutant is validated by the project and by the
oracle (``oracle.py``: Saxon over the official XSLTs, the official schemas,
the official scenario policy). Verdicts must agree on every mutant, the sets
of error-level rule ids on at least 99 %. Mutants on which an official
artefact aborts (a Saxon dynamic error, e.g. a cast of a duplicated element
to a single number) have no official verdict: they are excluded and counted.

``EINVOICE_DIFFERENTIAL_MUTANTS`` sets the number (default 2,000, a few
minutes); ``bench/differential.py`` runs larger batches.
"""

from __future__ import annotations

import os

import pytest

from tests.differential.compare import run
from tests.differential.mutator import OPERATORS, Mutator
from tests.helpers import require_conformance

SEED = 16
COUNT = int(os.environ.get("EINVOICE_DIFFERENTIAL_MUTANTS", "2000"))


@pytest.mark.conformance
@pytest.mark.slow
def test_project_agrees_with_the_official_configuration_on_mutants() -> None:
    conformance = require_conformance()
    tally = run(conformance, SEED, COUNT)
    report = "\n".join(d.describe() for d in tally.disagreements)
    print(
        f"\n{COUNT} mutants: {tally.compared} compared, {len(tally.aborted)} aborted by the "
        f"official artefacts, {tally.oracle_invalid} officially invalid; verdicts "
        f"{tally.verdict_rate:.2%}, error-rule sets {tally.rules_rate:.2%}\n{report}"
    )
    assert tally.compared >= 0.8 * COUNT  # the oracle really ran on most of them
    assert tally.oracle_invalid >= 0.3 * tally.compared  # the mutants really bite
    assert [d for d in tally.disagreements if d.project_valid != d.oracle_valid] == [], report
    assert tally.rules_rate >= 0.99, report
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
    other_seed = [m.data for m in Mutator(conformance, SEED + 1).mutants(60)]
    assert other_seed != [m.data for m in first]
