"""Extraction cost: bytes -> Invoice model (parse + model), one core.

Usage: .venv/bin/python bench/extract.py [--seconds 3]

Prints
* invoices/s over the XRechnung test suite's standard business cases (UBL
  and CII, read into memory first; no disk I/O is timed), split into XML
  parsing and model building;
* the time for invoices with 100, 1,000 and 5,000 lines (built in memory by
  repeating the first line of a test-suite invoice) and the time per line,
  which must stay flat (linear cost).

The official material is read from ../shared/conformance (never copied).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from einvoice.formats.detect import detect_xml  # noqa: E402
from einvoice.formats.extract import extract, invoice_from_document  # noqa: E402
from einvoice.formats.namespaces import CAC, CBC, CII_RAM, CII_RSM  # noqa: E402

SUITE = ROOT.parent / "shared" / "conformance" / "xrechnung-testsuite"
STANDARD = SUITE / "business-cases" / "standard"
TEMPLATES = {
    "UBL": STANDARD / "01.01a-INVOICE_ubl.xml",
    "CII": STANDARD / "01.01a-INVOICE_uncefact.xml",
}
T = TypeVar("T")
LINE_COUNTS = (100, 1_000, 5_000)
TARGET_PER_SECOND = 500


def _rate(items: Sequence[T], work: Callable[[T], object], seconds: float) -> float:
    """Items processed per second, running over ``items`` again and again."""
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for item in items:
            work(item)
        done += len(items)
    return done / (time.perf_counter() - start)


def _with_lines(template: Path, count: int) -> bytes:
    """The template invoice with its first line repeated ``count`` times."""
    root = etree.fromstring(template.read_bytes())
    if etree.QName(root).namespace == CII_RSM:
        parent = root.find(f"{{{CII_RSM}}}SupplyChainTradeTransaction")
        tag = f"{{{CII_RAM}}}IncludedSupplyChainTradeLineItem"
        id_path = f"{{{CII_RAM}}}AssociatedDocumentLineDocument/{{{CII_RAM}}}LineID"
    else:
        parent = root
        tag = f"{{{CAC}}}InvoiceLine"
        id_path = f"{{{CBC}}}ID"
    assert parent is not None
    lines = parent.findall(tag)
    first = lines[0]
    position = list(parent).index(first)
    for line in lines:
        parent.remove(line)
    for number in range(count, 0, -1):
        clone = copy.deepcopy(first)
        line_id = clone.find(id_path)
        if line_id is not None:
            line_id.text = str(number)
        parent.insert(position, clone)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


def _time_once(data: bytes, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        invoice = extract(data)
        timings.append(time.perf_counter() - start)
        assert invoice.lines
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per throughput run")
    args = parser.parse_args()
    if not STANDARD.is_dir():
        print(f"Testmaterial fehlt: {STANDARD}", file=sys.stderr)
        return 2

    documents = [p.read_bytes() for p in sorted(STANDARD.glob("*.xml"))]
    parsed = [doc for doc in (detect_xml(d).doc for d in documents) if doc is not None]
    kb = sum(len(d) for d in documents) / len(documents) / 1024
    print(f"Standard invoices: {len(documents)} files (UBL + CII), mean {kb:.1f} KiB")
    extract_rate = _rate(documents, extract, args.seconds)
    parse_rate = _rate(documents, detect_xml, args.seconds / 2)
    model_rate = _rate(parsed, invoice_from_document, args.seconds / 2)
    verdict = "ok" if extract_rate >= TARGET_PER_SECOND else "BELOW TARGET"
    print(
        f"  parse + model: {extract_rate:8.0f} invoices/s  (target >= {TARGET_PER_SECOND}: "
        f"{verdict})"
    )
    print(f"  parse only:    {parse_rate:8.0f} invoices/s")
    print(f"  model only:    {model_rate:8.0f} invoices/s")

    for syntax, template in TEMPLATES.items():
        print(f"Large invoices ({syntax}, first line of {template.name} repeated):")
        per_line = []
        for count in LINE_COUNTS:
            data = _with_lines(template, count)
            seconds = _time_once(data, repeats=5 if count < 5_000 else 3)
            per_line.append(seconds / count)
            print(
                f"  {count:6,d} lines: {seconds * 1000:8.1f} ms  "
                f"({seconds / count * 1e6:6.1f} µs/line, {len(data) / 1024 / 1024:5.1f} MiB)"
            )
        growth = per_line[-1] / per_line[0]
        print(f"  per-line cost 5,000 vs 100 lines: x{growth:.2f} (1.0 = linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
