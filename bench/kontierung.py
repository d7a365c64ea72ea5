"""Kontierung in PostgreSQL: chart of accounts import and suggestions with a big history.

1. A chart of accounts of ``--chart`` Buchungsstellen (the generated city year's own
   plus synthetic ones; every fourth with verfügbare Mittel for the year) is written as
   the finance system's CSV and imported through ``chart_import.import_chart`` (one
   transaction). Target: 20,000 in < 10 s.
2. ``--history`` ordered invoices with their Kontierung (``tests/integration/
   kontierung_year.py``) are bulk-inserted into the suggestions' history
   (``kontierung_history``, ``kontierung_terms``) as the service writes them; then
   ``--queries`` invoices of that year get their suggestions the way the invoice page
   computes them (history of the creditor and of the BT-10 from the database, the
   word hits, the chart for what the Amt may use, the scoring). Target: p95 < 50 ms
   with 100,000 invoices of history.

    python bench/kontierung.py [--history 100000] [--chart 20000] [--queries 500]

A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration import kontierung_year  # noqa: E402
from tests.integration.cityyear import OFFICES  # noqa: E402
from tests.integration.services import postgres_database  # noqa: E402


def chart_file(count: int) -> bytes:
    rows = [
        "produkt;sachkonto;kostenstelle;auftrag;bezeichnung;gueltig_ab;gueltig_bis;aemter;bga;haushaltsjahr;verfuegbare_mittel"
    ]
    for key, produkt, konto, stelle, name in kontierung_year.chart():
        auftrag = key.split("/")[3] if key.count("/") == 3 else ""
        office = f"amt-{produkt[:2]}"
        rows.append(f"{produkt};{konto};{stelle};{auftrag};{name};01.01.2020;;{office};nein;;")
    offices = list(OFFICES)
    n = 0
    while len(rows) <= count:
        n += 1
        office = offices[n % len(offices)]
        produkt = f"{n % 97:02d}.{n % 7}.{n % 13:02d}.{n % 31:02d}"
        funds = ";2026;" + f"{(n * 37) % 900_000},00" if n % 4 == 0 else ";;"
        rows.append(
            f"{produkt};5{n % 900:03d}000;{1000 + n % 5000};A-{n};Synthetische Buchungsstelle {n};"
            f"01.01.2024;31.12.2030;{office};{'ja' if n % 9 == 0 else 'nein'}{funds}"
        )
    return ("\n".join(rows) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--chart", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()

    from sqlalchemy import insert, text

    from einvoice import bootstrap, config
    from einvoice.domain import kontierung_suggest as s
    from einvoice.services.chart_import import import_chart
    from einvoice.services.kontierung_store import chart_of
    from einvoice.services.kontierung_suggestions import history_for
    from einvoice.storage import db
    from einvoice.storage.kontierung_tables import KontierungHistoryRow, KontierungTermRow

    with postgres_database() as url, tempfile.TemporaryDirectory() as folder:
        db.upgrade(url)
        settings = config.load(
            {
                "EINVOICE_DATA_DIR": folder,
                "EINVOICE_DATABASE_URL": url,
                "EINVOICE_BROKER_URL": "stub",
            }
        )
        container = bootstrap.build(settings)
        data = chart_file(args.chart)
        started = time.perf_counter()
        result = import_chart(container.pipeline, data, "kontenplan.csv", "bench")
        took = time.perf_counter() - started
        print(
            f"Kontenplan: {result.lines} Zeilen ({result.created} Buchungsstellen, {result.funds} "
            f"mit verfügbaren Mitteln, {len(data) / 1e6:.1f} MB) in {took:.2f} s "
            f"({result.lines / took:.0f} Zeilen/s; Ziel < 10 s)"
        )

        started = time.perf_counter()
        year = kontierung_year.generate(seed=7, invoices=args.history, creditors=3_000)
        hits: dict[tuple[str, str], int] = defaultdict(int)
        rows = []
        for b in year:
            pattern = b.pattern
            rows.append(
                {
                    "invoice_id": b.invoice_id,
                    "creditor": b.creditor,
                    "buyer_reference": b.buyer_reference,
                    "department": b.office,
                    "pattern": s.pattern_text(pattern),
                    "terms": " ".join(sorted(b.terms)),
                }
            )
            if len(pattern) == 1:
                for term in b.terms:
                    hits[(term, pattern[0][0])] += 1
        with container.engine.begin() as connection:
            for start in range(0, len(rows), 5_000):
                connection.execute(insert(KontierungHistoryRow), rows[start : start + 5_000])
            connection.execute(
                insert(KontierungTermRow),
                [{"term": t, "key": k, "hits": n} for (t, k), n in hits.items()],
            )
            connection.execute(text("ANALYZE"))
        print(
            f"Verlauf: {len(rows)} angeordnete Rechnungen, {len(hits)} Wort-Buchungsstellen-Paare "
            f"eingefügt in {time.perf_counter() - started:.1f} s"
        )

        rng = random.Random(11)
        probes = rng.sample(year, min(args.queries, len(year)))
        samples = []
        cpu = []
        right = 0
        with container.sessions() as session:
            for b in probes:
                started = time.perf_counter()
                started_cpu = time.process_time()
                facts = kontierung_year.facts(b)
                by_creditor, by_reference, found_hits = history_for(session, facts, b.invoice_id)
                keys = {k for e in by_creditor + by_reference for k, _ in e.pattern}
                keys |= {k for found in found_hits.values() for k in found}
                chart = chart_of(session, keys)
                allowed = {
                    k: st.allowed_for(b.office) and st.valid_in(2026) for k, st in chart.items()
                }
                suggestions = s.suggest(facts, by_creditor, by_reference, found_hits, allowed)
                samples.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                right += bool(suggestions) and suggestions[0].pattern == b.pattern
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        print(
            f"Vorschläge: {len(samples)} Abfragen bei {len(rows)} Rechnungen Verlauf: "
            f"Median {statistics.median(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
            f"max {samples[-1] * 1000:.1f} ms (Ziel p95 < 50 ms); erster Vorschlag = eigene "
            f"Kontierung bei {right} von {len(samples)} (Verlauf nur vor der Rechnung); "
            f"Rechenzeit dieses Prozesses im Median {statistics.median(cpu) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
