"""`einvoice fsck` on a real database: clean after normal work, finds and repairs faults."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from einvoice.bootstrap import Container
from einvoice.services import ingest, outbox, process
from einvoice.services.fsck import fsck
from einvoice.storage.tables import Document, DuplicateRecord, Message, Notification
from tests.integration.mail import email_with, invoice_xml


def _check(container: Container, repair: bool = False, stuck_after: float = 3600.0):  # type: ignore[no-untyped-def]
    return fsck(
        container.pipeline,
        stuck_after=timedelta(seconds=stuck_after),
        quarantine=container.settings.data_dir / "quarantine",
        repair=repair,
        grace_seconds=0,
    )


def _deliver(container: Container, raw: bytes) -> int:
    received = ingest.receive(container.pipeline, raw, "mail", "test")
    for document_id in ingest.split(container.pipeline, received.message_id):
        process.process(container.pipeline, document_id)
    return received.message_id


def test_clean_after_work_then_every_fault_is_found(container: Container) -> None:
    pipeline = container.pipeline
    _deliver(container, email_with([("a.xml", invoice_xml(1))]))
    _deliver(container, email_with([("b.xml", invoice_xml(2))]))
    report = _check(container)
    assert report.ok, report.problems
    assert report.blobs_recorded == 4 and report.blobs_hashed == 4

    with pipeline.sessions() as session:
        raw_sha = session.scalars(select(Message.raw_sha256)).first()
        doc_sha = session.scalars(select(Document.sha256)).first()
    assert raw_sha and doc_sha
    blobs = pipeline.blobs
    missing = blobs.path(raw_sha)  # type: ignore[attr-defined]
    missing.rename(container.settings.data_dir / "away")
    corrupt = blobs.path(doc_sha)  # type: ignore[attr-defined]
    os.chmod(corrupt, 0o644)
    corrupt.write_bytes(corrupt.read_bytes() + b" ")
    stray = blobs.put(b"nobody refers to me")
    leftover = corrupt.parent / ".tmp-cut-off"
    leftover.write_bytes(b"half")

    report = _check(container)
    assert not report.ok
    assert report.counts() == {
        "missing": 1,
        "corrupt": 1,
        "unrecorded": 1,
        "unreferenced": 0,
        "leftover": 1,
        "audit": 0,
        "stuck": 0,
        "dead_letter": 0,
    }
    repaired = _check(container, repair=True)
    assert {p.kind for p in repaired.problems if p.repaired} == {"unrecorded", "leftover"}
    # what needs a backup is never "repaired"
    assert repaired.counts()["missing"] == 1 and repaired.counts()["corrupt"] == 1
    assert (container.settings.data_dir / "quarantine" / stray).is_file()
    assert not leftover.exists()


def test_stuck_work_and_sending_mail_are_found_and_released(container: Container) -> None:
    pipeline = container.pipeline
    received = ingest.receive(pipeline, email_with([("a.xml", invoice_xml(3))]), "mail", "t")
    report = _check(container, stuck_after=0)
    assert [p.subject for p in report.problems] == [f"message {received.message_id}"]
    document_ids = ingest.split(pipeline, received.message_id)
    assert [p.subject for p in _check(container, stuck_after=0).problems] == [
        f"document {document_ids[0]}"
    ]
    outcome = process.process(pipeline, document_ids[0])
    assert [p.subject for p in _check(container, stuck_after=0).problems] == [
        f"invoice {outcome.invoice_id}"
    ]
    # an e-mail whose sender died between claim and result
    long_ago = pipeline.clock() - timedelta(hours=1)
    with pipeline.sessions() as session:
        session.add(
            Notification(
                invoice_id=outcome.invoice_id,
                kind="supplier",
                key="supplier:reject",
                recipient="a@b.example",
                subject="s",
                body="b",
                status="sending",
                attempts=1,
                created_at=long_ago,
                claimed_at=long_ago,
            )
        )
        session.commit()
    report = _check(container, repair=True)
    assert [(p.kind, p.repaired) for p in report.problems] == [("stuck", True)]
    assert outbox.counts(pipeline) == {"pending": 1}


def test_redelivery_stores_no_orphan(container: Container) -> None:
    raw = email_with([("a.xml", invoice_xml(4))], message_id="<same@lieferant.example>")
    _deliver(container, raw)
    again = ingest.receive(container.pipeline, raw, "mail", "test")
    assert again.new is False
    # the same message relayed with another header: its bytes are kept and referred to
    relayed = b"Received: from relay.example\r\n" + raw
    ingest.receive(container.pipeline, relayed, "mail", "test")
    with container.pipeline.sessions() as session:
        records = session.scalars(select(DuplicateRecord).order_by(DuplicateRecord.id)).all()
        assert [r.raw_sha256 is None for r in records] == [True, False]
    assert _check(container).ok
    files = [p for p in Path(container.settings.blob_dir).rglob("*") if p.is_file()]
    assert len(files) == 3


def test_the_same_mailbox_item_fetched_again_is_no_redelivery(container: Container) -> None:
    raw = email_with([("a.xml", invoice_xml(5))], message_id="<once@lieferant.example>")
    for _ in range(3):  # a poll cut off before the move, then two pollers at once
        ingest.receive(container.pipeline, raw, "mail", "imap://x/INBOX uid 7", polled_item=True)
    ingest.receive(container.pipeline, raw, "mail", "imap://x/INBOX uid 9", polled_item=True)
    ingest.receive(container.pipeline, raw, "mail", "imap://x/INBOX uid 9", polled_item=True)
    with container.pipeline.sessions() as session:
        assert len(session.scalars(select(DuplicateRecord)).all()) == 1  # uid 9: delivered again
        assert session.scalars(select(Message)).one().deliveries == 2
