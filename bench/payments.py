"""Payment import: a payment file of 10,000 lines (the cash system's CSV, and a camt.054 of
10,000 bookings) read against 20,000 ordered invoices (issue 24; target < 10 s per file).

Usage: .venv/bin/python bench/payments.py [--lines 10000] [--database-url postgresql+psycopg://...]

The ordered invoices are written straight into the tables (invoice, workflow with its
Anordnung sealed into the audit chain, a Skonto offer for every second one): running 20,000
invoices through intake and approval would take the benchmark an hour and measure something
else. The import itself is the real service (einvoice.services.payments.import_file): parse,
match, one transaction, an audit event per invoice paid. Lines: 80 % the amount due, 15 % less
the Skonto offered, 5 % partial payments (left open for a person). Prints the times of the
first import and of reading the same file again (idempotent: nothing changes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from einvoice import bootstrap, config  # noqa: E402
from einvoice.domain.audit import AuditEntry, seal  # noqa: E402
from einvoice.domain.payment_order_number import order_number  # noqa: E402
from einvoice.formats.payment_files import load_settings  # noqa: E402
from einvoice.samplegen.payments import SamplePayment, camt, payment_csv  # noqa: E402
from einvoice.samplegen.spec import iban  # noqa: E402
from einvoice.services.accounts import Role, create_account  # noqa: E402
from einvoice.services.payments import import_file  # noqa: E402
from einvoice.storage import db  # noqa: E402
from einvoice.storage.tables import (  # noqa: E402
    AuditEventRow,
    Blob,
    DeadlineRow,
    Document,
    Invoice,
    Message,
    Workflow,
)

RECEIVED = date(2026, 11, 2)
BOOKED = date(2026, 11, 10)  # within the Skonto offers (14 days)
IBAN = iban("DE", "290500000012345678")


def seed(container: bootstrap.Container, count: int) -> list[tuple[int, Decimal, Decimal]]:
    """``count`` ordered invoices: (id, amount due, Skonto offered or 0)."""
    at = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)
    invoices: list[tuple[int, Decimal, Decimal]] = []
    sha = "0" * 64
    with container.sessions() as session:
        session.add(Blob(sha256=sha, size=0, stored_at=at))
        session.flush()
        conn = session.connection()
        for start in range(1, count + 1, 2000):
            ids = range(start, min(start + 2000, count + 1))
            conn.execute(
                insert(Message),
                [
                    dict(
                        id=i,
                        channel="mail",
                        message_key=f"m{i}",
                        source="bench",
                        sender=None,
                        subject=None,
                        raw_sha256=sha,
                        state="done",
                        reason=None,
                        deliveries=1,
                        received_at=at,
                        updated_at=at,
                    )
                    for i in ids
                ],
            )
            conn.execute(
                insert(Document),
                [
                    dict(
                        id=i,
                        message_id=i,
                        filename=f"r{i}.xml",
                        content_type="application/xml",
                        sha256=sha,
                        size=0,
                        state="processed",
                        attempts=1,
                        last_error=None,
                        recommendation="accept",
                        created_at=at,
                        updated_at=at,
                    )
                    for i in ids
                ],
            )
            rows, flows, events, offers = [], [], [], []
            for i in ids:
                amount = Decimal(100 + (i * 37) % 9000) + Decimal(i % 100) / 100
                discount = (amount * 2 / 100).quantize(Decimal("0.01")) if i % 2 else Decimal(0)
                invoices.append((i, amount, discount))
                rows.append(
                    dict(
                        id=i,
                        document_id=i,
                        duplicate_key=f"d{i}",
                        invoice_key=f"k{i}",
                        seller_key="bench",
                        seller_name="Bürobedarf Müller GmbH",
                        number=f"R-{i}",
                        type_code="380",
                        issue_date=RECEIVED.isoformat(),
                        due_date=None,
                        currency="EUR",
                        buyer_reference=None,
                        order_reference=None,
                        total_with_vat=amount,
                        amount_due=amount,
                        line_count=1,
                        syntax="ubl-invoice",
                        scenario="standard",
                        profile=None,
                        recommendation="accept",
                        state="stored",
                        semantic={},
                        created_at=at,
                        replaces_id=None,
                        version=1,
                        search_text="",
                    )
                )
                first = seal(AuditEntry(str(i), "receive", "system", at, None, "received"), None)
                order = seal(
                    AuditEntry(
                        str(i),
                        "order",
                        "a10.schmitt",
                        at,
                        "rechnerisch_richtig",
                        "angeordnet",
                        department="amt-10",
                    ),
                    first,
                )
                for event in (first, order):
                    e = event.entry
                    events.append(
                        dict(
                            invoice_id=i,
                            sequence=event.sequence,
                            action=e.action,
                            actor=e.actor,
                            at=e.at,
                            from_state=e.from_state,
                            to_state=e.to_state,
                            reason=None,
                            department=e.department,
                            acting_for=None,
                            details={},
                            previous_hash=event.previous_hash,
                            hash=event.hash,
                        )
                    )
                flows.append(
                    dict(
                        invoice_id=i,
                        status="angeordnet",
                        department="amt-10",
                        amount=amount,
                        currency="EUR",
                        sachlich_by="a10.becker",
                        rechnerisch_by="a10.neumann",
                        ordered_by="a10.schmitt",
                        ordered_for=None,
                        received_on=RECEIVED,
                        due_date=RECEIVED + timedelta(days=30),
                        due_source="legal",
                        skonto_deadline=RECEIVED + timedelta(days=14) if discount else None,
                        skonto_discount=discount or None,
                        audit_head=order.hash,
                        audit_count=2,
                        holds="",
                        version=1,
                        created_at=at,
                        updated_at=at,
                    )
                )
                if discount:
                    offers.append(
                        dict(
                            invoice_id=i,
                            kind="skonto",
                            position=0,
                            due_on=RECEIVED + timedelta(days=14),
                            nominal=RECEIVED + timedelta(days=14),
                            source="skonto",
                            days=14,
                            percent=Decimal(2),
                            base_amount=None,
                            discount=discount,
                            amount_to_pay=amount - discount,
                        )
                    )
            conn.execute(insert(Invoice), rows)
            conn.execute(insert(Workflow), flows)
            conn.execute(insert(AuditEventRow), events)
            if offers:
                conn.execute(insert(DeadlineRow), offers)
        session.commit()
    return invoices


def payments_for(invoices: list[tuple[int, Decimal, Decimal]], tag: str) -> list[SamplePayment]:
    made = []
    for n, (invoice_id, amount, discount) in enumerate(invoices):
        if n % 20 == 19:
            paid = (amount / 2).quantize(Decimal("0.01"))  # partial: open for a person
        elif discount and n % 20 >= 16:
            paid = amount - discount  # Skonto within the offer
        else:
            paid = amount
        made.append(
            SamplePayment(
                paid,
                BOOKED,
                f"{order_number(invoice_id)} Rechnung R-{invoice_id}",
                f"{tag}-{invoice_id}",
                IBAN,
                "Bürobedarf Müller GmbH",
                order=order_number(invoice_id),
            )
        )
    return made


def timed(label: str, run: object) -> None:
    started = time.perf_counter()
    result = run()  # type: ignore[operator]
    took = time.perf_counter() - started
    print(f"{label}: {took:.2f} s – {result.summary_de}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {"EINVOICE_DATA_DIR": folder, "EINVOICE_BROKER_URL": "stub"}
        if args.database_url:
            env["EINVOICE_DATABASE_URL"] = args.database_url
        settings = config.load(env)
        db.upgrade(settings.database_url)
        container = bootstrap.build(settings)
        pipeline = container.pipeline
        create_account(
            container.sessions, "kb.bench", "ein-langes-passwort", Role.CREDITOR_ACCOUNTING, "KB"
        )
        started = time.perf_counter()
        invoices = seed(container, 2 * args.lines)
        print(
            f"{len(invoices)} angeordnete Rechnungen angelegt in "
            f"{time.perf_counter() - started:.1f} s"
        )
        payment_settings = load_settings(None)
        account = sorted(payment_settings.accounts)[0]
        csv = payment_csv(payments_for(invoices[: args.lines], "K"))
        xml = camt(account, payments_for(invoices[args.lines :], "B"))
        print(
            f"CSV {len(csv) / 1e6:.1f} MB, camt.054 {len(xml) / 1e6:.1f} MB, je {args.lines} Zeilen"
        )
        for name, data in (("kasse.csv", csv), ("avis.xml", xml)):
            timed(
                f"{name} einlesen",
                lambda d=data, n=name: import_file(pipeline, d, n, "kb.bench", payment_settings),
            )
            timed(
                f"{name} noch einmal",
                lambda d=data, n=name: import_file(pipeline, d, n, "kb.bench", payment_settings),
            )
        container.engine.dispose()


if __name__ == "__main__":
    main()
