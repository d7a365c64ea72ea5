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
    bad = login(application, "a10.schmitt").get("/eingang", params={"mine": "alles"})
    assert bad.status_code == 422
