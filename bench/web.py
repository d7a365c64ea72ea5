"""Web latency with a year of a city's invoices in PostgreSQL (a benchmark, not a test).

Generates ~100,000 invoices (``tests/integration/cityyear.py``, bulk insert), starts the
real app (``einvoice web --workers 2``) on loopback and lets 20 concurrent clerks of the
busiest office open their queue page (sorted, paged, "wartet auf mich"), search it (invoice
number, supplier, VAT id, amount) and open invoice pages for a bounded time. Prints p50/p95
per page. Target (issue 14): queue and search p95 under 150 ms with 1 s think time.

Half of the open invoices have a ZUGFeRD PDF as their original: their invoice page shows
the PDF as page pictures drawn on the server (drawn when the invoice arrived, as the
worker does), the other half an XRechnung (no pictures). Both are measured in the same
run ("Rechnungsseite" vs "Rechnungsseite mit PDF-Seitenbildern"), and the picture itself
("Seitenbild", one PNG per request) as the browser then asks for it (issue 21).

    python bench/web.py [--invoices 100000] [--users 20] [--seconds 30] [--think 1] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration import cityyear  # noqa: E402
from tests.integration.services import free_port, port_open, postgres_database  # noqa: E402

PASSWORD = "Lastmessung-Passwort-71"
KINDS = ("queue", "search", "invoice", "invoice_pdf", "page_image")


SEARCHES: list[str] = []  # filled by prepare(): what clerks type into the search field
QUEUE_VIEWS = (
    "/eingang",
    "/eingang?sort=-amount",
    "/eingang?sort=supplier&seite=2",
    "/eingang?sort=issued",
    "/eingang?mine=1",
    "/eingang?deadline=overdue",
)


def prepare(database: str, data_dir: Path, invoices: int) -> tuple[str, list[int], list[int]]:
    from sqlalchemy import create_engine, select, text, update

    from einvoice.presentation.page_images import PageImages
    from einvoice.routing_config import load_routing_config
    from einvoice.services.accounts import Role, create_account
    from einvoice.storage import db
    from einvoice.storage.blobs import LocalBlobStore
    from einvoice.storage.tables import Blob, Document, Invoice, Workflow

    db.upgrade(database)
    engine = create_engine(database)
    started = time.perf_counter()
    year = cityyear.generate(invoices=invoices)
    cityyear.insert_rows(engine, year)
    print(
        f"  {len(year.rows['invoices'])} Rechnungen erzeugt und eingefügt in "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    # every document points at one real original, so the invoice page renders it
    original = (ROOT / "samples" / "xrechnung-ubl.xml").read_bytes()
    sha = LocalBlobStore(data_dir / "blobs").put(original)
    with engine.begin() as conn:
        if conn.execute(select(Blob.sha256).where(Blob.sha256 == sha)).first() is None:
            conn.execute(
                Blob.__table__.insert().values(  # type: ignore[attr-defined]
                    sha256=sha, size=len(original), stored_at=year.rows["blobs"][0]["stored_at"]
                )
            )
        conn.execute(update(Document).values(sha256=sha, filename="xrechnung-ubl.xml"))
        busiest = conn.execute(
            select(Workflow.department)
            .group_by(Workflow.department)
            .order_by(text("count(*) desc"))
            .limit(1)
        ).scalar_one()
        # the search text as the pipeline writes it (cityyear rows carry no semantic JSON)
        conn.execute(
            text(
                "UPDATE invoices SET search_text = lower(number || ' ' || "
                "coalesce(seller_name, '') || ' ' || replace(seller_key, 'BT-31:', '') || ' ' || "
                "coalesce(buyer_reference, '') || ' ' || coalesce(order_reference, ''))"
            )
        )
        samples = conn.execute(
            select(Invoice.number, Invoice.seller_name, Invoice.seller_key, Workflow.amount)
            .join(Workflow, Workflow.invoice_id == Invoice.id)
            .where(Workflow.department == busiest)
            .limit(200)
        ).all()
        for number, seller, key, amount in samples:
            SEARCHES.append(number)
            SEARCHES.append((seller or "x").split()[0])
            SEARCHES.append(key.split(":", 1)[-1])
            SEARCHES.append(f"{amount:.2f}".replace(".", ","))
        open_ids = list(
            conn.execute(
                select(Workflow.invoice_id).where(
                    Workflow.department == busiest,
                    Workflow.status.in_(("routed", "sachlich_richtig", "rechnerisch_richtig")),
                )
            ).scalars()
        )
    config = load_routing_config(ROOT / "samples" / "routing.toml")
    department = config.department(busiest)
    assert department is not None
    clerk = next(m.person for m in department.members)
    from sqlalchemy.orm import sessionmaker

    create_account(
        sessionmaker(engine), clerk, PASSWORD, Role.CLERK, "Lastprofil", department=busiest
    )
    # as autovacuum leaves a database in steady operation: planner statistics for every
    # table and a visibility map for index-only scans (a bulk load has neither); and the
    # bulk load's dirty pages written out now, not by a checkpoint during the measurement
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        try:  # needs superuser or pg_checkpoint (PostgreSQL 15+)
            conn.execute(text("CHECKPOINT"))
        except Exception as exc:
            print(f"  (kein CHECKPOINT vor der Messung: {exc})", file=sys.stderr)
    # half of the open invoices: a ZUGFeRD PDF original, its pictures drawn at arrival
    pdf = (ROOT / "samples" / "zugferd-en16931.pdf").read_bytes()
    pdf_sha = LocalBlobStore(data_dir / "blobs").put(pdf)
    pdf_ids = open_ids[::2]
    with engine.begin() as conn:
        conn.execute(
            Blob.__table__.insert().values(  # type: ignore[attr-defined]
                sha256=pdf_sha, size=len(pdf), stored_at=year.rows["blobs"][0]["stored_at"]
            )
        )
        documents = select(Invoice.document_id).where(Invoice.id.in_(pdf_ids))
        conn.execute(
            update(Document)
            .where(Document.id.in_(documents))
            .values(sha256=pdf_sha, filename="zugferd-en16931.pdf")
        )
    PageImages(data_dir / "page-images").prepare(pdf_sha, pdf)
    engine.dispose()
    pdf_set = set(pdf_ids)
    return clerk, [i for i in open_ids if i not in pdf_set], pdf_ids


async def user(
    base: str,
    clerk: str,
    ids: list[int],
    pdf_ids: list[int],
    until: float,
    timings: dict[str, list[float]],
    statuses: Counter[int],
    think: float = 0.0,
) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        page = await client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        response = await client.post(
            "/login", data={"username": clerk, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        assert response.status_code == 303, response.text
        rng = random.Random()
        requests = 0
        while time.monotonic() < until and requests < 10_000:
            draw = rng.random()
            if draw < 0.3 or not ids:
                kind, path = "queue", rng.choice(QUEUE_VIEWS)
            elif draw < 0.5 and SEARCHES:
                kind, path = "search", "/eingang?" + urlencode({"q": rng.choice(SEARCHES)})
            elif draw < 0.7 or not pdf_ids:
                kind, path = "invoice", f"/rechnungen/{rng.choice(ids)}"
            elif draw < 0.9:
                kind, path = "invoice_pdf", f"/rechnungen/{rng.choice(pdf_ids)}"
            else:
                kind, path = "page_image", f"/rechnungen/{rng.choice(pdf_ids)}/seiten/1"
            started = time.perf_counter()
            response = await client.get(path)
            timings[kind].append((time.perf_counter() - started) * 1000)
            statuses[response.status_code] += 1
            requests += 1
            if think:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)  # a person reading


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause between page views, s (0: none)"
    )
    parser.add_argument(
        "--saturated",
        action="store_true",
        help="afterwards a second phase without pauses on the same data (saturation)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, postgres_database() as database:
        data_dir = Path(tmp) / "data"
        clerk, ids, pdf_ids = prepare(database, data_dir, args.invoices)
        port = free_port()
        env = {
            **os.environ,
            "EINVOICE_DATABASE_URL": database,
            "EINVOICE_DATA_DIR": str(data_dir),
            "EINVOICE_COOKIE_SECURE": "0",
            "EINVOICE_SECRET_KEY": "b" * 48,
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "einvoice.cli",
                "web",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while not port_open("127.0.0.1", port):
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.1)
            base = f"http://127.0.0.1:{port}"
            timings: dict[str, list[float]] = {k: [] for k in KINDS}
            statuses: Counter[int] = Counter()
            saturated: dict[str, list[float]] = {k: [] for k in KINDS}

            async def run() -> None:
                # warm-up: every server process compiles its templates once
                await asyncio.gather(
                    *(
                        user(
                            base,
                            clerk,
                            ids,
                            pdf_ids,
                            time.monotonic() + 3,
                            {k: [] for k in KINDS},
                            Counter(),
                        )
                        for _ in range(args.workers * 2)
                    )
                )
                until = time.monotonic() + args.seconds
                await asyncio.gather(
                    *(
                        user(base, clerk, ids, pdf_ids, until, timings, statuses, args.think)
                        for _ in range(args.users)
                    )
                )
                if args.saturated:
                    until = time.monotonic() + args.seconds
                    await asyncio.gather(
                        *(
                            user(base, clerk, ids, pdf_ids, until, saturated, statuses, 0.0)
                            for _ in range(args.users)
                        )
                    )

            asyncio.run(run())
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {
        page: {"requests": len(v), "p50_ms": statistics.median(v), "p95_ms": percentile(v, 0.95)}
        for page, v in timings.items()
        if v
    }
    for page, v in saturated.items():
        if v:
            result[f"{page}_saturated"] = {
                "requests": len(v),
                "p50_ms": statistics.median(v),
                "p95_ms": percentile(v, 0.95),
            }
    result["statuses"] = dict(statuses)  # type: ignore[assignment]
    result["open_invoices_in_queue"] = len(ids) + len(pdf_ids)  # type: ignore[assignment]
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"{args.invoices} Rechnungen, {args.users} gleichzeitige Nutzer (Denkpause "
        f"{args.think:.1f} s), {args.seconds:.0f} s, "
        f"{args.workers} Server-Prozesse; offene Rechnungen im Eingang: {len(ids) + len(pdf_ids)} "
        f"(davon {len(pdf_ids)} mit PDF-Original)"
    )
    names = {
        "queue": "Eingangsliste",
        "search": "Suche",
        "invoice": "Rechnungsseite (XRechnung)",
        "invoice_pdf": "Rechnungsseite mit PDF-Seitenbildern",
        "page_image": "Seitenbild (PNG)",
    }
    for page in (*KINDS, *(f"{p}_saturated" for p in names)):
        if page in result:
            r = result[page]
            label = names[page.removesuffix("_saturated")]
            if page.endswith("_saturated"):
                label += " (ohne Pause, Sättigung)"
            print(
                f"  {label}: "
                f"p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms ({r['requests']} Abrufe)"
            )
    print(f"  HTTP-Status: {dict(statuses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
