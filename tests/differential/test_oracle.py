"""The oracle itself reproduces EXPECTED.tsv: verdict, error rules, scenario of every XML file."""

from __future__ import annotations

import csv

import pytest

from tests.differential.oracle import Oracle
from tests.helpers import require_conformance


@pytest.mark.conformance
@pytest.mark.slow
def test_oracle_gives_the_expected_official_results() -> None:
    conformance = require_conformance()
    oracle = Oracle(conformance)
    with (conformance / "EXPECTED.tsv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["file"].endswith(".xml")]
    assert len(rows) > 250
    wrong = []
    for row in rows:
        result = oracle.check((conformance / row["file"]).read_bytes())
        expected = (row["verdict"] == "valid", frozenset(row["error_rules"].split()))
        if (result.valid, result.errors) != expected or result.aborted:
            wrong.append(f"{row['file']}: {result}")
        elif row["verdict"] == "valid" and result.scenario != row["scenario"]:
            wrong.append(f"{row['file']}: scenario {result.scenario}")
    assert wrong == []
