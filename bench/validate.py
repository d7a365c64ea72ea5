#!/usr/bin/env python3
"""Benchmark of ``einvoice.validate`` on one core (a single process, not a test).

    .venv/bin/python bench/validate.py            # full run (about a minute)
    .venv/bin/python bench/validate.py --quick    # short run
    .venv/bin/python bench/validate.py --json     # machine-readable output

Prints (a) the warm-up cost of the first call (compiling the stylesheets),
(b) invoices per second over the XRechnung test suite (UBL, CII, all),
(c) the time per validation layer on the same documents, and (d) the time
for generated invoices of 100, 1,000 and 5,000 lines and whether it grows
linearly with the number of lines. Files are read into memory first: no disk
I/O is timed. Standard library and the project only.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SUITE = ROOT.parent / "shared" / "conformance" / "xrechnung-testsuite"
SYNTHETIC_LINES = (100, 1_000, 5_000)
# Per-line time at the largest size may be this much above the smallest
# per-line time before the growth is called "faster than linear".
LINEAR_TOLERANCE = 1.5


def pin_to_one_core() -> int | None:
    """Run on one CPU (Linux); return its number, or None where not supported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def read_suite(folder: Path) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in sorted(folder.rglob("*.xml"))]


def group_by_syntax(files: list[tuple[str, bytes]]) -> dict[str, list[tuple[str, bytes]]]:
    """UBL and CII invoices (detected from the content), and all of them."""
    from einvoice.formats.detect import detect_xml

    groups: dict[str, list[tuple[str, bytes]]] = {"ubl": [], "cii": []}
    for name, data in files:
        doc = detect_xml(data).doc
        if doc is not None:
            groups["ubl" if doc.syntax.is_ubl else "cii"].append((name, data))
    groups["all"] = groups["ubl"] + groups["cii"]
    return groups


# --- (a) warm-up --------------------------------------------------------------


def time_import() -> float:
    """Importing the validation engine (must run before anything else imports it)."""
    started = time.perf_counter()
    import einvoice.formats.validation  # noqa: F401

    return time.perf_counter() - started


def warm_up(groups: dict[str, list[tuple[str, bytes]]]) -> dict[str, float]:
    """Time the first call per syntax (compiles its stylesheet, loads its schema).

    For comparison, a steady call: the median of five further calls on the same file.
    """
    import einvoice

    result: dict[str, float] = {}
    for syntax in ("ubl", "cii"):
        name, data = groups[syntax][0]
        started = time.perf_counter()
        einvoice.validate(data, name=name)
        result[f"first_{syntax}_s"] = time.perf_counter() - started
        steady = []
        for _ in range(5):
            started = time.perf_counter()
            einvoice.validate(data, name=name)
            steady.append(time.perf_counter() - started)
        result[f"steady_{syntax}_s"] = statistics.median(steady)
    return result


# --- (b) throughput -----------------------------------------------------------


def throughput(
    documents: list[tuple[str, bytes]], min_seconds: float, min_rounds: int
) -> dict[str, Any]:
    """Validate all documents in rounds until both minimums are reached."""
    import einvoice

    rates: list[float] = []
    accepted = 0
    total = 0.0
    gc.collect()
    while len(rates) < min_rounds or total < min_seconds:
        accepted = 0
        started = time.perf_counter()
        for name, data in documents:
            if einvoice.validate(data, name=name).valid:
                accepted += 1
        elapsed = time.perf_counter() - started
        total += elapsed
        rates.append(len(documents) / elapsed)
    return {
        "documents": len(documents),
        "accepted": accepted,
        "rounds": len(rates),
        "invoices_per_s_median": statistics.median(rates),
        "invoices_per_s_best": max(rates),
        "ms_per_invoice_median": 1000 / statistics.median(rates),
        "spread_pct": 100 * (max(rates) - min(rates)) / statistics.median(rates),
    }


# --- (c) per layer --------------------------------------------------------------


