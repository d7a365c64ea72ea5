"""Views by step (issue 25, finding 5): the approver's "Wartet auf mich" listed all 8 invoices,
including ones still waiting for sachlich richtig and ones blocked by holds; there was no
view of what is ready for the payment order."""

from __future__ import annotations

import re

from einvoice.bootstrap import Container
from einvoice.services import queue_steps, workflow
from einvoice.services.queues import QueueFilters
from einvoice.storage.tables import Workflow
from tests.integration.workflow_setup import receive, sample, setup


def test_each_step_has_its_view_and_held_invoices_are_never_ready(container: Container) -> None:
    s = setup(container)
    ids = [receive(s.pipeline, sample(60 + n)) for n in range(4)]
    for invoice_id in ids:
        workflow.route(s.pipeline, invoice_id)
    routed, sachlich, ready, held = ids
    workflow.act(s.pipeline, sachlich, "confirm_sachlich", "a10.becker")
    for invoice_id in (ready, held):
        workflow.act(s.pipeline, invoice_id, "confirm_sachlich", "a10.becker")
        workflow.act(s.pipeline, invoice_id, "confirm_rechnerisch", "a10.becker")
    with s.pipeline.sessions() as session:
        row = session.query(Workflow).filter_by(invoice_id=held).one()
        row.holds = "bank-account-unverified"
        session.commit()

    def view(person: str, step: str | None = None) -> set[int]:
        chosen = QueueFilters(waiting_for=person, step=step)
        return {i.invoice_id for i in workflow.queue(s.pipeline, "amt-10", chosen).items}

    # the approver (a10.schmitt) may also sign; the order view holds only what he can order
    assert view("a10.schmitt", "anordnung") == {ready}
    assert view("a10.schmitt", "sachlich") == {routed}
    assert view("a10.schmitt", "rechnerisch") == {sachlich}
    assert view("a10.schmitt") == {routed, sachlich, ready}  # never the held one
    # who signed may not order: nothing is ready for the clerk, who has no approver role
    assert view("a10.becker", "anordnung") == set()

    counts = queue_steps.step_counts(s.pipeline, "amt-10", "a10.schmitt")
    assert counts.steps == ("sachlich", "rechnerisch", "anordnung")
    assert counts.per_step == {"sachlich": 1, "rechnerisch": 1, "anordnung": 1}
    assert (counts.mine, counts.held) == (3, 1)
    clerk = queue_steps.step_counts(s.pipeline, "amt-10", "a10.becker")
    assert clerk.steps == ("sachlich", "rechnerisch")


def test_queue_page_offers_the_step_views_with_counts(tmp_path: object) -> None:
    from pathlib import Path

    from einvoice.services.accounts import Role
    from tests.integration.web import account, login, make_app

    application, container = make_app(Path(str(tmp_path)))
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    page = login(application, "a10.schmitt").get("/eingang", params={"mine": "anordnung"})
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    for label in ("Wartet auf mich (0)", "Sachlich richtig zeichnen (0)",
                  "Rechnerisch richtig zeichnen (0)", "Bereit zur Anordnung (0)",
                  "Mit Zahlungssperre (0 offene)"):  # fmt: skip
        assert label in text, label
    assert re.search(r'aria-current="page">Bereit zur Anordnung', page.text)
    assert "Kontierung fehlt" not in text  # no chart of accounts: nothing to kontieren
    bad = login(application, "a10.schmitt").get("/eingang", params={"mine": "alles"})
    assert bad.status_code == 422

    from einvoice.services.chart_import import import_chart

    import_chart(container.pipeline, CHART.encode(), "kontenplan.csv", "kb.test")
    page = login(application, "a10.schmitt").get("/eingang", params={"mine": "kontierung"})
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    assert "Kontierung fehlt (0)" in text and "vollständig kontiert" in text
    assert re.search(r'aria-current="page">Kontierung fehlt', page.text)


CHART = (
    "produkt;sachkonto;kostenstelle;auftrag;bezeichnung;gueltig_ab;gueltig_bis;aemter;bga\n"
    "11.1.01.01;5431000;1000;;Geschäftsaufwand Amt 10;;;amt-10;nein\n"
    "11.1.01.01;5271000;1000;;Bürobedarf Amt 10;;;amt-10;nein\n"
)


