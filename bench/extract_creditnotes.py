#!/usr/bin/env python3
"""Extraction of the CEN credit-note unit fragments, compared with the official visualization.

    .venv/bin/python bench/extract_creditnotes.py            # summary
    .venv/bin/python bench/extract_creditnotes.py --verbose  # every difference

Reads every CEN credit-note unit fragment (``cen-unit/CreditNote-unit-UBL`` when
present in ../shared, otherwise the UBL Invoice unit fragments as CreditNotes;
tests/conformance/visualization_terms.py) with the tolerant reader
(``read_invoice``: nothing refused for a missing BT-1/BT-2) and compares every
(term, value) the official XRechnung visualization shows for it
(``ubl-creditnote-xr.xsl`` term paths) with the project's semantic JSON.
Prints fragments read, term agreement and the terms read beyond the
visualization. Needs ../shared; the visualization paths are test data.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CEN_UNIT = ROOT.parent / "shared" / "conformance" / "cen-unit"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every difference")
    options = parser.parse_args()
    if not CEN_UNIT.is_dir():
        print(f"test material not found at {CEN_UNIT}", file=sys.stderr)
        return 2
    from einvoice.formats.extract import read_invoice
    from einvoice.formats.semantic import to_semantic
    from tests.conformance.visualization_terms import Agreement, compare, credit_note_fragments

    tally = Agreement()
    incomplete = 0
    started = time.perf_counter()
    for name, data in credit_note_fragments(CEN_UNIT):
        try:
            invoice = read_invoice(data, name)
        except Exception as exc:  # counted as not read
            print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            compare(name, data, None, tally)
            continue
        incomplete += bool(invoice.missing_mandatory_terms)
        compare(name, data, to_semantic(invoice), tally)
    seconds = time.perf_counter() - started
    source = (
        "CreditNote-unit-UBL"
        if (CEN_UNIT / "CreditNote-unit-UBL").is_dir()
        else "Invoice-unit-UBL as CreditNotes (CreditNote-unit-UBL not in ../shared)"
    )
    print(
        f"{tally.fragments} credit-note fragments ({source}): {tally.read} read, "
        f"{incomplete} with missing mandatory terms named in the model\n"
        f"terms the official visualization shows: {tally.official}, read with the same value: "
        f"{tally.agreed} ({tally.rate:.2%}); read beyond the visualization: {tally.extra}; "
        f"{seconds:.1f} s"
    )
    for line in tally.differences if options.verbose else tally.differences[:10]:
        print("  " + line)
    return 0 if tally.read == tally.fragments else 1


if __name__ == "__main__":
    sys.exit(main())
