"""Recovery after faults with production settings: the chaos suite with 300 invoices.

Runs tests/integration/test_chaos.py (private PostgreSQL, Redis and Dovecot; `einvoice
worker --processes 2`; EINVOICE_SWEEP_AFTER and EINVOICE_POLL_INTERVAL at their defaults)
with EINVOICE_CHAOS_INVOICES=300 and prints, per scenario, the exact end counts and the
seconds from the fault's end to "all finished" (nothing open, every invoice in a queue,
no dead letter, the mailbox empty).

    python bench/chaos.py                       # the four faults of issue 23
    python bench/chaos.py --all                 # also SIGTERM and the killed IMAP ingest
    python bench/chaos.py --invoices 100 -k postgres
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOUR = "redis_down or postgres or sigkilled_three or blob_folder_full"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("-k", default=FOUR, help="pytest -k expression (scenarios)")
    parser.add_argument("--all", action="store_true", help="every scenario of the suite")
    args = parser.parse_args()
    report = Path(tempfile.mkdtemp(prefix="einvoice-chaos-")) / "report.jsonl"
    env = {
        **os.environ,
        "EINVOICE_CHAOS_INVOICES": str(args.invoices),
        "EINVOICE_CHAOS_REPORT": str(report),
    }
    command = [sys.executable, "-m", "pytest", "tests/integration/test_chaos.py", "-q", "-s"]
    if not args.all:
        command += ["-k", args.k]
    done = subprocess.run(command, cwd=ROOT, env=env)
    lines = (
        [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    )
    print(
        "\n| Ausfall | Rechnungen / Dokumente / Nachrichten am Ende | offen, fehlgeschlagen | "
        "zugeordnet beim Ende des Ausfalls | wieder aufgenommen nach | alles fertig nach | "
        "Last (1 min) |"
    )
    print("|---|---|---|---|---|---|---|")
    for line in lines:
        s = line["status"]
        resumed = line.get("resumed_after_seconds")
        row = (
            f"| {line['scenario']} | {s['invoices']} / {s['documents']} / {s['messages']} | "
            f"{s['pending']}, {s['failed']} | {line.get('routed_at_fault_end', '?')} | "
            + (f"{resumed:.1f} s" if resumed is not None else "–")
            + f" | **{line['recovery_seconds']:.1f} s** | {line.get('load_average_1min', 0):.1f} |"
        )
        print(row.replace(".", ","))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