LAYERS = ("parse", "scenario", "xsd", "serialise", "cen", "national")


def layer_times(documents: list[tuple[str, bytes]], repeat: int) -> dict[str, float]:
    """Seconds per layer, summed over the documents, best of ``repeat`` rounds.

    The layers are called as ``einvoice.formats.validation`` calls them:
    safe parse + detection, scenario choice, XML Schema, serialising the tree
    for Saxon, the CEN Schematron (XSLT), the national rules.
    """
    from lxml import etree

    from einvoice.formats import artefacts, national, schematron
    from einvoice.formats.detect import detect_xml
    from einvoice.formats.scenario import choose
    from einvoice.formats.validation import check_schema

    best = dict.fromkeys(LAYERS, float("inf"))
    for _ in range(repeat):
        spent = dict.fromkeys(LAYERS, 0.0)
        for _name, data in documents:
            t0 = time.perf_counter()
            doc = detect_xml(data).doc
            t1 = time.perf_counter()
            assert doc is not None
            choice = choose(doc)
            t2 = time.perf_counter()
            check_schema(doc, choice.scenario)
            t3 = time.perf_counter()
            text = etree.tostring(doc.root, encoding="unicode")
            t4 = time.perf_counter()
            schematron.run(artefacts.cen_rules(doc.syntax), text)
            t5 = time.perf_counter()
            if choice.national_scenario is not None:
                national.check(doc, choice.national_scenario)
            t6 = time.perf_counter()
            for layer, seconds in zip(
                LAYERS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True
            ):
                spent[layer] += seconds
        for layer in LAYERS:
            best[layer] = min(best[layer], spent[layer])
    return best


# --- (d) synthetic large invoices -------------------------------------------------


def synthetic(repeat: int, with_layers: bool) -> list[dict[str, Any]]:
    import einvoice
    from einvoice.samplegen.cii import to_cii
    from einvoice.samplegen.spec import example
    from einvoice.samplegen.ubl import to_ubl

    writers: dict[str, Callable[..., bytes]] = {"ubl": to_ubl, "cii": to_cii}
    rows: list[dict[str, Any]] = []
    for syntax, write in writers.items():
        for lines in SYNTHETIC_LINES:
            data = write(example(n_lines=lines, seed=1))
            times = []
            verdict = ""
            for _ in range(repeat):
                gc.collect()
                started = time.perf_counter()
                report = einvoice.validate(data, name=f"synthetic-{lines}.xml")
                times.append(time.perf_counter() - started)
                verdict = report.recommendation.value
            seconds = min(times)
            row: dict[str, Any] = {
                "syntax": syntax,
                "lines": lines,
                "bytes": len(data),
                "seconds": seconds,
                "ms_per_line": 1000 * seconds / lines,
                "recommendation": verdict,
            }
            if with_layers:
                row["layers_s"] = layer_times([(f"synthetic-{lines}.xml", data)], 1)
            rows.append(row)
    return rows


