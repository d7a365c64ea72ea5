"""Creditor import and matching: a creditor file of 5,000 creditors, then the sellers of the
86 invoices of the XRechnung test suite matched against it.

Usage: .venv/bin/python bench/creditors.py [--count 5000]

The creditor file holds the sample suppliers, one creditor per distinct seller of the test
suite - written as a finance system would (VAT id with spaces, lower case; for every third
seller only the tax number or registration; for every seventh only name and post code) - and
synthetic creditors up to ``--count``. Prints the import time and how each invoice matched.
The official material is read from ../shared/conformance (never copied).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from einvoice import bootstrap, config  # noqa: E402
from einvoice.formats.extract import extract  # noqa: E402
from einvoice.samplegen.creditors import creditor_file, sample_creditors  # noqa: E402
from einvoice.services.creditor_import import import_csv  # noqa: E402
from einvoice.services.creditor_records import CreditorInput  # noqa: E402
from einvoice.services.holds import match_seller  # noqa: E402
from einvoice.storage import db  # noqa: E402

SUITE = ROOT.parent / "shared" / "conformance" / "xrechnung-testsuite"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    files = sorted(SUITE.rglob("*.xml"))
    invoices = []
    for file in files:
        try:
            invoices.append((file, extract(file.read_bytes(), file.name)))
        except Exception as exc:  # reported, never silently skipped
            print(f"nicht lesbar: {file.name}: {exc}")
    sellers: dict[str, CreditorInput] = {}
    for _, inv in invoices:
        s = inv.seller
        key = (s.vat_identifier or s.tax_registration_identifier or s.name or "").strip()
        if not key or key in sellers:
            continue
        n = len(sellers) + 1
        address = s.address
        vat = s.vat_identifier
        style = "name" if n % 7 == 0 else "other" if n % 3 == 0 else "vat"
        sellers[key] = CreditorInput(
            number=f"K-9{n:04d}",
            name=s.name or f"Lieferant {n}",
            post_code=address.post_code if address else None,
            city=address.city if address else None,
            vat_ids=(" ".join(vat.lower()),) if vat and style == "vat" else (),
            tax_number=s.tax_registration_identifier if style != "name" else None,
            registration=(
                s.legal_registration.value if s.legal_registration and style != "name" else None
            ),
        )
    extra = (*sample_creditors(), *sellers.values())
    data = creditor_file(args.count, extra=extra)
    with tempfile.TemporaryDirectory() as folder:
        settings = config.load({"EINVOICE_DATA_DIR": folder, "EINVOICE_BROKER_URL": "stub"})
        db.upgrade(settings.database_url)
        container = bootstrap.build(settings)
        started = time.perf_counter()
        result = import_csv(
            container.pipeline, data, "bench", verified_how="bench", verified_by="bench2"
        )
        took = time.perf_counter() - started
        print(
            f"Import: {result.lines} Zeilen, {result.created} neu, {len(result.problems)} "
            f"fehlerhaft in {took:.1f} s ({result.lines / took:.0f} Kreditoren/s)"
        )
        counts: collections.Counter[str] = collections.Counter()
        started = time.perf_counter()
        with container.sessions() as session:
            for _, inv in invoices:
                found, _ = match_seller(session, inv)
                label = "kein Kreditor" if found is None else found.matched_by.value
                if found is not None and found.proposal:
                    label += " (Vorschlag)"
                counts[label] += 1
        took = time.perf_counter() - started
        print(f"Abgleich: {len(invoices)} Rechnungen der Testsuite in {took * 1000:.0f} ms")
        for label, n in counts.most_common():
            print(f"  {label}: {n}")


if __name__ == "__main__":
    main()