def test_with_a_chart_only_a_complete_kontierung_is_ready_for_the_order(
    container: Container,
) -> None:
    """With a chart of accounts kept, "Bereit zur Anordnung" listed invoices without a
    (complete) Kontierung, and ordering them was refused: they now wait in "Kontierung fehlt"
    (for whoever kontiert: the clerk and the approver of the Amt), counts and lists alike."""
    import pytest

    from einvoice.domain.kontierung import Basis, SplitRequest
    from einvoice.services import kontierung
    from einvoice.services.chart_import import import_chart
    from tests.integration.workflow_setup import big_sample

    s = setup(container)
    import_chart(s.pipeline, CHART.encode(), "kontenplan.csv", "kb.test")
    a, b = "11.1.01.01/5431000/1000", "11.1.01.01/5271000/1000"
    bare = receive(s.pipeline, big_sample(70, "100.00", number="K-1"))
    short = receive(s.pipeline, big_sample(71, "200.00", number="K-2"))
    done = receive(s.pipeline, big_sample(72, "300.00", number="K-3"))
    credit = receive(s.pipeline, sample(73, type_code="381", skonto=(), number="K-4"), syntax="cii")
    wrong_sign = receive(
        s.pipeline, sample(74, type_code="381", skonto=(), number="K-5"), syntax="cii"
    )
    ids = (bare, short, done, credit, wrong_sign)
    for invoice_id in ids:
        workflow.route(s.pipeline, invoice_id)
    # short: one cent missing; wrong_sign: the credit note's amount booked as if paid out
    kontierung.assign(s.pipeline, short, "a10.becker", [SplitRequest(a, Basis.AMOUNT, "237,99")])
    kontierung.assign(
        s.pipeline, done, "a10.becker",
        [SplitRequest(a, Basis.PERCENT, "60"), SplitRequest(b, Basis.REST)],
    )  # fmt: skip
    kontierung.assign(s.pipeline, credit, "a10.becker", [SplitRequest(b, Basis.REST)])
    due = kontierung.view(s.pipeline, wrong_sign).amount_due
    assert due < 0
    kontierung.assign(
        s.pipeline, wrong_sign, "a10.becker", [SplitRequest(b, Basis.AMOUNT, f"{-due}")]
    )
    for invoice_id in ids:
        workflow.act(s.pipeline, invoice_id, "confirm_sachlich", "a10.becker")
        workflow.act(s.pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")

    def view(person: str, step: str | None = None) -> set[int]:
        chosen = QueueFilters(waiting_for=person, step=step)
        return {i.invoice_id for i in workflow.queue(s.pipeline, "amt-10", chosen).items}

    assert view("a10.schmitt", "anordnung") == {done, credit}
    missing = {bare, short, wrong_sign}
    assert view("a10.schmitt", "kontierung") == missing  # the approver may kontieren
    assert view("a10.becker", "kontierung") == missing  # so may the clerk who signed
    assert view("a10.schmitt") == {done, credit, *missing}
    for person in ("a10.schmitt", "a10.becker"):
        counts = queue_steps.step_counts(s.pipeline, "amt-10", person)
        assert "kontierung" in counts.steps
        assert counts.per_step == {step: len(view(person, step)) for step in counts.steps}
        assert counts.mine == len(view(person))
    # what the view calls ready can be ordered; what it leaves out is refused with the reason
    for invoice_id in missing:
        with pytest.raises(workflow.Refused) as refused:
            workflow.act(s.pipeline, invoice_id, "order", "a10.schmitt")
        assert refused.value.code == "kontierung"
    for invoice_id in (done, credit):
        workflow.act(s.pipeline, invoice_id, "order", "a10.schmitt")
    assert view("a10.schmitt", "anordnung") == set()
    # completed, the Kontierung moves the invoice from "Kontierung fehlt" to the order view
    kontierung.assign(s.pipeline, short, "a10.schmitt", [SplitRequest(a, Basis.REST)])
    assert view("a10.schmitt", "anordnung") == {short}
    assert view("a10.schmitt", "kontierung") == {bare, wrong_sign}
