"""The payment comes back (issue 24) on a real database (SQLite and PostgreSQL): camt.054 and
the cash system's CSV mark ordered invoices paid, twice is once, bad files are refused whole,
what does not fit waits for creditor accounting, whose decisions are audited."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from einvoice.bootstrap import Container
from einvoice.domain.payment_order_number import order_number
from einvoice.formats.payment_files import PaymentFileError
from einvoice.samplegen.payments import SamplePayment, camt, payment_csv
from einvoice.services import decision_paper, master_data, payments, workflow
from einvoice.services.demo_portfolio import seed_portfolio
from einvoice.services.payment_status import paid_in
from einvoice.services.queues import supplier_status
from einvoice.services.workflow_base import Refused
from einvoice.storage.payment_tables import (
    InvoicePaymentRow,
    PaidInvoiceRow,
    PaymentFileRow,
    PaymentRow,
)
from einvoice.storage.tables import Workflow
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

BOOKED = date(2025, 3, 25)  # within the Skonto period of the invoices (issued 15.03.)


def _pay(
    o: Ordered, amount: Decimal, ref: str, *, on: date = BOOKED, text: str = ""
) -> SamplePayment:
    remittance = text or f"{order_number(o.invoice_id)} Rechnung vom 15.03.2025"
    return SamplePayment(amount, on, remittance, ref, o.iban, o.seller)


def _count(pipeline: object, table: type) -> int:
    with pipeline.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_camt054_pays_with_skonto_and_twice_is_once(container: Container) -> None:
    s = setup(container)
    p = s.pipeline
    accountants(p)
    first, second = ordered(p, 1), ordered(p, 2)
    data = camt(
        CITY_ACCOUNT,
        [
            _pay(first, first.amount - first.skonto, "BANK-1"),  # Skonto within the offer
            _pay(second, second.amount, "BANK-2"),  # in full
        ],
    )
    result = payments.import_file(p, data, "avis.xml", KB, SETTINGS)
    assert (result.kind, result.entries, result.paid, result.open) == ("camt.054", 2, 2, 0)
    with p.sessions() as session:
        paid = paid_in(session, first.invoice_id)
        assert paid is not None
        assert (paid.paid_on, paid.amount, paid.skonto) == (
            BOOKED,
            first.amount - first.skonto,
            first.skonto,
        )
        skonto_text = f"{first.skonto:.2f}".replace(".", ",")
        assert paid.label_de == f"bezahlt am 25.03.2025 ({skonto_text} € Skonto genutzt)"
    label, _ = supplier_status(p, first.invoice_id) or ("", None)
    assert label == f"Bezahlt am 25.03.2025 ({skonto_text} € Skonto genutzt)"
    # the decision paper's payment figures (its own section and tables; the pilot's section
    # shows with a portfolio that holds the pilot project)
    seed_portfolio(p.sessions, BOOKED)
    paper = decision_paper.render(decision_paper.paper_data(p, BOOKED), "html").decode()
    section = paper.split("Zahlungen (aus den Rückmeldungen der Kasse und der Bank)", 1)[1]
    assert f"{skonto_text} € Skonto realisiert" in section.replace("\xa0", " ")
    assert "Je Monat der Zahlung" in section and "März 2025" in section
    history = workflow.history(p, first.invoice_id)
    assert history[-1].action == "paid" and history[-1].actor == "system"
    assert workflow.verify_audit(p).ok

    # the same file again: nothing changes
    tables = (PaymentFileRow, PaymentRow, PaidInvoiceRow)
    before = [_count(p, t) for t in tables]
    again = payments.import_file(p, data, "avis-kopie.xml", KB2, SETTINGS)
    assert again.already_imported and "nichts geändert" in again.summary_de
    assert [_count(p, t) for t in tables] == before
    # the statement of the day carries the same bookings: known, not paid twice
    statement = camt(
        CITY_ACCOUNT,
        [_pay(first, first.amount - first.skonto, "BANK-1"), _pay(second, second.amount, "BANK-2")],
        kind="camt.053",
        message_id="STMT-1",
    )
    later = payments.import_file(p, statement, "auszug.xml", KB, SETTINGS)
    assert (later.kind, later.known, later.paid, later.open) == ("camt.053", 2, 0, 0)
    assert _count(p, PaidInvoiceRow) == 2 and _count(p, PaymentRow) == 2


def test_a_bad_file_is_refused_whole_with_line_and_column(container: Container) -> None:
    s = setup(container)
    p = s.pipeline
    accountants(p)
    o = ordered(p, 1)
    good = f"CASH-1;{order_number(o.invoice_id)};25.03.2025;{o.amount:.2f};EUR;;;".replace(".", ",")
    csv = (
        "Buchungsreferenz;Anordnungsnummer;Zahlungsdatum;Betrag;Währung;IBAN;Empfänger;"
        f"Verwendungszweck\n{good}\nCASH-2;AO-0000001;25.03.2025;12.5x;EUR;;;\n"
    ).encode()
    with pytest.raises(PaymentFileError) as wrong:
        payments.import_file(p, csv, "kasse.csv", KB, SETTINGS)
    assert "kasse.csv, Zeile 3, Spalte „Betrag“: „12.5x“ ist kein Betrag" in str(wrong.value)
    assert _count(p, PaymentRow) == 0 and _count(p, PaidInvoiceRow) == 0  # nothing half imported

    unknown = camt(
        CITY_ACCOUNT, [_pay(o, o.amount, "B-1"), _pay(o, o.amount, "B-2", text="AO-0999999")]
    )
    with pytest.raises(PaymentFileError) as refused:
        payments.import_file(p, unknown, "avis.xml", KB, SETTINGS)
    text = str(refused.value)
    assert "avis.xml, Zeile" in text and "Spalte „RmtInf/Ustrd“" in text
    assert "Die Anordnung AO-0999999 gibt es nicht" in text
    assert _count(p, PaymentRow) == 0 and _count(p, PaidInvoiceRow) == 0

    foreign = camt("DE89370400440532013000", [_pay(o, o.amount, "B-3")])
    with pytest.raises(PaymentFileError, match="keines der Konten der Stadt"):
        payments.import_file(p, foreign, "fremd.xml", KB, SETTINGS)
    inconsistent = camt(CITY_ACCOUNT, [_pay(o, o.amount, "B-4")]).replace(
        f"<Sum>{o.amount:.2f}</Sum>".encode(), b"<Sum>1.00</Sum>"
    )
    with pytest.raises(PaymentFileError, match="Beträge passen nicht zusammen"):
        payments.import_file(p, inconsistent, "summe.xml", KB, SETTINGS)
    assert _count(p, PaymentFileRow) == 0
    # only creditor accounting imports
    with pytest.raises(Refused, match="Kreditorenbuchhaltung"):
        payments.import_file(
            p, camt(CITY_ACCOUNT, [_pay(o, o.amount, "B-5")]), "a.xml", "a10.becker", SETTINGS
        )


def test_what_does_not_fit_waits_for_a_person_whose_decision_is_audited(
    container: Container,
) -> None:
    s = setup(container)
    p = s.pipeline
    accountants(p)
    part, other, late = ordered(p, 1), ordered(p, 2), ordered(p, 3)
    half = (part.amount / 2).quantize(Decimal("0.01"))
    after = late.skonto_deadline + timedelta(days=3)
    data = camt(
        CITY_ACCOUNT,
        [
            _pay(part, half, "P-1"),  # a partial payment
            # no order number, but creditor, amount and date fit: a proposal
            _pay(other, other.amount, "P-2", text="Rechnung Nr. unbekannt"),
            _pay(late, late.amount - late.skonto, "P-3", on=after),  # Skonto taken too late
        ],
    )
    result = payments.import_file(p, data, "avis.xml", KB, SETTINGS)
    assert (result.paid, result.open) == (0, 3)
    views = {v.line: v for v in payments.open_payments(p)}
    assert {v.outcome for v in views.values()} == {"partial", "no_order", "different"}
    proposed = next(v for v in views.values() if v.outcome == "no_order")
    assert proposed.proposal == other.invoice_id and "Vorschlag" in proposed.reason_de
    with p.sessions() as session:
        assert all(paid_in(session, o.invoice_id) is None for o in (part, other, late))

    partial = next(v for v in views.values() if v.outcome == "partial")
    with pytest.raises(Refused, match="Kreditorenbuchhaltung"):
        payments.decide(p, partial.id, "teilzahlung", "a10.becker")
    payments.decide(p, partial.id, "teilzahlung", KB, note="Rest folgt laut Kasse")
    with pytest.raises(Refused, match="schon entschieden"):
        payments.decide(p, partial.id, "kein_bezug", KB2, note="x")
    rest = payments.import_file(
        p,
        camt(CITY_ACCOUNT, [_pay(part, part.amount - half, "P-4")], message_id="M2"),
        "rest.xml",
        KB,
        SETTINGS,
    )
    assert (rest.paid, rest.open) == (1, 0)  # the rest is exactly what was outstanding
    payments.decide(p, proposed.id, "bezahlt", KB2)  # the proposal confirmed
    late_view = next(v for v in views.values() if v.outcome == "different")
    with pytest.raises(Refused, match="bitte begründen"):
        payments.decide(p, late_view.id, "bezahlt", KB)
    payments.decide(p, late_view.id, "bezahlt", KB, note="Skonto mit Lieferant vereinbart")
    with p.sessions() as session:
        assert paid_in(session, part.invoice_id).amount == part.amount  # type: ignore[union-attr]
        assert paid_in(session, other.invoice_id).recorded_by == KB2  # type: ignore[union-attr]
        accepted = paid_in(session, late.invoice_id)
        assert accepted is not None and accepted.difference == late.skonto
        assert "von kb.krause akzeptiert" in accepted.label_de
        events = master_data.history(session, f"payment:{late_view.id}")
        assert [e.entry.action for e in events] == ["payment_decide"]
        assert events[0].entry.reason == "Skonto mit Lieferant vereinbart"
        checked, problems = master_data.verify(session)
        assert checked >= 3 and problems == []
    assert payments.open_payments(p) == []
    assert [e.action for e in workflow.history(p, part.invoice_id)][-2:] == ["payment", "paid"]
    assert workflow.verify_audit(p).ok


# --- property: idempotent, and never paid with a different amount unless a person decided -------

_KINDS = ("exact", "skonto", "skonto_part", "too_much_skonto", "partial", "over", "cents")


def _amount(o: Ordered, kind: str, cents: int) -> Decimal:
    return {
        "exact": o.amount,
        "skonto": o.amount - o.skonto,
        "skonto_part": o.amount - (o.skonto / 2).quantize(Decimal("0.01")),
        "too_much_skonto": o.amount - o.skonto - Decimal("0.01"),
        "partial": (o.amount / 3).quantize(Decimal("0.01")),
        "over": o.amount + Decimal("0.01"),
        "cents": Decimal(cents) / 100,
    }[kind]


def _state(pipeline: object) -> dict[str, list[tuple[object, ...]]]:
    """Every row the payment import writes (and the invoices' audit chain heads)."""
    state: dict[str, list[tuple[object, ...]]] = {}
    with pipeline.sessions() as session:  # type: ignore[attr-defined]
        for table in (PaymentFileRow, PaymentRow, InvoicePaymentRow, PaidInvoiceRow):
            columns = table.__table__.columns  # type: ignore[attr-defined]
            state[table.__tablename__] = [
                tuple(getattr(r, c.key) for c in columns) for r in session.scalars(select(table))
            ]
        state["workflows"] = [
            (w.invoice_id, w.audit_count, w.audit_head) for w in session.scalars(select(Workflow))
        ]
    return state


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_property_import_is_idempotent_and_never_pays_a_different_amount(
    container: Container,
) -> None:
    """Property (issue 24): importing any payment file twice changes nothing, a file with the
    same bookings changes nothing either, and an invoice the import marks paid by itself was
    paid with exactly its amount due, or less a Skonto within the offer on that day."""
    s = setup(container)
    p = s.pipeline
    accountants(p)
    pool = [ordered(p, seed) for seed in (1, 2, 3, 4, 5)]
    counter = iter(range(10**6))
    payment = st.tuples(
        st.integers(0, len(pool)),  # len(pool): no order number
        st.sampled_from(_KINDS),
        st.integers(1, 500_000),
        st.integers(-3, 20),  # days after 25.03.2025 (the Skonto ends on 31.03.)
    )

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(payment, min_size=1, max_size=6), st.booleans())
    def run(entries: list[tuple[int, str, int, int]], as_csv: bool) -> None:
        n = next(counter)
        made = []
        for i, (which, kind, cents, days) in enumerate(entries):
            o = pool[which % len(pool)]
            text = order_number(o.invoice_id) if which < len(pool) else "ohne Nummer"
            made.append(
                SamplePayment(
                    _amount(o, kind, cents),
                    BOOKED + timedelta(days=days),
                    text,
                    f"R{n}-{i}",
                    o.iban,
                    o.seller,
                    order="",
                )
            )
        data = payment_csv(made) if as_csv else camt(CITY_ACCOUNT, made, message_id=f"M{n}")
        payments.import_file(p, data, "zahlungen", KB, SETTINGS)
        once = _state(p)
        again = payments.import_file(p, data, "zahlungen", KB2, SETTINGS)
        assert again.already_imported and _state(p) == once
        if not as_csv:  # the statement of the day: the same bookings in another file
            statement = camt(CITY_ACCOUNT, made, kind="camt.053", message_id=f"S{n}")
            known = payments.import_file(p, statement, "auszug", KB, SETTINGS)
            assert known.known == len(made) and (known.paid, known.open) == (0, 0)
            after = _state(p)
            assert len(after.pop("payment_files")) == len(once["payment_files"]) + 1
            assert after == {k: v for k, v in once.items() if k != "payment_files"}
        with p.sessions() as session:
            for row in session.scalars(select(PaidInvoiceRow)):
                o = next(x for x in pool if x.invoice_id == row.invoice_id)
                assert row.recorded_by == "system"  # no person decided anything here
                assert Decimal(row.amount) + Decimal(row.skonto) == o.amount
                assert Decimal(0) <= Decimal(row.skonto) <= o.skonto
                assert row.difference == 0
                if row.skonto:
                    assert row.paid_on <= o.skonto_deadline

    run()
    # not vacuous: some invoices were paid by the import, some payments wait for a person
    assert _count(p, PaidInvoiceRow) > 0 and payments.open_payments(p)
