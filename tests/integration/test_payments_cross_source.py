"""The same payment read from the cash office's CSV and from the bank's camt (SQLite and
PostgreSQL): the second file recognises it as the same payment (no second 'paid' booking, no
second partial payment, nothing left open for a person), while two real payments of equal
amount on the same day to the same creditor stay two."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from einvoice.bootstrap import Container
from einvoice.domain.payment_order_number import order_number
from einvoice.samplegen.payments import SamplePayment, camt, payment_csv
from einvoice.services import payments, workflow
from einvoice.storage.payment_tables import InvoicePaymentRow, PaidInvoiceRow, PaymentRow
from tests.integration.payment_setup import (
    CITY_ACCOUNT,
    KB,
    KB2,
    SETTINGS,
    Ordered,
    accountants,
    ordered,
)
from tests.integration.workflow_setup import setup

BOOKED = date(2025, 3, 25)


def _pay(o: Ordered, amount: Decimal, ref: str, on: date = BOOKED) -> SamplePayment:
    return SamplePayment(
        amount, on, f"{order_number(o.invoice_id)} Rechnung", ref, o.iban, o.seller
    )


def _paid_sum(pipeline: object, invoice_id: int) -> Decimal:
    with pipeline.sessions() as session:  # type: ignore[attr-defined]
        total = session.scalar(
            select(func.sum(InvoicePaymentRow.amount)).where(
                InvoicePaymentRow.invoice_id == invoice_id
            )
        )
        return Decimal(total or 0)


def _count(pipeline: object, table: type) -> int:
    with pipeline.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("csv_first", [True, False], ids=["kasse-dann-bank", "bank-dann-kasse"])
def test_the_same_payment_from_cash_office_and_bank_is_one(
    container: Container, csv_first: bool
) -> None:
    s = setup(container)
    p = s.pipeline
    accountants(p)
    o = ordered(p, 1)
    cash = payment_csv([_pay(o, o.amount - o.skonto, "KASSE-77")])
    # the bank books it the next day, under its own reference
    bank = camt(CITY_ACCOUNT, [_pay(o, o.amount - o.skonto, "BANK-4711", BOOKED + timedelta(1))])
    files = [(cash, "kasse.csv"), (bank, "avis.xml")]
    if not csv_first:
        files.reverse()
    first = payments.import_file(p, files[0][0], files[0][1], KB, SETTINGS)
    assert (first.paid, first.open, first.known) == (1, 0, 0)
    second = payments.import_file(p, files[1][0], files[1][1], KB2, SETTINGS)
    assert (second.entries, second.paid, second.open, second.known) == (1, 0, 0, 1)
    assert "dieselbe Zahlung" in second.summary_de
    assert payments.open_payments(p) == []
    assert _count(p, PaidInvoiceRow) == 1
    assert _paid_sum(p, o.invoice_id) == o.amount - o.skonto  # not twice
    history = [e.action for e in workflow.history(p, o.invoice_id)]
    assert history.count("paid") == 1
    # both files are on record: the second names the first
    _, shown = payments.payments_of_invoice(p, o.invoice_id)
    assert len(shown) == 2
    twin = next(v for v in shown if v.state == "same")
    assert twin.same_as == next(v.id for v in shown if v.state == "matched")
    assert files[0][1] in twin.reason_de
    # the statement of the day with the bank's booking again: known by its reference
    statement = camt(
        CITY_ACCOUNT,
        [_pay(o, o.amount - o.skonto, "BANK-4711", BOOKED + timedelta(1))],
        kind="camt.053",
        message_id="STMT-1",
    )
    later = payments.import_file(p, statement, "auszug.xml", KB, SETTINGS)
    assert (later.known, later.paid, later.open) == (1, 0, 0)
    assert _count(p, PaymentRow) == 2
    assert workflow.verify_audit(p).ok


def test_a_partial_payment_decided_once_is_not_counted_again_from_the_bank(
    container: Container,
) -> None:
    s = setup(container)
    p = s.pipeline
    accountants(p)
    o = ordered(p, 2)
    part = Decimal("10.00")
    payments.import_file(p, payment_csv([_pay(o, part, "KASSE-1")]), "kasse.csv", KB, SETTINGS)
    (waiting,) = payments.open_payments(p)
    payments.decide(p, waiting.id, "teilzahlung", KB2, note="Rest folgt")
    result = payments.import_file(
        p, camt(CITY_ACCOUNT, [_pay(o, part, "BANK-1")]), "avis.xml", KB, SETTINGS
    )
    assert (result.open, result.known) == (0, 1)
    assert payments.open_payments(p) == []
    assert _paid_sum(p, o.invoice_id) == part


def test_two_real_payments_of_equal_amount_on_one_day_stay_two(container: Container) -> None:
    s = setup(container)
    p = s.pipeline
    accountants(p)
    o = ordered(p, 3)
    half = (o.amount / 2).quantize(Decimal("0.01"))
    made = [_pay(o, half, "KASSE-1"), _pay(o, half, "KASSE-2")]
    payments.import_file(p, payment_csv(made), "kasse.csv", KB, SETTINGS)
    assert len(payments.open_payments(p)) == 2  # two partial payments, for a person
    # the bank's notice of the first only; the second one follows the next day
    one = camt(CITY_ACCOUNT, [_pay(o, half, "BANK-1")], message_id="M1")
    assert payments.import_file(p, one, "avis-1.xml", KB, SETTINGS).known == 1
    two = camt(CITY_ACCOUNT, [_pay(o, half, "BANK-2")], message_id="M2")
    assert payments.import_file(p, two, "avis-2.xml", KB, SETTINGS).known == 1
    # a third payment of that amount the cash office never listed: a payment of its own
    three = camt(CITY_ACCOUNT, [_pay(o, half, "BANK-3")], message_id="M3")
    result = payments.import_file(p, three, "avis-3.xml", KB, SETTINGS)
    assert (result.known, result.open) == (0, 1)
    assert len(payments.open_payments(p)) == 3
