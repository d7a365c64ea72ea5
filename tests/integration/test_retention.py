"""Retention on generated data: what is due is gone, tombstones in the chain, audit intact."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from einvoice.bootstrap import Container
from einvoice.domain.retention import TOMBSTONE_ACTION, retained_until
from einvoice.services import audit_trail, retention, workflow
from einvoice.storage.kontierung_tables import PaymentOrderRow
from einvoice.storage.ops_tables import DeletedBlob, RetentionTombstone
from einvoice.storage.tables import AuditEventRow, Document, Invoice, Message, Notification
from tests.integration.workflow_setup import AMT_10, receive, sample, setup

TODAY = date(2026, 12, 1)


def test_retention_rule_counts_from_the_end_of_the_year() -> None:
    assert retained_until(date(2016, 1, 2), 8) == date(2024, 12, 31)
    assert retained_until(date(2016, 12, 31), 10) == date(2026, 12, 31)


def _accounts(container: Container) -> None:
    """The deleting administrator and the Kämmerei's creditor accounting (legal holds)."""
    from einvoice.services.accounts import Role, create_account

    for name, role in (("betrieb", Role.ADMIN), ("kaemmerei", Role.CREDITOR_ACCOUNTING)):
        create_account(container.sessions, name, "Aufbewahrung-2026-geheim!", role, name)


def test_retention_apply_on_generated_data(container: Container) -> None:
    _accounts(container)
    s = setup(container, now=datetime(2016, 5, 2, 9, 0, tzinfo=UTC))
    old = []
    for seed in range(1, 5):
        invoice_id = receive(s.pipeline, sample(seed, buyer_reference=AMT_10))
        workflow.route(s.pipeline, invoice_id)
        old.append(invoice_id)
    # all four closed in 2016: exported, rejected, rejected (then held), returned
    workflow.act(s.pipeline, old[0], "confirm_sachlich", "a10.becker")
    workflow.act(s.pipeline, old[0], "confirm_rechnerisch", "a10.neumann")
    workflow.act(s.pipeline, old[0], "order", "a10.schmitt")
    workflow.export(s.pipeline, "csv")
    workflow.act(s.pipeline, old[1], "reject", "a10.becker", comment="Falsche Bestellnummer")
    workflow.act(s.pipeline, old[2], "reject", "a10.becker", comment="Doppelt")
    workflow.act(s.pipeline, old[3], "return_to_supplier", "a10.becker", comment="Korrektur")
    s.clock.now = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    young = [receive(s.pipeline, sample(seed, buyer_reference=AMT_10)) for seed in (11, 12)]
    for invoice_id in young:
        workflow.route(s.pipeline, invoice_id)
    # the same invoice file again in 2025 (a new e-mail): its bytes must survive
    shared_copy = receive(s.pipeline, sample(4, buyer_reference=AMT_10, number="NEU-4"))
    assert shared_copy
    retention.place_hold(s.pipeline, old[2], "Betriebsprüfung 2027", "kaemmerei")

    with container.sessions() as session:
        digests = {
            i: (m.raw_sha256, d.sha256)
            for i, m, d in session.execute(
                select(Invoice.id, Message, Document)
                .join(Document, Document.id == Invoice.document_id)
                .join(Message, Message.id == Document.message_id)
            )
        }
    due = retention.plan(s.pipeline, TODAY, 8)
    assert {item.invoice_ids for item in due} == {(i,) for i in old}
    assert [item.held for item in due if item.invoice_ids == (old[2],)] == [True]

    result = retention.apply(s.pipeline, TODAY, 8, "betrieb", container.pipeline.blobs.delete)
    assert result.deleted_messages == 3 and result.held == 1
    assert result.tombstone_events == 3

    blobs = container.pipeline.blobs
    for invoice_id in old[:2]:
        raw, document = digests[invoice_id]
        assert not blobs.exists(raw) and not blobs.exists(document)
    raw, document = digests[old[3]]
    assert not blobs.exists(raw)
    sample4 = digests[old[3]][1]
    with container.sessions() as session:
        same_bytes_later = session.scalar(
            select(func.count()).select_from(Document).where(Document.sha256 == sample4)
        )
    if same_bytes_later == 2:  # the invoice file is byte-identical: kept for the 2025 e-mail
        assert blobs.exists(document)
    for invoice_id in [old[2], *young]:  # held and young: untouched
        raw, document = digests[invoice_id]
        assert blobs.exists(raw) and blobs.exists(document)

    with container.sessions() as session:
        tombstones = session.scalars(select(RetentionTombstone)).all()
        assert len(tombstones) == 3
        assert session.scalar(select(func.count()).select_from(DeletedBlob)) >= 4
        for invoice_id in old[:2]:
            invoice = session.get(Invoice, invoice_id)
            assert invoice is not None and invoice.seller_name is None
            assert invoice.semantic["retention"] == "deleted"
            assert invoice.number  # the books keep the key figures
            last = session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.invoice_id == invoice_id)
                .order_by(AuditEventRow.sequence.desc())
            ).first()
            assert last is not None and last.action == TOMBSTONE_ACTION
            assert last.actor == "betrieb"
        message_ids = [t.message_id for t in tombstones]
        assert all(
            m.sender is None and m.subject is None
            for m in session.scalars(select(Message).where(Message.id.in_(message_ids)))
        )
        notes = session.scalars(select(Notification).where(Notification.invoice_id == old[1])).all()
        assert notes and all(n.recipient is None for n in notes)
        order = session.get(PaymentOrderRow, old[0])  # the payment order names payee and IBAN
        assert order is not None and order.payee_name == retention.ERASED
        assert order.iban is None and order.remittance is None and not order.iban_verified
        assert order.number and order.amount  # the books keep the key figures

    report = audit_trail.verify(s.pipeline)
    assert report.ok, report.problems
    assert retention.plan(s.pipeline, TODAY, 8) == [
        item for item in retention.plan(s.pipeline, TODAY, 8) if item.held
    ]
    # a second run changes nothing; releasing the hold lets the next run delete it
    again = retention.apply(s.pipeline, TODAY, 8, "betrieb", container.pipeline.blobs.delete)
    assert again.deleted_messages == 0 and again.held == 1
    assert retention.release_hold(s.pipeline, old[2], "kaemmerei") == 1
    last = retention.apply(s.pipeline, TODAY, 8, "betrieb", container.pipeline.blobs.delete)
    assert last.deleted_messages == 1
    assert not blobs.exists(digests[old[2]][0])
    assert audit_trail.verify(s.pipeline).ok