def linearity(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per syntax: per-line time at the largest size relative to the 1,000-line one."""
    verdicts: dict[str, dict[str, Any]] = {}
    for syntax in ("ubl", "cii"):
        mine = {r["lines"]: r for r in rows if r["syntax"] == syntax}
        largest, middle = mine[SYNTHETIC_LINES[-1]], mine[SYNTHETIC_LINES[1]]
        ratio = largest["ms_per_line"] / middle["ms_per_line"]
        verdicts[syntax] = {
            "per_line_ratio_5000_vs_1000": ratio,
            "linear": ratio <= LINEAR_TOLERANCE,
        }
    return verdicts


# --- output -------------------------------------------------------------------


def report_text(result: dict[str, Any]) -> str:
    out: list[str] = []
    env = result["environment"]
    out.append(
        f"einvoice validation benchmark - Python {env['python']}, {env['machine']}, "
        f"pinned to CPU {env['cpu']}, {'quick' if env['quick'] else 'full'} run"
    )
    w = result["warm_up"]
    out.append("\n(a) warm-up (first call compiles the stylesheets, loads the schemas)")
    out.append(f"  import the validation engine    {w['import_s'] * 1000:8.1f} ms")
    for syntax in ("ubl", "cii"):
        out.append(
            f"  first {syntax.upper()} validation        {w[f'first_{syntax}_s'] * 1000:8.1f} ms"
            f"   (then steady: {w[f'steady_{syntax}_s'] * 1000:.1f} ms)"
        )
    out.append(f"\n(b) throughput over {result['suite']} (one core)")
    out.append("  group  files accepted rounds   inv/s median   inv/s best   ms/inv  spread")
    for group, t in result["throughput"].items():
        out.append(
            f"  {group:<5} {t['documents']:6d} {t['accepted']:8d} {t['rounds']:6d} "
            f"{t['invoices_per_s_median']:14.1f} {t['invoices_per_s_best']:12.1f} "
            f"{t['ms_per_invoice_median']:8.2f} {t['spread_pct']:6.1f}%"
        )
    out.append("\n(c) time per layer, ms per invoice (best round, same suite documents)")
    out.append("  group  " + "".join(f"{layer:>11}" for layer in LAYERS) + "      total")
    for group, layers in result["layers_ms_per_invoice"].items():
        total = sum(layers.values())
        out.append(
            f"  {group:<5}  " + "".join(f"{layers[x]:11.2f}" for x in LAYERS) + f"{total:11.2f}"
        )
    out.append("\n(d) generated invoices (samplegen.example), best of the runs")
    out.append("  syntax  lines      bytes   seconds  ms/line  verdict   layers (s)")
    for row in result["synthetic"]:
        layers = row.get("layers_s")
        layer_text = (
            " ".join(f"{name}={layers[name]:.2f}" for name in LAYERS if layers[name] >= 0.005)
            if layers
            else ""
        )
        out.append(
            f"  {row['syntax']:<6} {row['lines']:6d} {row['bytes']:10d} {row['seconds']:9.3f} "
            f"{row['ms_per_line']:8.3f}  {row['recommendation']:<8}  {layer_text}"
        )
    for syntax, verdict in result["linearity"].items():
        ratio = verdict["per_line_ratio_5000_vs_1000"]
        growth = "linear" if verdict["linear"] else "FASTER THAN LINEAR"
        out.append(
            f"  {syntax.upper()}: time per line at 5,000 lines = {ratio:.2f} x that at 1,000 "
            f"lines -> {growth}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="short run (less stable figures)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE, help="folder of XML invoices")
    args = parser.parse_args(argv)
    if not args.suite.is_dir():
        print(f"test suite not found: {args.suite}", file=sys.stderr)
        return 2
    cpu = pin_to_one_core()
    files = read_suite(args.suite)
    import_seconds = time_import()
    groups = group_by_syntax(files)
    if not groups["ubl"] or not groups["cii"]:
        print(f"no UBL or no CII invoices in {args.suite}", file=sys.stderr)
        return 2
    min_seconds, min_rounds, layer_repeat, synth_repeat = (
        (1.0, 2, 1, 1) if args.quick else (8.0, 5, 3, 3)
    )
    result: dict[str, Any] = {
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpu": cpu,
            "quick": args.quick,
        },
        "suite": str(args.suite),
        "warm_up": {"import_s": import_seconds, **warm_up(groups)},
    }
    result["throughput"] = {
        group: throughput(documents, min_seconds, min_rounds) for group, documents in groups.items()
    }
    result["layers_ms_per_invoice"] = {
        group: {
            layer: 1000 * seconds / len(documents)
            for layer, seconds in layer_times(documents, layer_repeat).items()
        }
        for group, documents in groups.items()
        if group != "all"
    }
    result["synthetic"] = synthetic(synth_repeat, with_layers=True)
    result["linearity"] = linearity(result["synthetic"])
    print(json.dumps(result, indent=2) if args.json else report_text(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
