"""End-to-end throughput: mailbox -> stored, validated invoice (PostgreSQL + Redis).

Runs the real thing: a Maildir with N invoice e-mails, `einvoice ingest --once`
(stores every original and enqueues), then 1 and then 2 dramatiq worker
processes (`python -m einvoice.workers.launch einvoice.workers.entry`, dramatiq's
command line), timing from the first enqueued message until every document is
processed. A benchmark, not a test.

    python bench/pipeline.py [--invoices 400] [--threads 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration import workerfarm  # noqa: E402
from tests.integration.services import postgres_database, redis_url  # noqa: E402


def run(processes: int, invoices: int, threads: int, quiet: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, postgres_database() as database:
        import redis

        broker = redis_url()
        redis.Redis.from_url(broker).flushdb()
        folder = Path(tmp)
        env = workerfarm.env_for(database, broker, folder / "data", EINVOICE_SWEEP_AFTER="600")
        assert workerfarm.cli(env, "db", "upgrade").returncode == 0
        workerfarm.fill_maildir(folder / "Maildir", invoices)
        ingest = workerfarm.cli(
            env, "ingest", "--source", f"maildir:{folder / 'Maildir'}", "--once"
        )
        assert ingest.returncode == 0, ingest.stderr
        from sqlalchemy import create_engine, text

        engine = create_engine(database)

        def done() -> int:
            with engine.connect() as conn:
                return int(
                    conn.execute(
                        text("select count(*) from documents where state <> 'stored'")
                    ).scalar()
                    or 0
                )

        workers = [workerfarm.start_worker(env, threads=threads) for _ in range(processes)]
        # warm-up: the first documents pay for compiling the stylesheets
        workerfarm.wait_until(lambda: done() >= 10 * processes, 120, interval=0.05)
        start_count, start = done(), time.perf_counter()
        last = -1
        while True:
            count = done()
            if not quiet and count != last and sys.stderr.isatty():
                sys.stderr.write(f"\r  {processes} Prozess(e): {count}/{invoices}")
                last = count
            if count >= invoices:
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        for worker in workers:
            workerfarm.stop(worker)
        engine.dispose()
        if not quiet and sys.stderr.isatty():
            sys.stderr.write("\r" + " " * 60 + "\r")
        rate = (invoices - start_count) / elapsed
        return {
            "processes": processes,
            "invoices": invoices,
            "seconds": elapsed,
            "invoices_per_second": rate,
            "per_process": rate / processes,
        }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invoices", type=int, default=400)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [run(n, args.invoices, args.threads, args.json) for n in (1, 2)]
    ratio = results[1]["invoices_per_second"] / results[0]["invoices_per_second"]
    if args.json:
        print(json.dumps({"runs": results, "scaling": ratio}, indent=2))
        return 0
    for r in results:
        print(
            f"{r['processes']} Prozess(e): {r['invoices_per_second']:.1f} Rechnungen/s "
            f"({r['per_process']:.1f} je Prozess, {r['invoices']} Rechnungen)"
        )
    print(f"Skalierung 1 -> 2 Prozesse: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
