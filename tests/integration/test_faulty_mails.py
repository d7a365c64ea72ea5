"""The seven faulty e-mails of issue 15 on SQLite and PostgreSQL: each ends in a visible,
counted, explained state, and the sender is told (no dead letter, no silent 'processed')."""

from __future__ import annotations

from sqlalchemy import select

from einvoice.bootstrap import Container
from einvoice.services import ingest, notifications, process, states, workflow
from einvoice.services.status import failures, status, unreadable
from einvoice.storage.tables import Document, FindingRow, Invoice, Message
from tests.integration.faulty import faulty_emails
from tests.integration.workflow_setup import setup

#: label -> (document state, invoice state or None, rules that must be among the findings)
EXPECTED = {
    "empty_xml": (states.UNREADABLE, None, {"SYNTAX-EMPTY"}),
    "truncated_pdf": (states.UNREADABLE, None, set()),
    "datetime_bt2": (states.UNREADABLE, None, set()),
    "overflow_amount": (states.PROCESSED, states.REJECTED, set()),
    "currency_euro": (states.PROCESSED, states.REJECTED, {"BR-CL-04"}),
    "long_type_code": (states.PROCESSED, states.REJECTED, {"BR-CL-01"}),
    "attachment_25mb": (states.TOO_LARGE, None, set()),
}


def test_seven_faulty_mails_end_visible_counted_and_answered(container: Container) -> None:
    s = setup(container)
    pipeline = s.pipeline
    for raw in faulty_emails().values():
        received = ingest.receive(pipeline, raw, "mail", "test")
        for document_id in ingest.split(pipeline, received.message_id):
            outcome = process.process(pipeline, document_id)
            if outcome.invoice_id is not None:
                workflow.route(pipeline, outcome.invoice_id)
    notifications.deliver(pipeline)

    with pipeline.sessions() as session:
        for label, (doc_state, invoice_state, rules) in EXPECTED.items():
            message = session.scalars(
                select(Message).where(Message.sender == f"fehler-{label}@lieferant.example")
            ).one()
            (document,) = message.documents
            assert document.state == doc_state, (label, document.state, document.last_error)
            found = set(
                session.scalars(
                    select(FindingRow.rule).where(FindingRow.document_id == document.id)
                )
            )
            assert rules <= found, (label, found)
            invoice = session.scalars(
                select(Invoice).where(Invoice.document_id == document.id)
            ).first()
            assert (invoice.state if invoice else None) == invoice_state, label
            if invoice_state is None:  # explained in German
                assert document.last_error and (
                    "Keine Rechnung lesbar" in document.last_error
                    or "zu groß" in document.last_error
                ), (label, document.last_error)
        overflow = session.scalars(select(Invoice).where(Invoice.number.is_not(None))).all()
        # the supplier's value is kept as written beside the (empty) column
        big = [
            i for i in overflow if i.semantic["BG-22"].get("BT-115") == "12345678901234567890.00"
        ]
        assert len(big) == 1 and big[0].amount_due is None
        assert {i.currency for i in overflow if i.semantic.get("BT-5") == "EURO"} == {None}

    counts = status(pipeline)
    assert counts["unreadable"] == 3 and counts["refused"] == 1 and counts["invoices"] == 3
    assert counts["rejected"] == 3 and counts["failed"] == 0 and counts["pending"] == 0
    assert failures(pipeline) == []
    assert len(unreadable(pipeline)) == 4
    # every sender told: three rejections, three unreadable, one too large
    assert len(s.mailer.sent) == 7
    told = {m.to for m in s.mailer.sent}
    for label in ("empty_xml", "truncated_pdf", "datetime_bt2", "attachment_25mb"):
        assert f"fehler-{label}@lieferant.example" in told, label
    assert counts["mail"] == {"sent": 7}
    unreadable_mail = next(m for m in s.mailer.sent if m.to.startswith("fehler-empty_xml"))
    assert "konnte keine Rechnung gelesen werden" in unreadable_mail.body
    assert "SYNTAX-EMPTY" in unreadable_mail.body
    with pipeline.sessions() as session:
        assert session.scalars(select(Document).where(Document.state == states.FAILED)).all() == []
