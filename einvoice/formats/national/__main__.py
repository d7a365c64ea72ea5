"""Run the national rules over XML files and print the JSON contract.

Usage::

    python -m einvoice.formats.national DIR_OR_FILE...

Prints a JSON array with one object per ``*.xml`` file:
``{"file": path, "findings": [{"rule", "severity", "location", "message"}]}``
with the national findings only (German messages; ``--lang en`` for English).
Files that are not readable invoices get an empty findings list here: their
problems belong to the syntax layer, not to the national rules.

``--bench N`` instead runs the rules N times on every file and prints the
time per invoice (mean, median, maximum; parsing excluded) to stderr.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from einvoice.formats.detect import detect_xml
from einvoice.formats.national.engine import run
from einvoice.formats.scenario import choose


def xml_files(arguments: Iterable[str]) -> Iterator[Path]:
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.xml") if p.is_file())
        else:
            yield path


def report(path: Path, lang: str) -> dict[str, object]:
    detection = detect_xml(path.read_bytes())
    findings: list[dict[str, str]] = []
    if detection.doc is not None:
        scenario = choose(detection.doc).national_scenario
        if scenario is not None:
            for finding in run(detection.doc, scenario):
                findings.append(
                    {
                        "rule": finding.rule,
                        "severity": finding.severity.value,
                        "location": finding.location,
                        "message": finding.message(lang),
                    }
                )
    return {"file": str(path), "findings": findings}


def bench(paths: list[Path], repeat: int) -> str:
    """Time the national rules alone (documents parsed beforehand)."""
    prepared = []
    for path in paths:
        doc = detect_xml(path.read_bytes()).doc
        scenario = choose(doc).national_scenario if doc is not None else None
        if doc is not None and scenario is not None:
            prepared.append((doc, scenario))
    if not prepared:
        return "no invoices to time"
    for doc, scenario in prepared:  # warm-up
        run(doc, scenario)
    per_invoice: list[float] = []
    for doc, scenario in prepared:
        start = time.perf_counter()
        for _ in range(repeat):
            run(doc, scenario)
        per_invoice.append((time.perf_counter() - start) / repeat * 1000)
    return (
        f"national rules: {len(prepared)} invoices, mean {statistics.mean(per_invoice):.3f} ms, "
        f"median {statistics.median(per_invoice):.3f} ms, max {max(per_invoice):.3f} ms per invoice"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m einvoice.formats.national")
    parser.add_argument("paths", nargs="+", help="XML files or folders (searched for *.xml)")
    parser.add_argument("--lang", choices=("de", "en"), default="de")
    parser.add_argument("--bench", type=int, metavar="N", help="time N runs per file instead")
    args = parser.parse_args(argv)
    if args.bench:
        print(bench(list(xml_files(args.paths)), args.bench), file=sys.stderr)
        return 0
    reports = [report(path, args.lang) for path in xml_files(args.paths)]
    json.dump(reports, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
