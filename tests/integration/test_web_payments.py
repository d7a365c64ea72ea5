"""The payment comes back in the web app (issue 24): creditor accounting reads a camt.054 on
the page "Zahlungen", the clerk's invoice page and the supplier portal say "bezahlt am", the
Stabsstelle sees the Skonto realised; a bad file is refused with line and column; an open
payment is decided on the page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from einvoice.domain.payment_order_number import order_number
from einvoice.samplegen.payments import SamplePayment, camt
from einvoice.samplegen.spec import Skonto
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import workflow
from einvoice.services.accounts import Role
from einvoice.storage.tables import DeadlineRow, Invoice
from tests.integration.payment_setup import CITY_ACCOUNT
from tests.integration.web import account, csrf_of, login, make_app
from tests.integration.workflow_setup import sample


def _ordered_upload(application: Any, container: Any) -> tuple[int, Decimal, Decimal]:
    today = date.today()
    invoice = sample(
        3,
        issue_date=today - timedelta(days=2),
        due_date=today + timedelta(days=28),
        skonto=(Skonto(14, Decimal("2.00")),),
    )
    supplier = login(application, "hansen")
    page = supplier.get("/einreichen")
    sent = supplier.post(
        "/einreichen",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("r.xml", to_ubl(invoice))},
    )
    assert sent.status_code == 303, sent.text
    pipeline = container.pipeline
    with pipeline.sessions() as session:
        invoice_id = session.scalars(select(Invoice.id)).one()
        offer = session.scalars(select(DeadlineRow).where(DeadlineRow.kind == "skonto")).one()
        amount_to_pay, discount = Decimal(offer.amount_to_pay), Decimal(offer.discount)
    workflow.act(pipeline, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")
    workflow.act(pipeline, invoice_id, "order", "a10.schmitt")
    return invoice_id, amount_to_pay, discount


def test_camt054_on_the_page_marks_paid_everywhere(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    for name in ("a10.becker", "a10.neumann", "a10.schmitt"):
        account(container, name, Role.CLERK, department="amt-10")
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    account(container, "cdo", Role.STABSSTELLE)
    invoice_id, to_pay, discount = _ordered_upload(application, container)
    kb = login(application, "kb.krause")
    page = kb.get("/zahlungen")
    assert page.status_code == 200 and "Keine Zahlung wartet" in page.text
    token = csrf_of(page.text)
    today = date.today()
    bad = camt(CITY_ACCOUNT, [SamplePayment(to_pay, today, order_number(invoice_id), "B-1")])
    bad = bad.replace(f">{to_pay:.2f}</Amt>".encode(), b">12,5</Amt>", 1)
    refused = kb.post(
        "/zahlungen/einlesen", data={"csrf_token": token}, files={"file": ("avis.xml", bad)}
    )
    assert refused.status_code == 400
    assert "nichts übernommen" in refused.text and "avis.xml, Zeile" in refused.text
    good = camt(
        CITY_ACCOUNT,
        [
            SamplePayment(to_pay, today, f"{order_number(invoice_id)} Rechnung", "B-1"),
            SamplePayment(Decimal("99.00"), today, "Miete Dezember", "B-2"),
        ],
    )
    done = kb.post(
        "/zahlungen/einlesen", data={"csrf_token": token}, files={"file": ("avis.xml", good)}
    )
    assert done.status_code == 200, done.text
    assert "1 Rechnung als bezahlt erfasst, 1 zur Entscheidung offen" in done.text
    assert "Miete Dezember" in done.text and "ohne Anordnungsnummer" in done.text
    skonto = f"{discount:.2f}".replace(".", ",")
    clerk_page = login(application, "a10.becker").get(f"/rechnungen/{invoice_id}").text
    assert f"bezahlt am {today:%d.%m.%Y} ({skonto} € Skonto genutzt)" in clerk_page
    supplier = login(application, "hansen")
    portal = supplier.get("/meine-rechnungen").text
    assert f"Bezahlt am {today:%d.%m.%Y} ({skonto} € Skonto genutzt)" in portal
    assert 'class="status status-bezahlt"' in portal or "status-bezahlt" in portal
    assert "Bezahlt am" in supplier.get("/meine-rechnungen?stand=bezahlt").text
    assert "Bezahlt am" not in supplier.get("/meine-rechnungen?stand=freigegeben").text
    board = login(application, "cdo").get("/stabsstelle").text
    assert "Skonto realisiert" in board and f"{skonto}\xa0€" in board
    # the open payment: refused without a reason, then decided
    open_id = int(done.text.split('id="z', 1)[1].split('"', 1)[0])
    no_reason = kb.post(
        f"/zahlungen/{open_id}", data={"csrf_token": token, "decision": "kein_bezug"}
    )
    assert no_reason.status_code == 400 and "begründen" in no_reason.text
    decided = kb.post(
        f"/zahlungen/{open_id}",
        data={"csrf_token": token, "decision": "kein_bezug", "note": "Miete, keine Rechnung"},
    )
    assert decided.status_code == 303
    assert "Keine Zahlung wartet" in kb.get("/zahlungen").text
    assert kb.post(f"/zahlungen/{open_id}", data={"decision": "kein_bezug"}).status_code == 403
