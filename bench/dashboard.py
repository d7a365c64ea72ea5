"""Dashboard data with a year of a mid-size city in PostgreSQL: how long does it take?

Generates the city year (``tests/integration/cityyear.py``: tens of thousands of
documents, 13 offices), bulk-inserts it into a fresh PostgreSQL database, then
times ``einvoice.services.metrics.dashboard`` (everything the Stabsstelle's page
shows: read the records, compute the figures, the exit criteria and the SVG
charts) and its parts. Target: the dashboard data in under 1 s. A benchmark,
not a test.

    python bench/dashboard.py [--invoices 36000] [--runs 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration import cityyear  # noqa: E402
from tests.integration.services import postgres_database  # noqa: E402

TARGET = 1.0


def timed(runs: int, action: object) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return {
        "min": min(samples),
        "median": statistics.median(samples),
        "max": max(samples),
    }


def paused(action: Any, *args: Any) -> Any:
    """Time the parts as the dashboard runs them: with the cyclic GC paused."""
    from einvoice.services.metrics import gc_paused

    with gc_paused():
        return action(*args)


def run(invoices: int, runs: int) -> dict[str, object]:
    from sqlalchemy import text

    from einvoice.domain import pilot_exit, pilot_metrics
    from einvoice.services import metrics
    from einvoice.services.metrics_cache import DashboardCache
    from einvoice.storage import db

    started = time.perf_counter()
    year = cityyear.generate(invoices=invoices)
    generated = time.perf_counter() - started
    with postgres_database() as url:
        db.upgrade(url)
        engine = db.make_engine(url)
        started = time.perf_counter()
        counts = cityyear.insert_rows(engine, year)
        inserted = time.perf_counter() - started
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        sessions = db.make_session_factory(engine)
        context = metrics.Context(cityyear.ZONE, {}, frozenset({cityyear.FALLBACK}))
        scope = metrics.scope_for(year.today, zone=cityyear.ZONE)
        board = metrics.dashboard(sessions, year.today, context=context)  # warm up
        cache = DashboardCache()
        cache.dashboard(sessions, year.today, context=context)
        found = metrics.records(sessions, scope)
        computed = pilot_metrics.compute(found, scope)
        result = {
            "documents": counts["documents"],
            "records_in_window": len(found),
            "rows_inserted": sum(counts.values()),
            "generate_s": generated,
            "insert_s": inserted,
            "dashboard_s": timed(
                runs, lambda: metrics.dashboard(sessions, year.today, context=context)
            ),
            "read_records_s": timed(runs, lambda: paused(metrics.records, sessions, scope)),
            "compute_s": timed(runs, lambda: paused(pilot_metrics.compute, found, scope)),
            "exit_criteria_s": timed(runs, lambda: pilot_exit.evaluate(computed)),
            "charts_s": timed(
                runs, lambda: metrics.make_charts(computed, pilot_exit.ExitThresholds())
            ),
            "dashboard_cached_s": timed(
                runs, lambda: cache.dashboard(sessions, year.today, context=context)
            ),
            "trace_s": timed(
                3, lambda: metrics.trace(sessions, "rule:BR-DE-15", year.today, context=context)
            ),
            "received": board.metrics.received,
            "exit_light": board.exit.light.value,
        }
        engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=36_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.invoices, args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"Stadtjahr: {result['documents']} Dokumente ({result['records_in_window']} im "
        f"52-Wochen-Fenster), {result['rows_inserted']} Zeilen; erzeugt in "
        f"{result['generate_s']:.1f} s, eingefügt in {result['insert_s']:.1f} s"
    )
    for key, label in (
        ("dashboard_s", "Dashboard gesamt"),
        ("read_records_s", "  Datensätze lesen (4 Abfragen)"),
        ("compute_s", "  Kennzahlen berechnen"),
        ("exit_criteria_s", "  Ausstiegskriterien"),
        ("charts_s", "  SVG-Diagramme"),
        ("dashboard_cached_s", "Dashboard, Daten unverändert (Cache)"),
        ("trace_s", "Rechnungen hinter einer Kennzahl"),
    ):
        t = result[key]
        assert isinstance(t, dict)
        print(f"{label:<36} min {t['min']:.3f} s  median {t['median']:.3f} s  max {t['max']:.3f} s")
    board = result["dashboard_s"]
    assert isinstance(board, dict)
    verdict = "erreicht" if board["median"] < TARGET else "VERFEHLT"
    print(f"Ziel: Dashboard unter {TARGET:.0f} s (Median) – {verdict}")


if __name__ == "__main__":
    main()
