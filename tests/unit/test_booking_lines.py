"""The HKR export with a Kontierung (issue 24): one CSV row per booking line, the earlier
columns unchanged in place, the rows adding up to what is paid; JSON one record with its
``buchungen``."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from einvoice.domain.booking import FIELDS, BookingLine, booking_record
from einvoice.export.hkr import write_bookings
from einvoice.formats.extract import extract
from einvoice.samplegen.spec import example
from einvoice.samplegen.ubl import to_ubl

AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _record(lines: tuple[BookingLine, ...]):  # type: ignore[no-untyped-def]
    inv = extract(to_ubl(example(n_lines=3, seed=4)), "r.xml")
    return booking_record(
        inv,
        invoice_id=7,
        department="amt-10",
        department_cost_centres=("1000",),
        due_date=date(2026, 12, 1),
        skonto=(date(2026, 11, 30), Decimal("11.21"), Decimal("549.04")),
        original_sha256="ab" * 32,
        ordered_by="a10.schmitt",
        order_number="AO-0000007",
        lines=lines,
    )


def test_one_row_per_booking_line_and_the_old_columns_in_place() -> None:
    plain = _record(())
    due = plain.amount
    first = (due * Decimal("0.6")).quantize(Decimal("0.01"))
    lines = (
        BookingLine("11.1.01.01", "5431000", "1000", "", 2026, first, first, Decimal(0), False),
        BookingLine(
            "57.3.01.01", "5211000", "6510", "I-0815", 2026, due - first,
            Decimal("10.00"), due - first - Decimal("10.00"), True,
        ),
    )  # fmt: skip
    record = _record(lines)
    text = write_bookings([record], "csv", "b", AT).decode()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    header = text.splitlines()[0].split(";")
    assert header[: len(FIELDS)] == [column for column, _ in FIELDS]  # readers by position
    assert len(rows) == 2 and [r["buchung"] for r in rows] == ["1/2", "2/2"]
    assert sum(Decimal(r["betrag"]) for r in rows) == due
    assert {r["rechnungsbetrag"] for r in rows} == {f"{due:.2f}"}
    assert [r["kostenstelle"] for r in rows] == ["1000", "6510"]
    assert rows[1]["buchungsstelle"] == "57.3.01.01/5211000/6510/I-0815"
    assert (rows[0]["netto"], rows[0]["vorsteuerabzug"]) == ("", "nein")  # booked gross
    assert rows[1]["vorsteuerabzug"] == "ja" and rows[1]["netto"] == "10.00"
    assert rows[0]["skonto_betrag"] == "11.21" and rows[1]["skonto_betrag"] == ""
    document = json.loads(write_bookings([record], "json", "b", AT))
    (entry,) = document["records"]
    assert entry["anordnungsnummer"] == "AO-0000007" and entry["betrag"] == f"{due:.2f}"
    assert [b["buchungsstelle"] for b in entry["buchungen"]] == [
        "11.1.01.01/5431000/1000",
        "57.3.01.01/5211000/6510/I-0815",
    ]
    # without a Kontierung: one row as before, with the order number
    (only,) = list(
        csv.DictReader(io.StringIO(write_bookings([plain], "csv", "b", AT).decode()), delimiter=";")
    )
    assert only["betrag"] == f"{due:.2f}" and only["anordnungsnummer"] == "AO-0000007"
    assert only["buchungsstelle"] == "" and only["kostenstelle"] == "1000"
