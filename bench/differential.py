#!/usr/bin/env python3
"""Large differential run: project vs. the official configuration on seeded mutants.

    .venv/bin/python bench/differential.py                    # 6,000 mutants, seed 16
    .venv/bin/python bench/differential.py --count 20000 --seed 3 --jobs 2
    .venv/bin/python bench/differential.py --json

Mutates the valid invoices of ../shared/conformance (tests/differential/mutator.py),
validates each mutant with the project and with the oracle (Saxon over the
official XSLTs, the official schemas and scenario policy; tests/differential/oracle.py)
and prints the agreement of verdicts and of error-rule sets, the mutants the
official artefacts abort on (excluded, counted), and every disagreement.
Needs the test material in ../shared (the oracle is never used at run time).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CONFORMANCE = ROOT.parent / "shared" / "conformance"


def _batch(args: tuple[int, int, int]) -> dict[str, object]:
    from tests.differential.compare import run

    seed, start, count = args
    tally = run(CONFORMANCE, seed, count, start)
    return {
        "compared": tally.compared,
        "verdict_agree": tally.verdict_agree,
        "rules_agree": tally.rules_agree,
        "oracle_invalid": tally.oracle_invalid,
        "aborted": [(m.id, m.source, list(m.operations), why[:300]) for m, why in tally.aborted],
        "disagreements": [d.describe() for d in tally.disagreements],
        "verdict_disagreements": [
            d.describe() for d in tally.disagreements if d.project_valid != d.oracle_valid
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=6000, help="number of mutants")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--batch", type=int, default=250, help="mutants per batch")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    options = parser.parse_args()
    if not (CONFORMANCE / "EXPECTED.tsv").is_file():
        print(f"test material not found at {CONFORMANCE}", file=sys.stderr)
        return 2
    batches = [
        (options.seed, start, min(options.batch, options.count - start))
        for start in range(0, options.count, options.batch)
    ]
    started = time.perf_counter()
    totals: dict[str, list[str] | int] = {}
    progress = sys.stderr.isatty() and not options.json
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        for done, result in enumerate(pool.map(_batch, batches), 1):
            for key, value in result.items():
                if isinstance(value, list):
                    totals.setdefault(key, []).extend(value)  # type: ignore[union-attr]
                else:
                    totals[key] = int(totals.get(key, 0)) + int(value)  # type: ignore[arg-type]
            if progress:
                print(f"\r{done}/{len(batches)} batches", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    compared = int(totals.get("compared", 0))  # type: ignore[arg-type]
    summary = {
        "seed": options.seed,
        "mutants": options.count,
        "compared": compared,
        "aborted_by_official_artefacts": len(totals.get("aborted", [])),  # type: ignore[arg-type]
        "officially_invalid": totals.get("oracle_invalid", 0),
        "verdict_agreement": int(totals.get("verdict_agree", 0)) / compared if compared else 0,  # type: ignore[arg-type]
        "error_rule_set_agreement": int(totals.get("rules_agree", 0)) / compared if compared else 0,  # type: ignore[arg-type]
        "seconds": round(time.perf_counter() - started, 1),
        "disagreements": totals.get("disagreements", []),
        "aborted": totals.get("aborted", []),
    }
    if options.json:
        print(json.dumps(summary, indent=1, ensure_ascii=False))
    else:
        print(
            f"{options.count} mutants (seed {options.seed}): {compared} compared, "
            f"{summary['aborted_by_official_artefacts']} aborted by the official artefacts "
            f"(excluded), {summary['officially_invalid']} officially invalid\n"
            f"verdict agreement {summary['verdict_agreement']:.3%}, error-rule-set agreement "
            f"{summary['error_rule_set_agreement']:.3%}, {summary['seconds']} s"
        )
        for line in summary["disagreements"]:  # type: ignore[union-attr]
            print("  disagreement:", line)
    return 0 if summary["verdict_agreement"] == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
