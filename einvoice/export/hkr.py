"""Booking records -> the export file for the budget and cash system (HKR).

Two formats, the same columns (``einvoice.domain.booking.FIELDS``):

* **CSV**: UTF-8 without BOM, ``;`` as separator, a header line, dates ISO 8601
  (``2026-11-30``), amounts with a decimal point and two decimals
  (``1234.50``; negative for credit notes), empty cells for missing values.
* **JSON**: ``{"batch": ..., "created_at": ..., "count": n, "records": [...]}``
  with the same keys and the amounts as strings (never binary floats).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime

from einvoice.domain.booking import FIELDS, BookingRecord, as_fields
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
    writer.writerow([column for column, _ in FIELDS])
    for record in records:
        values = as_fields(record)
        writer.writerow(["" if values[c] is None else values[c] for c, _ in FIELDS])
    return out.getvalue().encode("utf-8")


def _json(records: Sequence[BookingRecord], batch_id: str, created_at: datetime) -> bytes:
    document = {
        "batch": batch_id,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="seconds"),
        "count": len(records),
        "records": [as_fields(r) for r in records],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
