"""Routing every valid invoice of the KoSIT XRechnung test suite with samples/routing.toml.

The expectation table below was written by hand from the BT-10/BT-13/BT-29 values of the
test suite and the rules of the sample configuration (the UBL and CII twin of each case
must land in the same queue). ``None`` as rule means: no rule matched, central queue.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from einvoice.domain.leitweg import LeitwegProblemKind
from einvoice.domain.routing import RoutingConfig, facts_from_invoice, route
from einvoice.formats.extract import extract
from einvoice.routing_config import load_routing_config
from tests.helpers import CONFORMANCE, ROOT, require_conformance

SUITE = "xrechnung-testsuite/"
CENTRAL = "rechnungseingang"
IT_ORDER = ("amt-12", "it-bestellsystem")  # BT-13 65002278 matches 65[0-9]{6}
FEDERAL = (CENTRAL, "bund-falsch-adressiert")  # valid federal Leitweg-ID (99...)
FALLBACK = (CENTRAL, None)


def own(dept: str, leitweg_id: str) -> tuple[str, str]:
    return dept, f"{dept}:leitweg-id:{leitweg_id}"


# case (path below the suite, without _ubl.xml / _uncefact.xml) -> (department, rule)
EXPECTED: dict[str, tuple[str, str | None]] = {
    # the city's own Leitweg-IDs (coarse address 04011000)
    "business-cases/standard/01.01a-INVOICE": own("amt-10", "04011000-12345-03"),
    "business-cases/standard/01.02a-INVOICE": own("amt-20", "04011000-12346-97"),
    "business-cases/standard/01.03a-INVOICE": own("amt-12", "04011000-12347-94"),
    "business-cases/standard/01.04a-INVOICE": own("amt-40", "04011000-12348-91"),
    "business-cases/standard/01.08a-INVOICE": own("amt-50", "04011000-12349-88"),
    "business-cases/standard/01.09a-INVOICE": own("amt-51", "04011000-12350-85"),
    "business-cases/standard/01.10a-INVOICE": own("amt-51", "04011000-12350-85"),
    "business-cases/standard/01.11a-INVOICE": own("amt-63", "04011000-12352-79"),
    "business-cases/standard/01.12a-INVOICE": own("amt-66", "04011000-12353-76"),
    "business-cases/standard/01.13a-INVOICE": own("amt-67", "04011000-12354-73"),
    "business-cases/standard/01.17a-INVOICE": own("amt-10", "04011000-12345-03"),
    "business-cases/standard/01.21a-INVOICE": own("amt-50", "04011000-12349-88"),
    # 05.01a: 04011000-12345-34 has wrong check digits (03 is right): central queue
    "business-cases/extension/05.01a-INVOICE": FALLBACK,
    # BT-10 90000000-03083-72 (no Land 90) but BT-13 65002278 from the IT order system
    "business-cases/standard/01.14a-INVOICE": IT_ORDER,
    "business-cases/standard/02.01a-INVOICE": IT_ORDER,
    "business-cases/standard/02.02a-INVOICE": IT_ORDER,
    "business-cases/standard/02.03a-INVOICE": IT_ORDER,
    "business-cases/standard/02.04a-INVOICE": IT_ORDER,
    "business-cases/standard/03.07a-INVOICE": IT_ORDER,
    "technical-cases/cius/01.01_comprehensive_test": IT_ORDER,
    "technical-cases/cius/01.02_comprehensive_test": IT_ORDER,
    "technical-cases/cius/01.03_comprehensive_test": IT_ORDER,
    "technical-cases/cius/01.04_comprehensive_test": IT_ORDER,
    "technical-cases/cvd/02.01a-cvd_INVOICE": IT_ORDER,
    # 90000000-03083-72 without order reference: central queue
    "business-cases/standard/02.05a-INVOICE": FALLBACK,
    "business-cases/standard/02.06a-INVOICE": FALLBACK,
    "business-cases/standard/03.01a-INVOICE": FALLBACK,
    "business-cases/standard/03.04a-INVOICE": FALLBACK,
    "business-cases/standard/03.05a-INVOICE": FALLBACK,
    "technical-cases/cius/01.05_minimal_test": FALLBACK,
    "technical-cases/cius/01.06_minimal_test": FALLBACK,
    # federal Leitweg-IDs: valid ones by the prefix rule, wrong check digits to the fallback
    "business-cases/standard/01.05a-INVOICE": FEDERAL,  # 99000000-18188-18
    "business-cases/standard/01.18a-INVOICE": FEDERAL,
    "business-cases/standard/01.19a-INVOICE": FEDERAL,
    "business-cases/extension/04.04a-INVOICE": FEDERAL,  # 992-90009-96
    "business-cases/standard/01.06a-INVOICE": FALLBACK,  # 99000000-01944-98, right: 56
    "business-cases/standard/01.07a-INVOICE": FALLBACK,  # 99000000-05676-98, right: 15
    # seller identifier 116078 (energy supplier) with a federal test Leitweg-ID
    "business-cases/standard/03.06a-INVOICE": ("amt-65", "versorger-lieferantennummer"),
    # other authorities' valid Leitweg-IDs, and ids that are no Leitweg-IDs at all
    "business-cases/standard/01.15a-INVOICE": FALLBACK,  # 11002002-98765-14 (Berlin)
    "business-cases/standard/03.02a-INVOICE": FALLBACK,
    "business-cases/standard/03.03a-INVOICE": FALLBACK,
    "business-cases/extension/04.01a-INVOICE": FALLBACK,  # 12345678-12345-83 (Brandenburg)
    "business-cases/extension/04.02a-INVOICE": FALLBACK,
    "business-cases/extension/04.03a-INVOICE": FALLBACK,
    "business-cases/standard/01.20a-INVOICE": FALLBACK,  # 1234567890-54321-40: 10 digits
    "business-cases/extension/04.05a-INVOICE": FALLBACK,  # BT-10 "Leitweg-ID"
}

# why the Leitweg-ID of a fallback case is not usable (None: valid, but nobody's)
FALLBACK_PROBLEMS: dict[str, LeitwegProblemKind | None] = {
    "05.01a-INVOICE": LeitwegProblemKind.CHECK_DIGITS,
    "01.06a-INVOICE": LeitwegProblemKind.CHECK_DIGITS,
    "01.07a-INVOICE": LeitwegProblemKind.CHECK_DIGITS,
    "01.15a-INVOICE": None,
    "04.01a-INVOICE": None,
    "01.20a-INVOICE": LeitwegProblemKind.COARSE_ADDRESS,
    "04.05a-INVOICE": LeitwegProblemKind.COARSE_ADDRESS,
    "02.05a-INVOICE": LeitwegProblemKind.LAND_CODE,
}


def case_of(file: str) -> str:
    return re.sub(r"_(ubl|uncefact)\.xml$", "", file.removeprefix(SUITE))


def valid_suite_files() -> list[str]:
    path = CONFORMANCE / "EXPECTED.tsv"
    if not path.is_file():
        return ["(conformance material missing)"]
    with path.open(encoding="utf-8") as handle:
        return [
            row["file"]
            for row in csv.DictReader(handle, delimiter="\t")
            if row["file"].startswith(SUITE) and row["verdict"] == "valid"
        ]


@pytest.fixture(scope="module")
def config() -> RoutingConfig:
    return load_routing_config(ROOT / "samples" / "routing.toml")


@pytest.mark.conformance
@pytest.mark.parametrize("file", valid_suite_files())
def test_suite_invoice_lands_in_the_expected_queue(file: str, config: RoutingConfig) -> None:
    conformance = require_conformance()
    invoice = extract((conformance / file).read_bytes(), file)
    decision = route(facts_from_invoice(invoice), config)
    case = case_of(file)
    assert case in EXPECTED, f"{file}: no expectation written (BT-10 {invoice.buyer_reference})"
    assert (decision.department, decision.rule) == EXPECTED[case], decision.reason_de
    assert decision.fallback is (decision.rule is None)
    assert decision.reason_de
    short = case.rsplit("/", 1)[-1]
    if short in FALLBACK_PROBLEMS:
        problem = decision.leitweg_problem
        assert (problem.kind if problem else None) is FALLBACK_PROBLEMS[short]


@pytest.mark.conformance
def test_expectation_table_matches_the_suite() -> None:
    require_conformance()
    cases = {case_of(f) for f in valid_suite_files()}
    assert cases == set(EXPECTED), cases ^ set(EXPECTED)
    assert len(valid_suite_files()) >= 80


@pytest.mark.parametrize(
    ("sample", "department"),
    [
        ("xrechnung-ubl.xml", "amt-10"),
        ("xrechnung-cii.xml", "amt-10"),
        ("zugferd-en16931.pdf", "amt-10"),
        ("invalid/ubl-ohne-leitweg-id.xml", CENTRAL),
        ("invalid/cii-ohne-leitweg-id.xml", CENTRAL),
    ],
)
def test_shipped_samples_route(sample: str, department: str, config: RoutingConfig) -> None:
    path = Path(ROOT / "samples" / sample)
    decision = route(facts_from_invoice(extract(path.read_bytes(), sample)), config)
    assert decision.department == department, decision.reason_de
    if department == CENTRAL:
        assert decision.fallback and "Leitweg-ID fehlt" in decision.reason_de
    else:
        assert decision.rule == "amt-10:leitweg-id:04011000-1234512345-06"
