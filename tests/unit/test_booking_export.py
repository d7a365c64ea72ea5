"""Booking records for the HKR and the CSV / JSON files they are written to."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from einvoice.domain.booking import BOOKING_TEXT_LENGTH, booking_record
from einvoice.export.hkr import ExportFormatError, write_bookings
from einvoice.formats.extract import extract
from einvoice.samplegen.cii import to_cii
from einvoice.samplegen.spec import example
from einvoice.samplegen.ubl import to_ubl

AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _record(data: bytes, **changes: object):  # type: ignore[no-untyped-def]
    inv = extract(data, "r.xml")
    return booking_record(
        inv,
        invoice_id=7,
        department="amt-10",
        department_cost_centres=("1000", "1010"),
        due_date=date(2026, 12, 1),
        skonto=(date(2026, 11, 30), Decimal("11.21"), Decimal("549.04")),
        original_sha256="ab" * 32,
        ordered_by="a10.schmitt",
        **changes,  # type: ignore[arg-type]
    )


def test_record_from_an_invoice() -> None:
    sample = example(n_lines=5, seed=0)
    record = _record(to_ubl(sample))
    assert record.invoice_number == sample.number
    assert record.creditor_name == "Bürobedarf Hansen GmbH"
    assert record.creditor_id == sample.seller.vat_id
    assert record.iban == sample.iban and record.bic == sample.bic
    assert record.amount == sample.payable_amount
    assert record.cost_centre == "1000"  # no BT-19 in the invoice
    assert record.leitweg_id == sample.buyer_reference
    assert record.remittance_information == sample.number
    assert record.booking_text.startswith(f"Rechnung {sample.number} vom 14.03.2025")
    assert len(record.booking_text) <= BOOKING_TEXT_LENGTH


def test_credit_note_is_a_negative_booking() -> None:
    sample = dataclasses.replace(example(n_lines=2, seed=13), type_code="381", skonto=())
    record = _record(to_cii(sample))
    assert record.amount == -sample.payable_amount
    assert record.booking_text.startswith("Gutschrift ")


def test_csv_and_json_files() -> None:
    record = _record(to_ubl(example(n_lines=2, seed=1)))
    odd = dataclasses.replace(record, creditor_name='Müller; "Söhne"', iban=None)
    text = write_bookings([record, odd], "csv", "b-1", AT).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["betrag"] == format(record.amount.quantize(Decimal("0.01")), "f")
    assert rows[0]["faellig_am"] == "2026-12-01" and rows[0]["skonto_betrag"] == "11.21"
    assert rows[1]["kreditor_name"] == 'Müller; "Söhne"' and rows[1]["iban"] == ""
    document = json.loads(write_bookings([record], "json", "b-1", AT))
    assert (document["batch"], document["count"]) == ("b-1", 1)
    assert document["records"][0]["original_sha256"] == "ab" * 32
    assert isinstance(document["records"][0]["betrag"], str)  # never a binary float
    with pytest.raises(ExportFormatError):
        write_bookings([record], "xlsx", "b-1", AT)
