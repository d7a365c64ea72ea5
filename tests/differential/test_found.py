"""Every disagreement the differential runs found, replayed: project and oracle now agree.

Each id is ``seed:index`` of a mutant (tests/differential/mutator.py) on which the
project once differed from the official configuration; ids without a version prefix
are of the first mutator (``Mutator(..., version=1)``), ``v2:seed:index`` of the
balanced one (issue 27).
"""

from __future__ import annotations

import pytest

from tests.differential.compare import Tally, compare
from tests.differential.mutator import Mutator
from tests.differential.oracle import Oracle
from tests.helpers import require_conformance

FOUND = {
    "1:53": "PEPPOL-EN16931-R120 (UBL) is a warning, not an error",
    "1:125": "PEPPOL-EN16931-R120 (UBL) is a warning, not an error",
    "1:106": "Factur-X 'not used in this context' reports without flag are errors",
    "1:74": "CII in XRechnung: D16B schema, not Factur-X EXTENDED (second tax registration)",
    "1:98": "CII in EN 16931: DateTimeString without @format is valid D16B",
    "2:240": "PEPPOL-EN16931-R054 with no invoice currency (empty $documentCurrencyCode)",
    "2:216": "PEPPOL-EN16931-R110 compares date strings as strings (whitespace)",
    "2:1250": "PEPPOL-EN16931-R111 compares date strings as strings ('2016-12-31')",
    "2026:814": "BR-DE-22: only file names of preceding sibling references count",
    "v2:16:599": "a CIUS BT-24 with a trailing tab still starts with 'urn:cen.eu:en16931:2017#'",
    "v2:27:6": "BR-DEX-07: a blank @schemeID passes the joined code list (double space)",
    "v2:27:552": "BR-TMP-CVD-01: a blank @listID passes the joined code list (double space)",
    "v2:27:261": "BR-DEX-04 (CII): a blank @schemeID passes the joined code list",
}


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle(require_conformance())


@pytest.mark.conformance
@pytest.mark.parametrize("mutant_id", sorted(FOUND))
def test_found_disagreement_is_fixed(mutant_id: str, oracle: Oracle) -> None:
    version = 2 if mutant_id.startswith("v2:") else 1
    seed, index = (int(part) for part in mutant_id.removeprefix("v2:").split(":"))
    mutant = Mutator(require_conformance(), seed, version).mutant(index)
    tally = Tally()
    compare(mutant, oracle, tally)
    assert tally.compared == 1, "the official run aborted: no longer a useful case"
    assert [d.describe() for d in tally.disagreements] == [], FOUND[mutant_id]
