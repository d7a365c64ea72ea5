"""A year (and a bit) of a mid-size city's e-invoices, generated and bulk-inserted.

:func:`generate` builds the data set in memory, deterministically from a seed:
tens of thousands of documents to 13 offices of Musterstadt (``samples/routing.toml``)
that go live one after another, two channels, six formats, rejection rules,
approval times, Skonto offers, stuck and late invoices, duplicates and failed
documents (which the metrics must not count), and receipts just outside the
52-week window and around midnight (time zone edges). The truth of every
document is kept as a :class:`Truth` (the generator's own intention, not read
back from the database), so tests can compute the expected figures a second,
independent way.

:func:`insert` writes it into a fresh, migrated database with SQLAlchemy Core
bulk inserts (``executemany``), table by table, in a few seconds.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert

from einvoice.storage.tables import (
    AuditEventRow,
    Blob,
    DeadlineRow,
    Document,
    ExportBatch,
    ExportRecord,
    FindingRow,
    Invoice,
    Message,
    Workflow,
)

ZONE = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 24)  # a Tuesday
FALLBACK = "rechnungseingang"

#: office -> (relative volume, week of the year it goes live, 0 = from the start)
OFFICES: dict[str, tuple[int, int]] = {
    "amt-20": (6, 0),  # Kämmerei: pilot office
    "amt-12": (5, 0),  # Amt für Datenverarbeitung: pilot office
    "amt-10": (5, 4),
    "amt-65": (14, 8),  # Gebäudewirtschaft: most invoices
    "amt-66": (9, 12),
    "amt-40": (10, 16),
    "amt-37": (6, 20),
    "amt-67": (5, 24),
    "amt-50": (8, 28),
    "amt-32": (3, 32),
    "amt-42": (2, 36),
    "amt-63": (2, 40),
    "amt-51": (4, 46),
}

#: the generator's own format table: label -> (syntax, scenario, profile, pdf)
FORMATS: dict[str, tuple[str, str, str, bool]] = {
    "XRechnung UBL": ("ubl-invoice", "standard", "XRechnung 3.0", False),
    "XRechnung CII": ("cii", "standard", "XRechnung 3.0", False),
    "ZUGFeRD EN 16931": ("cii", "en16931", "EN 16931", True),
    "ZUGFeRD BASIC": ("cii", "factur-x-basic", "BASIC", True),
    "ZUGFeRD XRechnung": ("cii", "standard", "XRechnung 3.0", True),
    "ZUGFeRD EXTENDED": ("cii", "factur-x-extended", "EXTENDED", True),
}
FORMAT_WEIGHTS = (44, 24, 19, 6, 4, 3)
UNREADABLE = "nicht lesbar"
RULES = (
    ("BR-DE-15", 30),  # Leitweg-ID (BT-10) missing
    ("BR-DE-1", 16),  # payment instructions missing
    ("BR-CO-15", 12),  # total with VAT wrong
    ("BR-DE-21", 10),  # specification id
    ("BR-DE-23-a", 7),
    ("BR-S-08", 6),
    ("PEPPOL-EN16931-R010", 5),
    ("BR-DE-2", 5),
    ("BR-CO-10", 4),
    ("BR-DE-17", 3),
    ("BR-61", 2),
    ("FX-SCH-A-000001", 2),
)
SUPPLIERS = 900
HASH = "0" * 64


@dataclass
class Truth:
    """What the generator meant one processed document to be."""

    document_id: int
    invoice_id: int | None
    received_at: datetime  # UTC
    channel: str
    format: str
    accepted: bool
    rules: frozenset[str] = frozenset()
    seller: str | None = None
    seller_name: str | None = None
    department: str | None = None
    amount: Decimal | None = None
    status: str | None = None
    due_date: date | None = None
    ordered_at: datetime | None = None
    skonto: list[tuple[date, Decimal]] = field(default_factory=list)


@dataclass
class CityYear:
    today: date
    truths: list[Truth]
    rows: dict[str, list[dict[str, Any]]]  # table name -> rows
    ignored_documents: int  # duplicates and failed documents (not counted)

    @property
    def documents(self) -> int:
        return len(self.rows["documents"])


def _weekday_shift(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class _Builder:
    def __init__(self, seed: int, invoices: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.now = datetime.combine(today, time(18, 0), ZONE).astimezone(UTC)
        self.invoices = invoices
        self.rows: dict[str, list[dict[str, Any]]] = {
            name: []
            for name in (
                "blobs",
                "messages",
                "documents",
                "invoices",
                "findings",
                "workflows",
                "audit_events",
                "deadlines",
                "export_batches",
                "exports",
            )
        }
        self.truths: list[Truth] = []
        self.ignored = 0
        self.ids = {
            "message": 0,
            "document": 0,
            "invoice": 0,
            "finding": 0,
            "audit": 0,
            "deadline": 0,
            "export": 0,
        }
        # suppliers: popularity (Zipf) and the week they start sending e-invoices
        self.supplier_weights = [1 / (n + 1) ** 0.9 for n in range(SUPPLIERS)]
        self.supplier_start = [0 if n < 120 else self.rng.randint(0, 50) for n in range(SUPPLIERS)]
        self.batches: dict[date, str] = {}

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    # -- time ---------------------------------------------------------------------------

    def receipt(self, week_monday: date) -> datetime:
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:  # around local midnight: Sunday late / Monday early
            day = week_monday + timedelta(days=rng.choice((0, 6)))
            moment = (
                time(0, rng.randint(0, 59)) if day == week_monday else time(23, rng.randint(0, 59))
            )
        else:
            weekday = rng.choices(range(7), weights=(22, 21, 21, 20, 14, 1, 1))[0]
            day = week_monday + timedelta(days=weekday)
            moment = time(rng.randint(7, 17), rng.randint(0, 59), rng.randint(0, 59))
        return datetime.combine(day, moment, ZONE).astimezone(UTC)

    # -- one document -------------------------------------------------------------------

    def document(self, received_at: datetime, week: int, weeks: int) -> None:
        rng = self.rng
        progress = week / max(weeks - 1, 1)
        channel = "upload" if rng.random() < 0.15 + 0.25 * progress else "mail"
        message_id = self.next_id("message")
        sha = f"{message_id:064x}"
        self.rows["blobs"].append({"sha256": sha, "size": 1000, "stored_at": received_at})
        self.rows["messages"].append(
            {
                "id": message_id,
                "channel": channel,
                "message_key": f"<m{message_id}@example>",
                "source": "maildir:/var/mail" if channel == "mail" else "upload:lieferant",
                "sender": None,
                "subject": None,
                "raw_sha256": sha,
                "state": "split",
                "reason": None,
                "deliveries": 1,
                "received_at": received_at,
                "updated_at": received_at,
            }
        )
        document_id = self.next_id("document")
        kind = rng.random()
        if kind < 0.012 or kind > 0.996:  # a duplicate, or a failed document: not counted
            self.ignored += 1
            self.rows["documents"].append(
                self._document_row(
                    document_id,
                    message_id,
                    sha,
                    "rechnung.xml",
                    "application/xml",
                    "duplicate" if kind < 0.012 else "failed",
                    None,
                    received_at,
                )
            )
            return
        if rng.random() < 0.01:
            self._unreadable(document_id, message_id, sha, received_at, channel)
            return
        label = rng.choices(list(FORMATS), weights=FORMAT_WEIGHTS)[0]
        syntax, scenario, profile, pdf = FORMATS[label]
        accepted = rng.random() < 0.84 + 0.13 * progress
        filename = f"rechnung-{document_id}.{'pdf' if pdf else 'xml'}"
        content_type = "application/pdf" if pdf else "application/xml"
        if pdf and channel == "upload" and rng.random() < 0.3:  # browser sent no type
            filename, content_type = filename.upper(), None
        self.rows["documents"].append(
            self._document_row(
                document_id,
                message_id,
                sha,
                filename,
                content_type,
                "processed",
                "accept" if accepted else "reject",
                received_at,
            )
        )
        rules: frozenset[str] = frozenset()
        if not accepted:
            names, weights = zip(*RULES, strict=True)
            rules = frozenset(rng.choices(names, weights=weights, k=rng.choice((1, 1, 1, 2, 3))))
            for rule in sorted(rules):
                self._finding(document_id, rule, "error")
        if rng.random() < 0.2:  # warnings do not count as rejection reasons
            self._finding(document_id, "BR-DE-TMP-32", "warning")
        supplier = self._supplier(week)
        invoice_id = self.next_id("invoice")
        amount = _money(math.exp(rng.gauss(6.4, 1.3)))
        self.rows["invoices"].append(
            {
                "id": invoice_id,
                "document_id": document_id,
                "duplicate_key": f"k{invoice_id}" if accepted else None,
                "invoice_key": f"k{invoice_id}",
                "seller_key": f"BT-31:DE{100000000 + supplier}",
                "seller_name": f"Lieferant {supplier} GmbH",
                "number": f"R-{invoice_id}",
                "type_code": "380",
                "issue_date": None,
                "due_date": None,
                "currency": "EUR",
                "buyer_reference": None,
                "order_reference": None,
                "total_with_vat": amount,
                "amount_due": amount,
                "line_count": 3,
                "syntax": syntax,
                "scenario": scenario,
                "profile": profile,
                "recommendation": "accept" if accepted else "reject",
                "state": "validated" if accepted else "rejected",
                "semantic": {},
                "created_at": received_at,
            }
        )
        truth = Truth(
            document_id,
            invoice_id,
            received_at,
            channel,
            label,
            accepted,
            rules,
            f"BT-31:DE{100000000 + supplier}",
            f"Lieferant {supplier} GmbH",
            amount=amount,
        )
        self.truths.append(truth)
        if accepted:
            self._workflow(truth, week, progress)

    def _document_row(
        self,
        document_id: int,
        message_id: int,
        sha: str,
        filename: str,
        content_type: str | None,
        state: str,
        recommendation: str | None,
        at: datetime,
    ) -> dict[str, Any]:
        return {
            "id": document_id,
            "message_id": message_id,
            "filename": filename,
            "content_type": content_type,
            "sha256": sha,
            "size": 1000,
            "state": state,
            "attempts": 1,
            "last_error": None,
            "recommendation": recommendation,
            "created_at": at,
            "updated_at": at,
        }

    def _unreadable(
        self, document_id: int, message_id: int, sha: str, at: datetime, channel: str
    ) -> None:
        self.rows["documents"].append(
            self._document_row(
                document_id,
                message_id,
                sha,
                "scan.pdf",
                "application/pdf",
                "processed",
                "reject",
                at,
            )
        )
        self._finding(document_id, "FX-PDF-NO-XML", "error")
        self.truths.append(
            Truth(document_id, None, at, channel, UNREADABLE, False, frozenset({"FX-PDF-NO-XML"}))
        )

    def _finding(self, document_id: int, rule: str, severity: str) -> None:
        self.rows["findings"].append(
            {
                "id": self.next_id("finding"),
                "document_id": document_id,
                "rule": rule,
                "severity": severity,
                "layer": "national",
                "message_de": "…",
                "message_en": "…",
                "location": "",
                "terms": "",
            }
        )

    def _supplier(self, week: int) -> int:
        while True:
            n = self.rng.choices(range(SUPPLIERS), weights=self.supplier_weights)[0]
            if self.supplier_start[n] <= week:
                return n

    def _department(self, week: int) -> str:
        if self.rng.random() < 0.03:
            return FALLBACK
        live = [(k, v) for k, (v, start) in OFFICES.items() if start <= week]
        return self.rng.choices([k for k, _ in live], weights=[v for _, v in live])[0]

    # -- the approval ------------------------------------------------------------------

    def _workflow(self, truth: Truth, week: int, progress: float) -> None:
        rng = self.rng
        assert truth.invoice_id is not None and truth.amount is not None
        department = self._department(week)
        received_local = truth.received_at.astimezone(ZONE).date()
        due = _weekday_shift(received_local + timedelta(days=rng.choice((14, 30, 30, 30))))
        issue = received_local - timedelta(days=rng.randint(0, 3))
        offers: list[tuple[date, Decimal]] = []
        if rng.random() < 0.25:
            offers.append(
                (_weekday_shift(issue + timedelta(days=10)), _money(float(truth.amount) * 0.02))
            )
            if rng.random() < 0.4:
                offers.append(
                    (_weekday_shift(issue + timedelta(days=20)), _money(float(truth.amount) * 0.01))
                )
        median = 7.0 - 3.0 * progress
        days = math.exp(rng.gauss(math.log(median), 0.6))
        roll = rng.random()
        ordered_at: datetime | None = truth.received_at + timedelta(days=days)
        end_status = "exported"
        if roll < 0.015:  # stuck in the office
            ordered_at, end_status = None, rng.choice(("routed", "sachlich_richtig"))
        elif roll < 0.03:
            ordered_at, end_status = None, rng.choice(("rejected", "returned_to_supplier"))
        assert ordered_at is None or ordered_at > truth.received_at
        if ordered_at is not None and ordered_at > self.now:
            ordered_at, end_status = (
                None,
                rng.choice(("routed", "sachlich_richtig", "rechnerisch_richtig")),
            )
        exported_at = ordered_at + timedelta(hours=20) if ordered_at is not None else None
        if exported_at is not None and exported_at > self.now:
            end_status = "angeordnet"
            exported_at = None
        elif ordered_at is not None:
            end_status = "exported"
        events = self._events(truth, department, ordered_at, exported_at, end_status)
        self.rows["workflows"].append(
            {
                "invoice_id": truth.invoice_id,
                "status": end_status,
                "department": department,
                "amount": truth.amount,
                "currency": "EUR",
                "sachlich_by": None,
                "rechnerisch_by": None,
                "ordered_by": None,
                "ordered_for": None,
                "received_on": received_local,
                "due_date": due,
                "due_source": "payment_terms",
                "skonto_deadline": offers[0][0] if offers else None,
                "skonto_discount": offers[0][1] if offers else None,
                "audit_head": HASH,
                "audit_count": events,
                "version": 1,
                "created_at": truth.received_at,
                "updated_at": truth.received_at,
            }
        )
        self._deadline(truth.invoice_id, "due", 0, due, None)
        for position, (deadline, discount) in enumerate(offers):
            self._deadline(truth.invoice_id, "skonto", position, deadline, discount)
        if exported_at is not None:
            self._export(truth.invoice_id, exported_at)
        truth.department = department
        truth.status = end_status
        truth.due_date = due
        truth.ordered_at = ordered_at
        truth.skonto = offers

    def _events(
        self,
        truth: Truth,
        department: str,
        ordered_at: datetime | None,
        exported_at: datetime | None,
        end_status: str,
    ) -> int:
        start = truth.received_at
        steps: list[tuple[str, str | None, str, datetime]] = [
            ("validate", "received", "validated", start + timedelta(minutes=1)),
            ("route", "validated", "routed", start + timedelta(minutes=2)),
        ]
        if ordered_at is not None:
            gap = (ordered_at - start) / 3
            steps += [
                ("confirm_sachlich", "routed", "sachlich_richtig", start + gap),
                ("confirm_rechnerisch", "sachlich_richtig", "rechnerisch_richtig", start + 2 * gap),
                ("order", "rechnerisch_richtig", "angeordnet", ordered_at),
            ]
            if exported_at is not None:
                steps.append(("export", "angeordnet", "exported", exported_at))
        elif end_status in ("sachlich_richtig", "rechnerisch_richtig"):
            steps.append(
                ("confirm_sachlich", "routed", "sachlich_richtig", start + timedelta(days=1))
            )
            if end_status == "rechnerisch_richtig":
                steps.append(
                    (
                        "confirm_rechnerisch",
                        "sachlich_richtig",
                        "rechnerisch_richtig",
                        start + timedelta(days=1, hours=2),
                    )
                )
        elif end_status in ("rejected", "returned_to_supplier"):
            action = "reject" if end_status == "rejected" else "return_to_supplier"
            steps.append((action, "routed", end_status, start + timedelta(days=2)))
        for sequence, (action, before, after, at) in enumerate(steps):
            self.rows["audit_events"].append(
                {
                    "id": self.next_id("audit"),
                    "invoice_id": truth.invoice_id,
                    "sequence": sequence,
                    "action": action,
                    "actor": "system",
                    "at": at,
                    "from_state": before,
                    "to_state": after,
                    "reason": None,
                    "department": department,
                    "acting_for": None,
                    "details": {},
                    "previous_hash": HASH,
                    "hash": HASH,
                }
            )
        return len(steps)

    def _deadline(
        self, invoice_id: int, kind: str, position: int, on: date, discount: Decimal | None
    ) -> None:
        self.rows["deadlines"].append(
            {
                "id": self.next_id("deadline"),
                "invoice_id": invoice_id,
                "kind": kind,
                "position": position,
                "due_on": on,
                "nominal": on,
                "source": kind,
                "days": 10 if kind == "skonto" else None,
                "percent": Decimal(2) if kind == "skonto" else None,
                "base_amount": None,
                "discount": discount,
                "amount_to_pay": None,
            }
        )

    def _export(self, invoice_id: int, at: datetime) -> None:
        day = at.astimezone(ZONE).date()
        batch = self.batches.get(day)
        if batch is None:
            batch = f"batch-{day.isoformat()}"
            self.batches[day] = batch
            sha = f"{0xB000000 + len(self.batches):064x}"
            self.rows["blobs"].append({"sha256": sha, "size": 1, "stored_at": at})
            self.rows["export_batches"].append(
                {
                    "id": batch,
                    "format": "csv",
                    "created_at": at,
                    "count": 0,
                    "total": Decimal(0),
                    "filename": f"{batch}.csv",
                    "sha256": sha,
                }
            )
        self.rows["exports"].append(
            {
                "id": self.next_id("export"),
                "invoice_id": invoice_id,
                "batch_id": batch,
                "exported_at": at,
            }
        )


def generate(seed: int = 2026, invoices: int = 36_000, today: date = TODAY) -> CityYear:
    """About ``invoices`` documents over 54 weeks ending today (two weeks before the window)."""
    builder = _Builder(seed, invoices, today)
    weeks = 54
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    # volume grows as offices go live: weight each week by the live offices' volumes
    weights = [
        sum(v for v, start in OFFICES.values() if start <= max(0, w - 2)) for w in range(weeks)
    ]
    scale = invoices / sum(weights)
    for w in range(weeks):
        monday = first_monday + timedelta(weeks=w)
        count = round(weights[w] * scale)
        for at in sorted(builder.receipt(monday) for _ in range(count)):
            if at <= builder.now:
                builder.document(at, max(0, w - 2), weeks - 2)
    return CityYear(today, builder.truths, builder.rows, builder.ignored)


INSERT_ORDER = (
    ("blobs", Blob),
    ("messages", Message),
    ("documents", Document),
    ("invoices", Invoice),
    ("findings", FindingRow),
    ("workflows", Workflow),
    ("audit_events", AuditEventRow),
    ("deadlines", DeadlineRow),
    ("export_batches", ExportBatch),
    ("exports", ExportRecord),
)


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def insert_rows(engine: Engine, year: CityYear, chunk: int = 5000) -> dict[str, int]:
    """Bulk-insert the generated rows (Core executemany, one transaction); counts per table."""
    counts = {}
    with engine.begin() as connection:
        for name, model in INSERT_ORDER:
            rows = year.rows[name]
            for part in _chunks(rows, chunk):
                connection.execute(insert(model), part)
            counts[name] = len(rows)
        if engine.dialect.name == "postgresql":
            _reset_sequences(connection)
    return counts


def _reset_sequences(connection: Any) -> None:
    from sqlalchemy import text

    for table in (
        "messages",
        "documents",
        "invoices",
        "findings",
        "audit_events",
        "deadlines",
        "exports",
    ):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )
        )
