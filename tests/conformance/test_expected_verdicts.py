"""Every invoice in EXPECTED.tsv gets the official verdict and error-level rule ids."""

from __future__ import annotations

import csv

import pytest

import einvoice
from tests.conformance.expected import differences, load
from tests.helpers import CONFORMANCE, require_conformance


def _files() -> list[str]:
    path = CONFORMANCE / "EXPECTED.tsv"
    if not path.is_file():
        return ["(conformance material missing)"]
    with path.open(encoding="utf-8") as handle:
        return [row["file"] for row in csv.DictReader(handle, delimiter="\t")]


@pytest.fixture(scope="module")
def expectations() -> dict[str, object]:
    conformance = require_conformance()
    return {e.file: e for e in load(conformance)}


@pytest.mark.conformance
@pytest.mark.parametrize("file", _files())
def test_official_verdict(file: str, expectations: dict[str, object]) -> None:
    expectation = expectations[file]
    report = einvoice.validate((CONFORMANCE / file).read_bytes(), name=file)
    assert differences(expectation, report) == []  # type: ignore[arg-type]


@pytest.mark.conformance
def test_every_official_file_is_covered(expectations: dict[str, object]) -> None:
    assert len(expectations) >= 390
