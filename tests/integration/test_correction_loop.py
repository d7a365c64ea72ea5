"""The correction loop on a real database (issue 14): a returned or rejected invoice is
replaced by the supplier's corrected version under the same number; a true duplicate is not."""

from __future__ import annotations

from sqlalchemy import select

from einvoice.bootstrap import Container
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import ingest, process, workflow
from einvoice.services.submissions import submission
from einvoice.storage.tables import Invoice
from tests.integration.mail import email_with
from tests.integration.workflow_setup import receive, sample, setup


def _approve(pipeline: object, invoice_id: int) -> None:
    workflow.act(pipeline, invoice_id, "confirm_sachlich", "a10.becker")  # type: ignore[arg-type]
    workflow.act(pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")  # type: ignore[arg-type]
    workflow.act(pipeline, invoice_id, "order", "a10.schmitt")  # type: ignore[arg-type]


def test_returned_invoice_is_replaced_by_the_corrected_version(container: Container) -> None:
    s = setup(container)
    first = receive(s.pipeline, sample(21))
    workflow.route(s.pipeline, first)
    workflow.act(
        s.pipeline, first, "return_to_supplier", "a10.becker", "Bitte Bestellnummer ergänzen"
    )
    label, hint = workflow.supplier_status(s.pipeline, first) or ("", None)
    assert label.startswith("Zurückgegeben") and hint is not None
    assert "Bestellnummer" in hint and "derselben Rechnungsnummer" in hint

    # same seller, number and amount - before issue 14 this was "Duplikat"
    corrected = receive(s.pipeline, sample(21, order_reference="B-4711"))
    assert corrected != first
    workflow.route(s.pipeline, corrected)
    with s.pipeline.sessions() as session:
        new = session.get(Invoice, corrected)
        assert new is not None and new.replaces_id == first and new.version == 2
    old = workflow.invoice_detail(s.pipeline, first)
    assert old.status == "replaced" and old.status_label_de == "ersetzt"
    assert old.replaced_by_id == corrected
    assert old.history[-1].action == "replace"
    assert old.history[-1].details == {"replaced_by": str(corrected), "version": "2"}
    detail = workflow.invoice_detail(s.pipeline, corrected)
    assert detail.replaces_id == first and detail.version == 2 and detail.status == "routed"
    _approve(s.pipeline, corrected)
    assert workflow.invoice_detail(s.pipeline, corrected).status == "angeordnet"
    assert workflow.verify_audit(s.pipeline).ok

    # now accepted: the same invoice again is a true duplicate, with advice for the supplier
    data = to_ubl(sample(21, order_reference="B-4711"))
    raw = email_with([("nochmal.xml", data)], sender="Lieferant <rechnung@lieferant.example>")
    received = ingest.receive(s.pipeline, raw, "mail", "test")
    (document_id,) = ingest.split(s.pipeline, received.message_id)
    outcome = process.process(s.pipeline, document_id)
    assert outcome.state == "duplicate" and outcome.duplicate_of == corrected
    view = submission(s.pipeline, received.message_id)
    assert view is not None
    (doc,) = view.documents
    assert doc.status == "Duplikat"
    assert doc.reason is not None and "angeordnet" in doc.reason and "384" in doc.reason


def test_rejected_invoice_is_replaced_and_open_one_is_a_duplicate(container: Container) -> None:
    s = setup(container)
    first = receive(s.pipeline, sample(22))
    workflow.route(s.pipeline, first)
    # still open: the same invoice again is refused as a duplicate
    raw = email_with([("r.xml", to_ubl(sample(22)))], sender="x <x@lieferant.example>")
    received = ingest.receive(s.pipeline, raw, "mail", "test")
    (document_id,) = ingest.split(s.pipeline, received.message_id)
    assert process.process(s.pipeline, document_id).state == "duplicate"

    workflow.act(s.pipeline, first, "reject", "a10.becker", "Leistung nicht bestellt")
    # corrected with another amount: still the next version of the same invoice
    second = receive(s.pipeline, sample(22, lines=sample(23).lines))
    workflow.route(s.pipeline, second)
    assert workflow.invoice_detail(s.pipeline, first).status == "replaced"
    assert workflow.invoice_detail(s.pipeline, second).replaces_id == first
    # a third copy of version 2 (now open) is a duplicate of version 2, not of version 1
    raw = email_with(
        [("r2.xml", to_ubl(sample(22, lines=sample(23).lines)))], sender="x <x@l.example>"
    )
    received = ingest.receive(s.pipeline, raw, "mail", "test")
    (document_id,) = ingest.split(s.pipeline, received.message_id)
    outcome = process.process(s.pipeline, document_id)
    assert outcome.state == "duplicate" and outcome.duplicate_of == second
    with s.pipeline.sessions() as session:
        versions = session.execute(
            select(Invoice.id, Invoice.version, Invoice.duplicate_key.is_(None))
            .where(Invoice.id.in_([first, second]))
            .order_by(Invoice.id)
        ).all()
    assert [(v[1], v[2]) for v in versions] == [(1, True), (2, False)]
    assert workflow.verify_audit(s.pipeline).ok
