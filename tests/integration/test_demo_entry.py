"""The demo's Weberfassung invoice: typed by the demo supplier through the form's services,
accepted, in Amt 10's queue as channel Weberfassung, without holds (its verified account)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from einvoice.services import invoice_entry as entry
from einvoice.services import workflow
from einvoice.services.demo_entry import seed_entry
from einvoice.services.holds import holds_of
from einvoice.services.queues import invoice_detail
from einvoice.storage.creditor_tables import InvoiceSupplierRow
from einvoice.storage.tables import Document, Invoice, Message
from tests.integration.conftest import make_container
from tests.integration.web import account
from tests.integration.workflow_setup import seed_creditors


def test_the_demo_supplier_types_a_two_line_invoice_with_skonto(tmp_path: Path) -> None:
    from einvoice.services.accounts import Role

    container = make_container(tmp_path, None)
    pipeline = container.pipeline
    seed_creditors(pipeline)
    account(container, "lieferant", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    routed: list[int] = []

    def route(invoice_id: int) -> None:
        workflow.route(pipeline, invoice_id)
        routed.append(invoice_id)

    done = seed_entry(pipeline, "lieferant", route)
    year = entry.today(pipeline).year
    assert routed == [done.invoice_id]
    assert done.summary_de == (
        f"1 Rechnung über die Weberfassung erfasst (RE-{year}-0815 von Bürobedarf Hansen GmbH, "
        "2 Positionen, 334,75 EUR, 2 % Skonto bei Zahlung binnen 14 Tagen): im Arbeitskorb "
        "Amt 10 – Hauptamt."
    )
    with container.sessions() as session:
        invoice = session.get(Invoice, done.invoice_id)
        assert invoice is not None and invoice.line_count == 2
        message = session.scalars(
            select(Message)
            .join(Document, Document.message_id == Message.id)
            .where(Document.id == invoice.document_id)
        ).one()
        assert message.channel == "weberfassung"
        supplier = session.get(InvoiceSupplierRow, done.invoice_id)
        assert supplier is not None and supplier.creditor_id is not None
        xml = pipeline.blobs.get(message.raw_sha256)
    assert b"#SKONTO#TAGE=14#PROZENT=2.00#" in xml
    assert not [h for h in holds_of(pipeline, done.invoice_id) if h.open]
    assert invoice_detail(pipeline, done.invoice_id).status == "routed"
