"""Chart of accounts, Kontierung, the order check, the payment order and the export lines
on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from einvoice.bootstrap import Container
from einvoice.domain.kontierung import Basis, BudgetPolicy, SplitRequest
from einvoice.services import kontierung, workflow
from einvoice.services.auszahlungsanordnung import payment_order, render_html
from einvoice.services.chart_import import ChartImportError, import_chart
from einvoice.services.ports import Pipeline
from einvoice.storage.kontierung_tables import (
    BuchungsstelleRow,
    KontierungHistoryRow,
    PaymentOrderLineRow,
    PaymentOrderRow,
)
from einvoice.storage.tables import AuditEventRow
from tests.integration.workflow_setup import receive, sample, setup

CHART = (
    "produkt;sachkonto;kostenstelle;auftrag;bezeichnung;gueltig_ab;gueltig_bis;aemter;bga;"
    "haushaltsjahr;verfuegbare_mittel\n"
    "11.1.01.01;5431000;1000;;Geschäftsaufwand Amt 10;01.01.2020;;amt-10;nein;2025;100.000,00\n"
    "11.1.01.01;5271000;1000;;Bürobedarf Amt 10;;;amt-10;nein;;\n"
    "57.3.01.01;5231000;6600;I-4711;Unterhaltung Bad (BgA);;;amt-10,amt-66;ja;2025;50,00\n"
    "11.1.01.02;5431000;6600;;Geschäftsaufwand Amt 66;;;amt-66;nein;;\n"
    "11.1.01.03;5431000;1000;;ausgelaufen;;31.12.2023;;nein;;\n"
)
A = "11.1.01.01/5431000/1000"
B = "11.1.01.01/5271000/1000"
BGA = "57.3.01.01/5231000/6600/I-4711"
OTHER_AMT = "11.1.01.02/5431000/6600"
EXPIRED = "11.1.01.03/5431000/1000"


def _ready(container: Container) -> tuple[Pipeline, int]:
    s = setup(container)
    result = import_chart(s.pipeline, CHART.encode(), "kontenplan.csv", "kb.test")
    assert (result.lines, result.created, result.funds) == (5, 5, 2)
    invoice_id = receive(s.pipeline, sample(31))
    workflow.route(s.pipeline, invoice_id)
    return s.pipeline, invoice_id


def _sign(pipeline: Pipeline, invoice_id: int) -> None:
    workflow.act(pipeline, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")


def test_bad_chart_names_file_line_and_column_and_imports_nothing(container: Container) -> None:
    s = setup(container)
    bad = CHART + "11.1.01.04;54x;1000;;Test;31.02.2026;;amt-99;vielleicht;;\n"
    with pytest.raises(ChartImportError) as caught:
        import_chart(s.pipeline, bad.encode(), "kontenplan.csv", "kb.test")
    problems = "\n".join(caught.value.problems)
    assert "nichts übernommen" in caught.value.message_de
    assert "kontenplan.csv, Zeile 7, Spalte „gueltig_ab“: „31.02.2026“ ist kein Datum" in problems
    assert "Zeile 7, Spalte „aemter“: unbekanntes Amt amt-99" in problems
    assert "Zeile 7, Spalte „bga“" in problems
    with s.pipeline.sessions() as session:  # one transaction per file: nothing half-imported
        assert session.scalar(select(func.count()).select_from(BuchungsstelleRow)) == 0
    again = import_chart(s.pipeline, CHART.encode(), "kontenplan.csv", "kb.test")
    assert again.created == 5
    same = import_chart(s.pipeline, CHART.encode(), "kontenplan.csv", "kb.test")
    assert (same.created, same.changed, same.unchanged) == (0, 0, 5)  # idempotent


def test_order_waits_for_a_complete_valid_kontierung_then_two_export_lines(
    container: Container,
) -> None:
    pipeline, invoice_id = _ready(container)
    _sign(pipeline, invoice_id)
    with pytest.raises(workflow.Refused) as none:
        workflow.act(pipeline, invoice_id, "order", "a10.schmitt")
    assert none.value.code == "kontierung" and "nicht kontiert" in none.value.reason_de

    view = kontierung.view(pipeline, invoice_id)
    due = view.amount_due
    assert view.required and view.default_year == 2025
    with pytest.raises(workflow.Refused) as unknown:
        kontierung.assign(pipeline, invoice_id, "a10.becker", [SplitRequest("1/2/3", Basis.REST)])
    assert "gibt es im Kontenplan nicht" in unknown.value.reason_de
    with pytest.raises(workflow.Refused) as closed:
        kontierung.assign(pipeline, invoice_id, "a10.becker", [SplitRequest(A, Basis.REST)], 2023)
    assert "abgeschlossen" in closed.value.reason_de

    # one cent short: stored, shown, and the order is refused to the cent
    short = kontierung.assign(
        pipeline,
        invoice_id,
        "a10.becker",
        [
            SplitRequest(A, Basis.AMOUNT, "10,00"),
            SplitRequest(B, Basis.AMOUNT, f"{due - 10 - Decimal('0.01')}"),
        ],
    )
    assert any("Differenz 0,01 €" in p for p in short.check.problems)
    with pytest.raises(workflow.Refused) as cent:
        workflow.act(pipeline, invoice_id, "order", "a10.schmitt")
    assert "Differenz 0,01 €" in cent.value.reason_de

    for wrong in (OTHER_AMT, EXPIRED):
        bad = kontierung.assign(
            pipeline, invoice_id, "a10.becker", [SplitRequest(wrong, Basis.REST)]
        )
        assert not bad.check.ok, wrong

    done = kontierung.assign(
        pipeline,
        invoice_id,
        "a10.becker",
        [SplitRequest(A, Basis.PERCENT, "60"), SplitRequest(B, Basis.REST)],
    )
    assert done.check.ok and sum(sp.amount for sp in done.splits) == due
    workflow.act(pipeline, invoice_id, "order", "a10.schmitt")

    order = payment_order(pipeline, invoice_id)
    assert order is not None and order.number == f"AO-{invoice_id:07d}"
    assert [line.key for line in order.lines] == [A, B] and order.year == 2025
    assert order.iban_verified.startswith("geprüft von")
    html = render_html(order)
    for element in (
        "Stadtkasse",
        "Zahlungsempfänger",
        A,
        B,
        "Haushaltsjahr",
        "Sachlich richtig",
        "Rechnerisch richtig",
        "Angeordnet",
        order.original_sha256,
        "Fällig am",
    ):
        assert element in html, element
    with pytest.raises(workflow.Refused):  # frozen after the order
        kontierung.assign(pipeline, invoice_id, "a10.becker", [SplitRequest(A, Basis.REST)])

    batch = workflow.export(pipeline, "csv")
    rows = list(csv.DictReader(io.StringIO(batch.content.decode()), delimiter=";"))
    assert len(rows) == 2
    assert [r["buchungsstelle"] for r in rows] == [A, B]
    assert {r["anordnungsnummer"] for r in rows} == {order.number}
    assert sum(Decimal(r["betrag"]) for r in rows) == due  # the rows still add up
    assert {r["rechnungsbetrag"] for r in rows} == {f"{due:.2f}"}
    assert [r["kostenstelle"] for r in rows] == ["1000", "1000"]
    assert {r["haushaltsjahr"] for r in rows} == {"2025"} and rows[0]["vorsteuerabzug"] == "nein"
    assert list(rows[0])[:21][-1] == "angeordnet_von"  # earlier columns keep their places

    with pipeline.sessions() as session:
        actions = session.scalars(
            select(AuditEventRow.action).where(AuditEventRow.invoice_id == invoice_id)
        ).all()
        assert actions.count("kontierung") == 4  # every change is an audit event
        assert session.get(KontierungHistoryRow, invoice_id) is not None
    assert workflow.verify_audit(pipeline).ok


def test_bga_books_net_and_vat_apart_and_funds_refuse_or_warn(container: Container) -> None:
    pipeline, invoice_id = _ready(container)
    _sign(pipeline, invoice_id)
    kontierung.assign(pipeline, invoice_id, "a10.becker", [SplitRequest(BGA, Basis.REST)])
    with pytest.raises(workflow.Refused) as funds:
        workflow.act(pipeline, invoice_id, "order", "a10.schmitt")
    assert "verfügbaren Mittel 2025 reichen nicht" in funds.value.reason_de
    assert pipeline.workflow is not None
    warn = dataclasses.replace(
        pipeline,
        workflow=dataclasses.replace(
            pipeline.workflow, budget=BudgetPolicy(refuse_over_budget=False)
        ),
    )
    workflow.act(warn, invoice_id, "order", "a10.schmitt")
    with warn.sessions() as session:
        order = session.get(PaymentOrderRow, invoice_id)
        assert order is not None and "reichen nicht" in order.budget_note
        (line,) = session.scalars(select(PaymentOrderLineRow)).all()
        assert line.apart and line.vat > 0 and line.net + line.vat == line.amount
    rows = list(
        csv.DictReader(io.StringIO(workflow.export(warn, "csv").content.decode()), delimiter=";")
    )
    assert rows[0]["vorsteuerabzug"] == "ja" and rows[0]["auftrag"] == "I-4711"
    assert Decimal(rows[0]["netto"]) + Decimal(rows[0]["umsatzsteuer"]) == Decimal(
        rows[0]["betrag"]
    )


def test_suggestion_from_the_creditors_earlier_invoice(container: Container) -> None:
    pipeline, first = _ready(container)
    _sign(pipeline, first)
    kontierung.assign(pipeline, first, "a10.becker", [SplitRequest(B, Basis.REST)])
    workflow.act(pipeline, first, "order", "a10.schmitt")
    second = receive(pipeline, sample(31, number="R-2"))
    workflow.route(pipeline, second)
    view = kontierung.view(pipeline, second)
    assert view.suggestions, "a creditor seen before gets a suggestion"
    top = view.suggestions[0]
    assert top.source == "creditor" and [p[0] for p in top.parts] == [B]
    assert "frühere Rechnungen dieses Kreditors" in top.source_de
    taken = kontierung.accept_suggestion(pipeline, second, "a10.becker", 1)
    assert taken.check.ok and taken.source and taken.source.startswith("Vorschlag")


def test_without_a_chart_of_accounts_the_order_works_as_before(container: Container) -> None:
    s = setup(container, datetime(2025, 3, 20, 9, 0, tzinfo=UTC))
    invoice_id = receive(s.pipeline, sample(32))
    workflow.route(s.pipeline, invoice_id)
    _sign(s.pipeline, invoice_id)
    workflow.act(s.pipeline, invoice_id, "order", "a10.schmitt")
    rows = list(
        csv.DictReader(
            io.StringIO(workflow.export(s.pipeline, "csv").content.decode()), delimiter=";"
        )
    )
    assert len(rows) == 1 and rows[0]["anordnungsnummer"] == f"AO-{invoice_id:07d}"
    assert rows[0]["buchungsstelle"] == "" and rows[0]["kostenstelle"] == "1000"
