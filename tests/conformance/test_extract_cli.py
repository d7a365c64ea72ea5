"""``einvoice extract`` on official files: JSON and CSV output, errors per file, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CONFORMANCE, ROOT, require_conformance

# Runs the real command; importing the module registers it even before the
# package's command list names it.
RUNNER = "import einvoice.cli.extract; from einvoice.cli import main; main()"

UBL = "xrechnung-testsuite/business-cases/standard/01.01a-INVOICE_ubl.xml"
CII = "xrechnung-testsuite/business-cases/standard/01.01a-INVOICE_uncefact.xml"
PDF = "zugferd/ferd-2.4/Beispiele/3. EN16931/EN16931_Einfach/EN16931_Einfach_fx.pdf"
ZUGFERD_1 = "zugferd/factur-x-fixtures/xml/zugferd-basic.xml"


def extract_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUNNER, "extract", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def official(name: str) -> str:
    return str(CONFORMANCE / name)


@pytest.fixture(autouse=True)
def _material() -> None:
    require_conformance()


@pytest.mark.conformance
def test_json_for_one_file_is_one_semantic_object() -> None:
    result = extract_cli(official(UBL))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    assert data["BT-2"] == "2016-04-04"
    assert data["BG-4"]["BT-27"]
    assert data["BG-22"]["BT-112"]
    assert all("BT-126" in line and "BT-131" in line for line in data["BG-25"])


@pytest.mark.conformance
def test_json_for_several_files_is_an_array_in_file_order() -> None:
    result = extract_cli(official(UBL), official(PDF))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 2
    assert data[1]["BT-1"] == "471102"  # read from the PDF's embedded XML


@pytest.mark.conformance
def test_unreadable_file_gives_german_error_exit_1_and_the_others_still_print() -> None:
    result = extract_cli(official(ZUGFERD_1), official(CII))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Keine lesbare Rechnung" in result.stderr and "ZUGFeRD-1.0" in result.stderr
    data = json.loads(result.stdout)
    assert data[0] is None and data[1]["BT-1"]


@pytest.mark.conformance
def test_csv_has_one_row_per_line_item_with_header_terms() -> None:
    result = extract_cli("--format", "csv", official(UBL), official(CII))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header, body = rows[0], rows[1:]
    assert "BT-10 Leitweg-ID" in header and "BT-131 Nettobetrag" in header
    ubl_json = json.loads(extract_cli(official(UBL)).stdout)
    assert len(body) == 2 * len(ubl_json["BG-25"])
    invoice_number = header.index("BT-1 Rechnungsnummer")
    assert {row[invoice_number] for row in body} == {ubl_json["BT-1"]}


@pytest.mark.conformance
def test_missing_path_is_a_usage_error() -> None:
    result = extract_cli(str(Path(official(UBL)).with_name("gibt-es-nicht.xml")))
    assert result.returncode == 2
    assert "nicht gefunden" in result.stderr and "Traceback" not in result.stderr
