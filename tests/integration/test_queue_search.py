"""The queue in SQL (issue 14): search by number, VAT id, IBAN, amount, Leitweg-ID and line
text; paging; sorting by invoice date; "wartet auf mich" (four eyes and limits respected)."""

from __future__ import annotations

from decimal import Decimal

from einvoice.bootstrap import Container
from einvoice.services import workflow
from einvoice.services.queues import QueueFilters
from einvoice.services.search import parse_query
from einvoice.storage.tables import Invoice
from tests.integration.workflow_setup import big_sample, receive, sample, setup


def _ids(view: workflow.QueueView) -> list[int]:
    return [i.invoice_id for i in view.items]


def test_search_paging_sorting_and_waiting_for_me(container: Container) -> None:
    s = setup(container)
    small = receive(s.pipeline, sample(31))
    large = receive(s.pipeline, big_sample(32, "2000.00"))
    huge = receive(s.pipeline, big_sample(33, "20000.00"))
    for invoice_id in (small, large, huge):
        workflow.route(s.pipeline, invoice_id)
    with s.pipeline.sessions() as session:
        first = session.get(Invoice, small)
        assert first is not None
        number, text = first.number, first.search_text
        vat = first.semantic["BG-4"]["BT-31"]
        iban = first.semantic["BG-16"]["BG-17"][0]["BT-84"]
        line = first.semantic["BG-25"][0]["BG-31"]["BT-153"]
        amount = Decimal(str(first.semantic["BG-22"]["BT-115"]))
    assert number.lower() in text and vat.lower() in text

    def found(query: str) -> list[int]:
        return _ids(workflow.queue(s.pipeline, "amt-10", QueueFilters(search=query)))

    assert found(number) == [small]
    assert small in found(vat.lower())
    spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))  # as printed
    assert small in found(spaced)
    assert small in found(line.split()[0].upper())
    german = f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert found(german) == [small]
    assert found("gibt-es-nicht-4711") == []
    assert set(found("04011000-1234512345-06")) == {small, large, huge}  # Leitweg-ID (BT-10)
    assert parse_query("100%_").words == ("100%_",)  # LIKE wildcards are escaped
    assert found("%") == []

    everything = workflow.queue(s.pipeline, "amt-10", sort="-amount")
    amounts = [i.amount for i in everything.items]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) == 3
    paged = workflow.queue(s.pipeline, "amt-10", sort="-amount", page=2, page_size=2)
    last = everything.items[-1].invoice_id
    assert (paged.matched, paged.pages, paged.page, _ids(paged)) == (3, 2, 2, [last])
    assert paged.total == sum(i.amount for i in workflow.queue(s.pipeline, "amt-10").items)
    # a page beyond the last shows the last one, with the totals of all pages
    beyond = workflow.queue(s.pipeline, "amt-10", sort="-amount", page=9, page_size=2)
    assert (beyond.matched, beyond.pages, beyond.page, _ids(beyond)) == (3, 2, 2, [last])
    assert (beyond.total, beyond.soon, beyond.overdue) == (
        everything.total,
        everything.soon,
        everything.overdue,
    )
    nothing = workflow.queue(s.pipeline, "amt-10", QueueFilters(search="gibt-es-nicht-4711"))
    assert (nothing.matched, nothing.pages, nothing.total, nothing.items) == (0, 1, 0, ())
    issued = workflow.queue(s.pipeline, "amt-10", sort="issued")
    assert [i.issue_date for i in issued.items] == sorted(i.issue_date for i in issued.items)

    # wartet auf mich: the clerk confirms; the approver orders within limit, not own signature
    mine = QueueFilters(waiting_for="a10.becker")
    assert set(_ids(workflow.queue(s.pipeline, "amt-10", mine))) == {small, large, huge}
    for invoice_id in (small, large, huge):
        workflow.act(s.pipeline, invoice_id, "confirm_sachlich", "a10.becker")
        workflow.act(s.pipeline, invoice_id, "confirm_rechnerisch", "a10.becker")
    assert _ids(workflow.queue(s.pipeline, "amt-10", mine)) == []
    schmitt = QueueFilters(waiting_for="a10.schmitt")  # limit 10,000 EUR
    assert set(_ids(workflow.queue(s.pipeline, "amt-10", schmitt))) == {small, large}
    neumann = QueueFilters(waiting_for="a10.neumann")  # limit 250,000 EUR, level 2
    assert set(_ids(workflow.queue(s.pipeline, "amt-10", neumann))) == {small, large, huge}
    assert _ids(workflow.queue(s.pipeline, "amt-10", QueueFilters(waiting_for="a66.braun"))) == []


def test_supplier_filter_and_search_ignore_spaces_and_case_in_identifiers(
    container: Container,
) -> None:
    # Issue 14, seen on the demo: the "Lieferant" filter found nothing for a VAT id typed as
    # printed on letters ("DE 123 456 789"); nor for one typed compact when the invoice wrote
    # it with spaces.
    import dataclasses

    s = setup(container)
    compact = receive(s.pipeline, sample(51))
    base = sample(52)
    spaced_vat = "DE 271 828 182"
    written_spaced = receive(
        s.pipeline, sample(52, seller=dataclasses.replace(base.seller, vat_id=spaced_vat))
    )
    for invoice_id in (compact, written_spaced):
        workflow.route(s.pipeline, invoice_id)
    with s.pipeline.sessions() as session:
        invoice = session.get(Invoice, compact)
        assert invoice is not None
        vat = str(invoice.semantic["BG-4"]["BT-31"])
    assert " " not in vat
    typed = f"{vat[:2]} {vat[2:5]} {vat[5:8]} {vat[8:]}".lower()  # "de 123 456 789"

    def supplier(text: str) -> list[int]:
        return _ids(workflow.queue(s.pipeline, None, QueueFilters(supplier=text)))

    assert supplier(vat) == [compact]
    assert supplier(typed) == [compact]
    assert supplier("DE271828182") == [written_spaced]
    assert supplier("de 2718 28182") == [written_spaced]
    assert supplier("DE 999 999 999") == []

    def search(text: str) -> list[int]:
        return _ids(workflow.queue(s.pipeline, None, QueueFilters(search=text)))

    assert search(typed) == [compact]
    assert search("DE271828182") == [written_spaced]


def test_upgrade_rewrites_the_search_text_of_earlier_invoices(container: Container) -> None:
    import dataclasses

    from sqlalchemy import text

    from einvoice.storage import db

    s = setup(container)
    base = sample(53)
    spaced = dataclasses.replace(base.seller, vat_id="DE 161 803 398")
    invoice_id = receive(s.pipeline, sample(53, seller=spaced))
    workflow.route(s.pipeline, invoice_id)
    with s.pipeline.sessions() as session:  # as recorded before: no compact form
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None and "de161803398" in invoice.search_text
        invoice.search_text = invoice.search_text.replace("de161803398", "")
        session.commit()
    # run migration 0022 alone (later migrations have already run: they must not run twice)
    with container.engine.begin() as connection:
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        connection.execute(
            text("UPDATE alembic_version SET version_num = :v"), {"v": "0021_binding_entered_by"}
        )

    def search(query: str) -> list[int]:
        return _ids(workflow.queue(s.pipeline, None, QueueFilters(search=query)))

    assert search("DE161803398") == []
    db.upgrade(container.settings.database_url, to="0022_search_compact_ids")
    with container.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert search("DE161803398") == [invoice_id]
