"""Return and rejection e-mails (issue 25, finding 3): to the portal account that uploaded the
invoice, the invoice's address (BT-43) in copy; the text says what happens next by the reason:
returned for correction -> correct and send again (how: portal / e-mail); rejected on substance
-> final, no invitation to resend, whom to contact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from einvoice.bootstrap import Container
from einvoice.services import workflow
from einvoice.services.accounts import Role
from einvoice.services.notifications import deliver
from einvoice.storage.tables import Notification
from tests.helpers import ROOT
from tests.integration.web import account, csrf_of, login, make_app
from tests.integration.workflow_setup import receive, sample, setup

SAMPLES = ROOT / "samples"
UPLOADER = "klaus@buero-hansen.example.com"
INVOICE_ADDRESS = "buchhaltung@buero-hansen.example.com"  # BT-43 of the sample


def _uploaded(tmp_path: Path, name: str) -> tuple[Container, int]:
    application, container = make_app(tmp_path / name)
    account(container, "klaus", Role.SUPPLIER, email=UPLOADER)
    supplier = login(application, "klaus")
    page = supplier.get("/einreichen")
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    sent = supplier.post(
        "/einreichen",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("rechnung.xml", data, "application/xml")},
    )
    assert sent.status_code == 303, sent.text
    (invoice_id,) = [i.invoice_id for i in workflow.queue(container.pipeline, "amt-10").items]
    return container, invoice_id


def _mail(container: Container, invoice_id: int) -> Any:
    with container.pipeline.sessions() as session:
        return session.scalars(
            select(Notification).where(
                Notification.invoice_id == invoice_id, Notification.kind == "supplier"
            )
        ).one()


def test_returned_upload_goes_to_the_uploader_with_the_invoice_address_in_copy(
    tmp_path: Path,
) -> None:
    container, invoice_id = _uploaded(tmp_path, "return")
    workflow.act(
        container.pipeline, invoice_id, "return_to_supplier", "a10.becker", "Bestellnummer fehlt."
    )
    mail = _mail(container, invoice_id)
    assert (mail.recipient, mail.cc) == (UPLOADER, INVOICE_ADDRESS)
    assert "zur Berichtigung" in mail.subject
    assert "Bitte berichtigen Sie die Rechnung und senden Sie sie erneut" in mail.body
    assert "Lieferantenportal" in mail.body and "„Rechnung einreichen“" in mail.body
    assert "endgültig" not in mail.body
    (shown,) = workflow.invoice_detail(container.pipeline, invoice_id).notifications
    assert (shown.recipient, shown.cc) == (UPLOADER, INVOICE_ADDRESS)  # invoice show says both


def test_rejection_on_substance_is_final_and_names_whom_to_contact(tmp_path: Path) -> None:
    container, invoice_id = _uploaded(tmp_path, "reject")
    workflow.act(container.pipeline, invoice_id, "reject", "a10.becker", "Nicht bestellt.")
    mail = _mail(container, invoice_id)
    assert (mail.recipient, mail.cc) == (UPLOADER, INVOICE_ADDRESS)
    assert "Nicht bestellt." in mail.body
    assert "Die Ablehnung ist endgültig" in mail.body
    assert "senden Sie sie erneut" not in mail.body and "berichtigen" not in mail.body
    department = workflow_department(container)
    assert f"an das Amt, das sie entschieden hat: {department}" in mail.body


def workflow_department(container: Container) -> str:
    from einvoice.services.workflow_base import ports_of

    found = ports_of(container.pipeline).routing().department("amt-10")
    assert found is not None
    return found.name


def test_mail_without_portal_account_goes_to_the_invoice_address_and_says_by_e_mail(
    container: Container,
) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(0))
    workflow.route(s.pipeline, invoice_id)
    workflow.act(s.pipeline, invoice_id, "return_to_supplier", "a10.becker", "Falscher Betrag.")
    deliver(s.pipeline)
    mail = s.mailer.sent[-1]
    assert (mail.to, mail.cc) == (INVOICE_ADDRESS, ())
    assert "senden Sie sie erneut als E-Rechnung per E-Mail" in mail.body
    assert "Lieferantenportal" not in mail.body


def test_uploader_who_wrote_the_invoice_address_gets_no_copy_of_their_own(
    tmp_path: Path,
) -> None:
    application, container = make_app(tmp_path)
    account(container, "buchhaltung", Role.SUPPLIER, email=INVOICE_ADDRESS.upper())
    supplier = login(application, "buchhaltung")
    page = supplier.get("/einreichen")
    supplier.post(
        "/einreichen",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("r.xml", (SAMPLES / "xrechnung-ubl.xml").read_bytes(), "text/xml")},
    )
    (invoice_id,) = [i.invoice_id for i in workflow.queue(container.pipeline, "amt-10").items]
    workflow.act(container.pipeline, invoice_id, "reject", "a10.becker", "Doppelt bestellt.")
    mail = _mail(container, invoice_id)
    assert mail.recipient.lower() == INVOICE_ADDRESS and mail.cc is None
