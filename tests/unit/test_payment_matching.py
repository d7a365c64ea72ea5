"""Payment matching, the CSV and camt readers (issue 24): pure, no database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from einvoice.domain.payment_matching import (
    OrderedInvoice,
    Outcome,
    PaymentEntry,
    SkontoOffer,
    match,
    proposal,
)
from einvoice.formats.camt import read_camt
from einvoice.formats.payment_csv import parse_amount, read_csv
from einvoice.formats.payment_files import CsvLayout, PaymentFileError
from einvoice.samplegen.payments import SamplePayment, camt, payment_csv

CITY = "DE98820510000163000080"
DAY = date(2026, 12, 4)


def _entry(amount: str, text: str = "AO-0000007", on: date = DAY, **kw: object) -> PaymentEntry:
    return PaymentEntry(
        key="k",
        line=2,
        booked_on=on,
        amount=Decimal(amount),
        currency="EUR",
        remittance=text,
        order_text=text,
        order_column="Verwendungszweck",
        **kw,  # type: ignore[arg-type]
    )


ORDER = OrderedInvoice(
    7,
    Decimal("1190.00"),
    "EUR",
    skonto=(SkontoOffer(DAY, Decimal("23.80"), Decimal("1166.20")),),
    ibans=("DE29050000000012345678",),
    creditor_name="Bürobedarf Müller GmbH",
    ordered_on=DAY - timedelta(days=5),
)


def test_amount_due_and_skonto_within_the_offer_pay() -> None:
    assert match(_entry("1190.00"), {7: ORDER}).outcome is Outcome.PAID
    skonto = match(_entry("1166.20"), {7: ORDER})
    assert skonto.paid and skonto.settles[0].skonto == Decimal("23.80")
    assert match(_entry("1170.00"), {7: ORDER}).settles[0].skonto == Decimal("20.00")


def test_anything_else_waits_for_a_person() -> None:
    assert match(_entry("1166.19"), {7: ORDER}).outcome is Outcome.PARTIAL  # more than Skonto
    late = match(_entry("1166.20", on=DAY + timedelta(days=1)), {7: ORDER})
    assert late.outcome is Outcome.DIFFERENT and "abgelaufen" in late.reason_de
    assert match(_entry("1190.01"), {7: ORDER}).outcome is Outcome.DIFFERENT
    assert match(_entry("1190.00", text="Miete"), {7: ORDER}).outcome is Outcome.NO_ORDER
    unknown = match(_entry("1190.00", text="AO-0000008"), {7: ORDER})
    assert unknown.outcome is Outcome.UNKNOWN_ORDER and "AO-0000008" in unknown.reason_de
    paid = OrderedInvoice(7, Decimal("1190.00"), "EUR", paid_on=DAY)
    assert match(_entry("1190.00"), {7: paid}).outcome is Outcome.ALREADY_PAID


def test_a_collective_payment_pays_when_the_sum_is_exact() -> None:
    other = OrderedInvoice(9, Decimal("10.00"), "EUR")
    both = match(_entry("1200.00", text="AO 0000007, AO0000009"), {7: ORDER, 9: other})
    assert both.paid and [s.invoice_id for s in both.settles] == [7, 9]
    assert match(_entry("1199.00", text="AO-7 AO-9"), {7: ORDER, 9: other}).outcome is (
        Outcome.SEVERAL
    )


def test_proposal_needs_creditor_amount_and_date() -> None:
    by_iban = _entry("1166.20", text="Rechnung 4711", creditor_iban="DE29050000000012345678")
    assert proposal(by_iban, [ORDER]) == ORDER
    by_name = _entry("1190.00", text="x", creditor_name="BÜROBEDARF MÜLLER GMBH")
    assert proposal(by_name, [ORDER]) == ORDER
    assert (
        proposal(_entry("1190.00", text="x", creditor_iban="DE89370400440532013000"), [ORDER])
        is None
    )
    too_late = _entry(
        "1190.00", text="x", on=DAY + timedelta(days=200), creditor_name="Bürobedarf Müller"
    )
    assert proposal(too_late, [ORDER]) is None
    twin = OrderedInvoice(8, ORDER.amount_due, "EUR", ibans=ORDER.ibans)
    assert proposal(by_iban, [ORDER, twin]) == ORDER  # the twin offers no Skonto
    assert (
        proposal(_entry("1190.00", text="x", creditor_iban=ORDER.ibans[0]), [ORDER, twin]) is None
    )


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=400, deadline=None)
@given(
    due=money,
    percent=st.sampled_from([Decimal(0), Decimal(2), Decimal(3)]),
    paid=money,
    days=st.integers(-5, 5),
    so_far=st.sampled_from([Decimal(0), Decimal("1.00")]),
)
def test_never_paid_with_a_different_amount(
    due: Decimal, percent: Decimal, paid: Decimal, days: int, so_far: Decimal
) -> None:
    """Property: a match pays only the amount still due, less at most the Skonto offered for
    the day of payment; everything else is left for a person."""
    discount = (due * percent / 100).quantize(Decimal("0.01"))
    offers = (SkontoOffer(DAY, discount, due - discount),) if discount else ()
    order = OrderedInvoice(7, due, "EUR", skonto=offers, paid_so_far=so_far)
    for amount in (paid, due - so_far, due - discount, due - so_far + Decimal("0.01")):
        if amount <= 0:
            continue
        found = match(_entry(str(amount), on=DAY + timedelta(days=days)), {7: order})
        if found.paid:
            (settled,) = found.settles
            assert settled.amount == amount
            assert settled.amount + settled.skonto == due - so_far
            allowed = discount if days <= 0 and so_far == 0 else Decimal(0)
            assert Decimal(0) <= settled.skonto <= allowed
        else:
            assert found.settles == ()


def test_german_amounts() -> None:
    assert parse_amount("1.234,56") == Decimal("1234.56")
    assert parse_amount("1234,5") == Decimal("1234.5")
    assert parse_amount("12") == Decimal(12)
    for wrong in ("1,234.56", "12.34", "1.23,4", "abc", "1.2345,00", ""):
        assert parse_amount(wrong) is None, wrong
    assert parse_amount("1,234.56", ".") == Decimal("1234.56")


def test_csv_reports_every_wrong_cell() -> None:
    data = (
        b"Buchungsreferenz;Anordnungsnummer;Zahlungsdatum;Betrag\n"
        b"R1;AO-0000007;04.12.2026;1.190,00\n"
        b"R2;AO-0000008;2026-12-04;1.190,00\n"
        b"R3;Rechnung 12;04.12.2026;-5,00\n"
    )
    with pytest.raises(PaymentFileError) as wrong:
        read_csv(data, "kasse.csv", CsvLayout())
    lines = str(wrong.value).splitlines()
    assert "kasse.csv, Zeile 3, Spalte „Zahlungsdatum“: „2026-12-04“ ist kein Datum" in lines[1]
    assert any("Zeile 4, Spalte „Betrag“" in line for line in lines)
    assert any("Zeile 4, Spalte „Anordnungsnummer“" in line for line in lines)
    missing = b"Datum;Summe\n1;2\n"
    with pytest.raises(PaymentFileError, match="„Betrag“, „Zahlungsdatum“"):
        read_csv(missing, "kasse.csv", CsvLayout())


def test_csv_round_trip_and_configured_columns() -> None:
    payments = [SamplePayment(Decimal("1234.56"), DAY, "AO-0000007", "R-1", order="AO-0000007")]
    (entry,) = read_csv(payment_csv(payments), "k.csv", CsvLayout())
    assert (entry.amount, entry.booked_on, entry.orders, entry.key) == (
        Decimal("1234.56"),
        DAY,
        (7,),
        "csv:R-1",
    )
    layout = CsvLayout(
        columns={
            "betrag": "Zahlbetrag",
            "zahlungsdatum": "Valuta",
            "verwendungszweck": "Text",
            "anordnungsnummer": "AO",
        },
        delimiter=",",
        decimal=".",
        date_format="JJJJ-MM-TT",
    )
    (other,) = read_csv(
        b'Valuta,Zahlbetrag,Text\n2026-12-04,"1,234.56",AO-0000007 x\n', "k.csv", layout
    )
    assert (other.amount, other.orders) == (Decimal("1234.56"), (7,))


def test_camt_reads_debits_and_refuses_other_accounts_and_bad_sums() -> None:
    payments = [
        SamplePayment(
            Decimal("1166.20"), DAY, "AO-0000007 R-1", "B-1", "DE29050000000012345678", "Müller"
        ),
        SamplePayment(Decimal("10.00"), DAY, "Gebühr", "B-2"),
    ]
    read = read_camt(camt(CITY, payments), "avis.xml", frozenset({CITY}))
    assert read.kind == "camt.054" and read.accounts == (CITY,)
    first, second = read.entries
    assert (first.amount, first.orders, first.creditor_iban, first.creditor_name) == (
        Decimal("1166.20"),
        (7,),
        "DE29050000000012345678",
        "Müller",
    )
    assert first.key == f"camt:{CITY}:B-1" and second.orders == ()
    statement = read_camt(camt(CITY, payments, kind="camt.053"), "auszug.xml", frozenset({CITY}))
    assert [e.key for e in statement.entries] == [e.key for e in read.entries]
    with pytest.raises(PaymentFileError, match="keines der Konten der Stadt"):
        read_camt(camt(CITY, payments), "avis.xml", frozenset({"DE70820510000163000099"}))
    broken = camt(CITY, payments).replace(b"<Sum>1176.20</Sum>", b"<Sum>1176.21</Sum>")
    with pytest.raises(PaymentFileError, match="Beträge passen nicht zusammen"):
        read_camt(broken, "avis.xml", frozenset({CITY}))
    bad_amount = camt(CITY, payments).replace(b">10.00</Amt>", b">10,00</Amt>", 1)
    with pytest.raises(PaymentFileError) as wrong:
        read_camt(bad_amount, "avis.xml", frozenset({CITY}))
    assert "avis.xml, Zeile" in str(wrong.value) and "„10,00“ ist kein Betrag" in str(wrong.value)


def test_camt_refuses_entities_and_dtds() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&a;</Document>'
    )
    with pytest.raises(PaymentFileError, match="DTD"):
        read_camt(bomb, "bombe.xml", frozenset({CITY}))


def test_payment_figures_per_month_and_office() -> None:
    from einvoice.domain.payment_figures import PaidRecord, payment_report

    def paid(i: int, dept: str, received: date, days: int, due: int | None, offered: str,
             taken: str) -> PaidRecord:  # fmt: skip
        return PaidRecord(
            i, dept, received, received + timedelta(days=days),
            received + timedelta(days=due) if due is not None else None,
            Decimal(100), Decimal(offered), Decimal(taken),
        )  # fmt: skip

    records = [
        paid(1, "amt-10", date(2026, 10, 30), 10, 14, "2.00", "2.00"),  # Skonto taken, on time
        paid(2, "amt-10", date(2026, 11, 2), 31, 30, "3.00", "0"),  # Skonto lost, late, > 30
        paid(3, "amt-20", date(2026, 11, 3), 20, None, "0", "0"),  # no term: 30 days count
        paid(4, "amt-20", date(2026, 11, 4), 35, 40, "1.50", "0"),  # in term, not in 30 days
    ]
    report = payment_report(records, {"amt-10": "Hauptamt"})
    total = report.total
    assert (total.paid, total.skonto_offered, total.skonto_realised, total.skonto_lost) == (
        4,
        Decimal("6.50"),
        Decimal("2.00"),
        Decimal("4.50"),
    )
    assert (total.within_30, total.within_term) == (2, 3)
    assert total.median_days == 25.5 and total.share_30_text == "50,0 %"
    assert [m.label for m in report.by_month] == ["November 2026", "Dezember 2026"]
    assert [(m.paid, m.skonto_realised) for m in report.by_month] == [
        (2, Decimal("2.00")), (2, Decimal(0))
    ]  # fmt: skip
    assert [(o.label, o.paid, o.share_term_text) for o in report.by_office] == [
        ("Hauptamt", 2, "50,0 %"), ("amt-20", 2, "100,0 %")
    ]  # fmt: skip
