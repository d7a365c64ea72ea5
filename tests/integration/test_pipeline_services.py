"""The ingestion services on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from einvoice.bootstrap import Container
from einvoice.mailbox.mime import Limits
from einvoice.services import ingest, process, states
from einvoice.services.ports import Pipeline
from einvoice.services.status import status
from einvoice.storage.tables import Document, DuplicateRecord, Invoice, Message
from tests.integration.mail import email_with, invoice_xml


def _run(pipeline: Pipeline, raw: bytes, channel: str = "mail") -> list[process.Outcome]:
    received = ingest.receive(pipeline, raw, channel, "test")
    return [process.process(pipeline, d) for d in ingest.split(pipeline, received.message_id)]


def test_one_email_with_two_invoices(container: Container) -> None:
    pipeline = container.pipeline
    raw = email_with([("a.xml", invoice_xml(1)), ("b.xml", invoice_xml(2))])
    outcomes = _run(pipeline, raw)
    assert [o.state for o in outcomes] == [states.PROCESSED, states.PROCESSED]
    assert all(o.invoice_id for o in outcomes)
    counts = status(pipeline)
    assert counts["invoices"] == 2 and counts["duplicates"] == 0
    # not routed yet (no route step here): "Offen" counts them until they are in a queue
    assert counts["pending"] == counts["unrouted"] == 2
    with pipeline.sessions() as session:
        message = session.scalars(select(Message)).one()
        # the original e-mail is kept unaltered under its hash
        assert pipeline.blobs.get(message.raw_sha256) == raw


def test_same_email_twice_creates_nothing_new(container: Container) -> None:
    pipeline = container.pipeline
    raw = email_with([("a.xml", invoice_xml(3))], message_id="<r-3@lieferant.example>")
    _run(pipeline, raw)
    again = ingest.receive(pipeline, raw, "mail", "test")
    assert again.new is False
    assert ingest.split(pipeline, again.message_id) == []
    counts = status(pipeline)
    assert counts["invoices"] == 1 and counts["duplicates"] == 1 and counts["messages"] == 1


def test_same_attachment_in_two_emails_is_a_duplicate(container: Container) -> None:
    pipeline = container.pipeline
    xml = invoice_xml(4)
    first = _run(pipeline, email_with([("r.xml", xml)]))
    second = _run(pipeline, email_with([("kopie.xml", xml)]))
    assert first[0].state == states.PROCESSED
    assert second[0].state == states.DUPLICATE
    assert second[0].duplicate_of == first[0].invoice_id
    counts = status(pipeline)
    assert counts["invoices"] == 1 and counts["duplicates"] == 1


def test_processing_twice_changes_nothing(container: Container) -> None:
    pipeline = container.pipeline
    received = ingest.receive(pipeline, email_with([("a.xml", invoice_xml(5))]), "mail", "t")
    (document_id,) = ingest.split(pipeline, received.message_id)
    first = process.process(pipeline, document_id)
    second = process.process(pipeline, document_id)
    assert first == second
    with pipeline.sessions() as session:
        assert session.scalar(select(func.count(Invoice.id))) == 1


def test_email_without_invoice_is_recorded(container: Container) -> None:
    pipeline = container.pipeline
    assert _run(pipeline, email_with([], body="Bitte um Rückruf.")) == []
    counts = status(pipeline)
    assert counts["no_invoice"] == 1 and counts["pending"] == 0
    with pipeline.sessions() as session:
        message = session.scalars(select(Message)).one()
        assert message.state == states.NO_INVOICE
        assert "Keine Rechnung" in (message.reason or "")


def test_xml_in_body_is_taken(container: Container) -> None:
    pipeline = container.pipeline
    outcomes = _run(pipeline, email_with([], body=invoice_xml(6).decode()))
    assert len(outcomes) == 1 and outcomes[0].invoice_id is not None


def test_limits_are_recorded(container: Container) -> None:
    pipeline = container.pipeline
    small = Pipeline(
        pipeline.sessions,
        pipeline.blobs,
        pipeline.validate,
        pipeline.extract,
        Limits(max_attachments=10, max_attachment_bytes=1024 * 1024),
    )
    many = email_with([(f"r{i}.xml", b"<x/>") for i in range(300)])
    assert _run(small, many) == []
    big = email_with([("gross.pdf", random.Random(1).randbytes(2 * 1024 * 1024))])
    assert _run(small, big) == []
    with small.sessions() as session:
        refused = session.scalars(select(Message).where(Message.state == states.REFUSED)).one()
        assert "300 Anhänge" in (refused.reason or "")
        document = session.scalars(select(Document)).one()
        assert document.state == states.TOO_LARGE and "zu groß" in (document.last_error or "")
    assert status(small)["pending"] == 0


def test_hostile_attachments_end_rejected_with_findings(container: Container) -> None:
    pipeline = container.pipeline
    hostile = [
        ("xxe.xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
        ("leer.xml", b""),
        ("kaputt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
        ("zufall.xml", random.Random(2).randbytes(5000)),
    ]
    outcomes = _run(pipeline, email_with(hostile))
    # no invoice could be read from any of them: visible as 'unreadable', with a reason
    assert [o.state for o in outcomes] == [states.UNREADABLE] * 4
    with pipeline.sessions() as session:
        docs = session.scalars(select(Document)).all()
        assert {d.recommendation for d in docs} == {"reject"}
        assert all((d.last_error or "").startswith("Keine Rechnung lesbar") for d in docs)
    assert status(pipeline)["unreadable"] == 4


def test_malformed_mime_is_recorded(container: Container) -> None:
    pipeline = container.pipeline
    raw = (
        b'From: x@y\r\nMessage-ID: <kaputt@y>\r\nContent-Type: multipart/mixed; boundary="B"\r\n'
        b"\r\n--B\r\nContent-Type: application/xml\r\nContent-Disposition: attachment; "
        b"filename=r.xml\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!nicht base64!!!"
    )
    _run(pipeline, raw)
    counts = status(pipeline)
    assert counts["pending"] == 0
    assert counts["messages"] == 1


def test_duplicate_records_are_listed(container: Container) -> None:
    pipeline = container.pipeline
    xml = invoice_xml(7)
    _run(pipeline, email_with([("r.xml", xml)]))
    _run(pipeline, email_with([("r.xml", xml)]))
    with pipeline.sessions() as session:
        record = session.scalars(select(DuplicateRecord)).one()
        assert record.kind == "invoice"


def test_corrected_resend_of_a_rejected_invoice_is_not_a_duplicate(container: Container) -> None:
    import dataclasses

    from einvoice.samplegen.catalogue import base_invoice
    from einvoice.samplegen.ubl import to_ubl

    pipeline = container.pipeline
    invoice = base_invoice()
    rejected = to_ubl(dataclasses.replace(invoice, buyer_reference=None))  # BR-DE-15
    corrected = to_ubl(invoice)  # the same number, now with its Leitweg-ID
    first = _run(pipeline, email_with([("r.xml", rejected)]))
    second = _run(pipeline, email_with([("r.xml", corrected)]))
    third = _run(pipeline, email_with([("r-kopie.xml", corrected)]))
    assert first[0].state == states.PROCESSED and first[0].invoice_id
    assert second[0].state == states.PROCESSED and second[0].invoice_id
    assert third[0].state == states.DUPLICATE and third[0].duplicate_of == second[0].invoice_id
    counts = status(pipeline)
    assert (counts["invoices"], counts["accepted"], counts["rejected"]) == (2, 1, 1)


def test_50_mb_attachment_ends_recorded_and_explained(container: Container) -> None:
    """A 50 MB attachment: with the default limits the whole e-mail (base64, ~68 MB) is over
    the message limit; with a larger message limit only the attachment is refused. Either
    way the original is kept and the reason recorded; the other invoice goes on."""
    big = b"%PDF-1.7\n" + random.Random(3).randbytes(50 * 1024 * 1024)
    raw = email_with([("riesig.pdf", big), ("r.xml", invoice_xml(8))])
    pipeline = container.pipeline
    assert _run(pipeline, raw) == []
    with pipeline.sessions() as session:
        message = session.scalars(select(Message)).one()
        assert message.state == states.REFUSED and "zu groß" in (message.reason or "")
        assert pipeline.blobs.get(message.raw_sha256) == raw  # nothing lost
    roomy = Pipeline(
        pipeline.sessions,
        pipeline.blobs,
        pipeline.validate,
        pipeline.extract,
        Limits(max_message_bytes=100 * 1024 * 1024),
        workflow=pipeline.workflow,
    )
    raw2 = email_with([("riesig.pdf", big), ("r.xml", invoice_xml(9))])
    outcomes = _run(roomy, raw2)
    assert [o.state for o in outcomes] == [states.PROCESSED]
    with pipeline.sessions() as session:
        too_large = session.scalars(
            select(Document).where(Document.state == states.TOO_LARGE)
        ).one()
        assert too_large.filename == "riesig.pdf" and "zu groß" in (too_large.last_error or "")
    assert status(pipeline)["pending"] == status(pipeline)["unrouted"] == 1  # not routed yet
