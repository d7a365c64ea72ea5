"""The correction of a returned invoice names the creditor that invoice is assigned to, not
the account's first bound creditor: an account bound to two firms sees the right bank
accounts and no false "new IBAN" notice."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from einvoice.bootstrap import Container
from einvoice.services import holds, workflow
from einvoice.services import invoice_entry as entry
from einvoice.services.accounts import Role
from einvoice.services.creditors import bind
from einvoice.storage.accounts import Account
from einvoice.storage.creditor_tables import CreditorRow, InvoiceSupplierRow
from tests.integration.test_web_invoice_entry import _filled, _invoice_of, _shown, _submit
from tests.integration.web import account, csrf_of, login, make_app

NOTICE = "noch nicht bekannt"


def _creditor_id(container: Container, number: str) -> int:
    with container.sessions() as session:
        found: int = session.scalars(
            select(CreditorRow.id).where(CreditorRow.number == number)
        ).one()
        return found


def test_the_correction_uses_the_creditor_of_the_returned_invoice(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    pipeline = container.pipeline
    account(container, "zwei.firmen", Role.SUPPLIER, bound=False, email="buero@nord.example")
    for number in ("K-70001", "K-70002"):  # Bürobedarf Hansen (first by name), Kommunal-IT
        bind(pipeline, "zwei.firmen", number, "kb.test", "Testkonto")
        bind(pipeline, "zwei.firmen", number, "kb.zweit", "Testkonto")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    hansen, nord = _creditor_id(container, "K-70001"), _creditor_id(container, "K-70002")
    with container.sessions() as session:
        account_id = session.scalars(
            select(Account.id).where(Account.username == "zwei.firmen")
        ).one()
    assert [c.id for c in entry.bound_creditors(pipeline, account_id)] == [hansen, nord]

    c = login(application, "zwei.firmen")
    listing = c.get("/rechnung-erfassen")
    started = c.post(
        "/rechnung-erfassen/neu",
        data={"csrf_token": csrf_of(listing.text), "art": "380", "kreditor": str(nord)},
    )
    assert started.status_code == 303, started.text
    location = started.headers["location"]
    values = _filled(c, location, nummer="NORD-7")
    assert values["verkaeufer_name"] == "Kommunal-IT Service Nord GmbH"
    assert values["iban"] == "DE28210500000098765432"  # Kommunal-IT's verified account
    invoice = _invoice_of(container, _submit(c, location, values))
    with container.sessions() as session:
        supplier = session.get(InvoiceSupplierRow, invoice.id)
        assert supplier is not None and supplier.creditor_id == nord
    assert not holds.holds_of(pipeline, invoice.id)
    workflow.act(pipeline, invoice.id, "return_to_supplier", "a10.becker", "Bitte Auftrag nennen")

    listing = c.get("/rechnung-erfassen")
    corrected = c.post(
        f"/rechnung-erfassen/korrektur/{invoice.id}", data={"csrf_token": csrf_of(listing.text)}
    )
    assert corrected.status_code == 303, corrected.text
    correction = corrected.headers["location"]
    draft = entry.draft(pipeline, account_id, int(correction.rsplit("/", 1)[-1]))
    assert draft.creditor_id == nord  # not Hansen, the first bound creditor by name
    creditor = entry.creditor_of(pipeline, account_id, draft)
    assert creditor is not None and creditor.id == nord
    assert not entry.new_iban(creditor, draft.values["iban"])
    page = c.get(correction).text
    assert _shown(page)["iban"] == "DE28210500000098765432"
    assert NOTICE not in page  # Kommunal-IT's own verified account: nothing to announce
    assert "DE28 2105 0000 0098 7654 32" in page  # offered as the firm's known account
    assert "DE29 2905 0000 0012 3456 78" not in page  # Hansen's is not this firm's account
    assert NOTICE not in c.get(correction + "/vorschau").text


def test_no_creditor_when_the_account_is_not_bound_to_the_assigned_one(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    pipeline = container.pipeline
    account(container, "zwei.firmen", Role.SUPPLIER, bound=False, email="buero@nord.example")
    for number in ("K-70001", "K-70002"):
        bind(pipeline, "zwei.firmen", number, "kb.test", "Testkonto")
        bind(pipeline, "zwei.firmen", number, "kb.zweit", "Testkonto")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    nord, sauber = _creditor_id(container, "K-70002"), _creditor_id(container, "K-70003")
    c = login(application, "zwei.firmen")
    listing = c.get("/rechnung-erfassen")
    started = c.post(
        "/rechnung-erfassen/neu",
        data={"csrf_token": csrf_of(listing.text), "art": "380", "kreditor": str(nord)},
    )
    location = started.headers["location"]
    invoice = _invoice_of(container, _submit(c, location, _filled(c, location, nummer="N-8")))
    with container.sessions() as session:
        account_id = session.scalars(
            select(Account.id).where(Account.username == "zwei.firmen")
        ).one()
        assert entry.assigned_creditor(session, account_id, invoice.id) == nord
        supplier = session.get(InvoiceSupplierRow, invoice.id)
        assert supplier is not None
        supplier.creditor_id = sauber  # assigned to a firm this account may not issue for
        session.commit()
        assert entry.assigned_creditor(session, account_id, invoice.id) is None
        supplier.creditor_id = None  # not assigned at all (unknown supplier)
        session.commit()
        assert entry.assigned_creditor(session, account_id, invoice.id) is None