def test_retention_deletes_the_bytes_of_a_repeated_delivery_too(container: Container) -> None:
    """The same e-mail delivered again with other bytes (other relay headers) keeps those
    bytes as its own original; when the e-mail's retention ends they go with it."""
    from einvoice.services import ingest
    from einvoice.storage.tables import DuplicateRecord
    from tests.integration.mail import email_with
    from tests.integration.workflow_setup import to_ubl

    _accounts(container)
    s = setup(container, now=datetime(2016, 5, 2, 9, 0, tzinfo=UTC))
    data = to_ubl(sample(7, buyer_reference=AMT_10))
    first = email_with([("rechnung.xml", data)], message_id="<r7@lieferant.example>")
    again = b"Received: from relay2.lieferant.example\r\n" + first
    received = ingest.receive(s.pipeline, first, "mail", "test")
    (document_id,) = ingest.split(s.pipeline, received.message_id)
    assert ingest.receive(s.pipeline, again, "mail", "test-2").message_id == received.message_id
    with container.sessions() as session:
        second = session.scalars(
            select(DuplicateRecord.raw_sha256).where(
                DuplicateRecord.message_id == received.message_id
            )
        ).one()
    assert second is not None and container.pipeline.blobs.exists(second)

    result = retention.apply(s.pipeline, TODAY, 8, "betrieb", container.pipeline.blobs.delete)
    assert result.deleted_messages == 1
    assert not container.pipeline.blobs.exists(second), "the repeated delivery's bytes stayed"
    with container.sessions() as session:
        assert session.get(DeletedBlob, second) is not None
    assert document_id
