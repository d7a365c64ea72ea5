#!/usr/bin/env python3
"""Large differential run: project vs. the official configuration on seeded mutants.

    .venv/bin/python bench/differential.py                    # 6,000 mutants, seed 16
    .venv/bin/python bench/differential.py --count 20000 --seed 3 --jobs 2
    .venv/bin/python bench/differential.py --json

Mutates the valid invoices of ../shared/conformance (tests/differential/mutator.py),
balanced across the scenarios standard, extension, CVD, CII and UBL CreditNote,
validates each mutant with the project and with the oracle (Saxon over the
official XSLTs, the official schemas and scenario policy; tests/differential/oracle.py)
and prints the agreement of verdicts and of error-rule sets (overall and per scenario), the
mutants the
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
    import logging

    from tests.differential.compare import run

    # A layer that aborts is logged with its traceback; here it is counted instead.
    logging.getLogger("einvoice.formats.validation").setLevel(logging.CRITICAL)

    seed, start, count = args
    tally = run(CONFORMANCE, seed, count, start)
    return {
        "by_scenario": {name: vars(t) for name, t in tally.by_scenario.items()},
        "compared": tally.compared,
        "verdict_agree": tally.verdict_agree,
        "rules_agree": tally.rules_agree,
        "oracle_invalid": tally.oracle_invalid,
        "aborted_explained": tally.aborted_explained,
        "aborted": [(m.id, m.source, list(m.operations), why[:300]) for m, why in tally.aborted],
        "aborted_but_accepted": [m.id for m in tally.aborted_accepted],
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
    counts = {
        "compared": 0,
        "verdict_agree": 0,
        "rules_agree": 0,
        "oracle_invalid": 0,
        "aborted_explained": 0,
    }
    lists: dict[str, list[object]] = {
        "aborted": [],
        "aborted_but_accepted": [],
        "disagreements": [],
        "verdict_disagreements": [],
    }
    from tests.differential.compare import ScenarioTally
    from tests.differential.mutator import SCENARIOS

    scenarios = {name: ScenarioTally() for name in SCENARIOS}
    progress = sys.stderr.isatty() and not options.json
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        for done, result in enumerate(pool.map(_batch, batches), 1):
            for key, value in result.items():
                if key == "by_scenario" and isinstance(value, dict):
                    for name, figures in value.items():
                        scenarios.setdefault(name, ScenarioTally()).add(ScenarioTally(**figures))
                elif isinstance(value, list):
                    lists[key].extend(value)
                elif isinstance(value, int):
                    counts[key] += value
            if progress:
                print(f"\r{done}/{len(batches)} batches", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    compared = counts["compared"]
    summary: dict[str, object] = {
        "seed": options.seed,
        "mutants": options.count,
        "compared": compared,
        "aborted_by_official_artefacts": len(lists["aborted"]),
        "aborted_but_accepted_by_project": lists["aborted_but_accepted"],
        "officially_invalid": counts["oracle_invalid"],
        "aborted_with_element_named": counts["aborted_explained"],
        "verdict_agreement": counts["verdict_agree"] / compared if compared else 0.0,
        "error_rule_set_agreement": counts["rules_agree"] / compared if compared else 0.0,
        "seconds": round(time.perf_counter() - started, 1),
        "by_scenario": {
            name: {
                **vars(t),
                "verdict_agreement": t.verdict_rate,
                "error_rule_set_agreement": t.rules_rate,
            }
            for name, t in scenarios.items()
        },
        "disagreements": lists["disagreements"],
        "aborted": lists["aborted"],
    }
    if options.json:
        print(json.dumps(summary, indent=1, ensure_ascii=False))
    else:
        print(
            f"{options.count} mutants (seed {options.seed}): {compared} compared, "
            f"{len(lists['aborted'])} aborted by the official artefacts (excluded; accepted "
            f"by the project anyway: {len(lists['aborted_but_accepted'])}), "
            f"{counts['oracle_invalid']} officially invalid; the report names the element "
            f"behind {counts['aborted_explained']} of the {len(lists['aborted'])} aborts\n"
            f"verdict agreement {summary['verdict_agreement']:.3%}, error-rule-set agreement "
            f"{summary['error_rule_set_agreement']:.3%}, {summary['seconds']} s"
        )
        for name, t in scenarios.items():
            print("  " + t.line(name))
        for line in lists["disagreements"]:
            print("  disagreement:", line)
    agree = compared and counts["verdict_agree"] == compared
    return 0 if agree and not lists["aborted_but_accepted"] else 1


if __name__ == "__main__":
    sys.exit(main())
