"""Booking records -> the export file for the budget and cash system (HKR).

Two formats, the same columns (``einvoice.domain.booking.FIELDS``):

* **CSV**: UTF-8 without BOM, ``;`` as separator, a header line, dates ISO 8601
  (``2026-11-30``), amounts with a decimal point and two decimals
  (``1234.50``; negative for credit notes), empty cells for missing values.
* **JSON**: ``{"batch": ..., "created_at": ..., "count": n, "records": [...]}``
  with the same keys and the amounts as strings (never binary floats).

Issue 24 appends columns (``LINE_FIELDS``: Anordnungsnummer, Buchungsstelle,
Haushaltsjahr, net / VAT) after the earlier ones and writes one CSV row per
booking line (split) of the Kontierung; ``betrag`` is then the line's amount
and ``rechnungsbetrag`` the invoice's. JSON keeps one record per invoice with
``anordnungsnummer`` and a list ``buchungen`` (one object per booking line).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime

from einvoice.domain.booking import FIELDS, LINE_FIELDS, BookingRecord, as_fields, rows
from einvoice.errors import PermanentError

FORMATS = ("csv", "json")


class ExportFormatError(PermanentError):
    """An unknown export format was asked for."""


def write_bookings(
    records: Sequence[BookingRecord], fmt: str, batch_id: str, created_at: datetime
) -> bytes:
    """The export file of a batch in ``fmt`` (``csv`` or ``json``)."""
    if fmt == "csv":
        return _csv(records)
    if fmt == "json":
        return _json(records, batch_id, created_at)
    raise ExportFormatError(f"Unbekanntes Exportformat {fmt!r}: möglich sind {', '.join(FORMATS)}.")


def _csv(records: Sequence[BookingRecord]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    columns = [column for column, _ in FIELDS] + [c for c in LINE_FIELDS if c != "kostenstelle"]
    writer.writerow(columns)
    for record in records:
        for values in rows(record):
            writer.writerow(["" if values.get(c) is None else values[c] for c in columns])
    return out.getvalue().encode("utf-8")


def _json(records: Sequence[BookingRecord], batch_id: str, created_at: datetime) -> bytes:
    document = {
        "batch": batch_id,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="seconds"),
        "count": len(records),
        "records": [_json_record(r) for r in records],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_record(record: BookingRecord) -> dict[str, object]:
    out: dict[str, object] = dict(as_fields(record))
    out["anordnungsnummer"] = record.order_number
    out["buchungen"] = [
        {
            key: line[key]
            for key in (
                "buchung",
                "buchungsstelle",
                "produkt",
                "sachkonto",
                "kostenstelle",
                "auftrag",
                "haushaltsjahr",
                "betrag",
                "netto",
                "umsatzsteuer",
                "vorsteuerabzug",
            )
        }
        for line in (rows(record) if record.lines else [])
    ]
    return out
