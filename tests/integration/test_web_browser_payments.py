"""The payment comes back, in a real browser (issue 24): creditor accounting reads the bank's
camt.054 on the page "Zahlungen", the ordered invoice is paid with its Skonto; the supplier
portal says "Bezahlt am", the clerk's invoice page "bezahlt am", and the Stabsstelle's
dashboard shows the Skonto realised. Screenshots in tests/artifacts/web/payments-*.png."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from einvoice.domain.payment_order_number import order_number
from einvoice.samplegen.payments import SamplePayment, camt
from einvoice.samplegen.spec import Skonto
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import workflow
from einvoice.services.accounts import Role
from einvoice.storage.tables import DeadlineRow, Invoice
from tests.integration.browser import (
    SCREENSHOTS,
    chromium,
    live_server,
    shot,
    sign_in,
    sign_out,
)
from tests.integration.payment_setup import CITY_ACCOUNT
from tests.integration.web import PASSWORD, account, make_app
from tests.integration.workflow_setup import sample


def test_camt054_in_the_browser_marks_paid_and_shows_skonto(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    account(container, "cdo", Role.STABSSTELLE)
    today = date.today()
    invoice = sample(
        3,
        number="BH-2026-PAY1",
        issue_date=today - timedelta(days=2),
        due_date=today + timedelta(days=28),
        skonto=(Skonto(14, Decimal("2.00")),),
    )
    upload = tmp_path / "rechnung.xml"
    upload.write_bytes(to_ubl(invoice))
    pipeline = container.pipeline
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        sign_in(page, base, "hansen", PASSWORD)
        page.goto(base + "/einreichen")
        page.set_input_files("input[type=file]", str(upload))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        with pipeline.sessions() as session:
            invoice_id = session.scalars(select(Invoice.id)).one()
            offer = session.scalars(select(DeadlineRow).where(DeadlineRow.kind == "skonto")).one()
            to_pay, discount = Decimal(offer.amount_to_pay), Decimal(offer.discount)
        # the city signs and orders (the workflow's own browser tests show these steps)
        workflow.act(pipeline, invoice_id, "confirm_sachlich", "a10.becker")
        workflow.act(pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")
        workflow.act(pipeline, invoice_id, "order", "a10.schmitt")
        page.goto(base + "/meine-rechnungen")
        assert page.locator("text=Freigegeben – zur Zahlung angewiesen").first.is_visible()
        sign_out(page)

        avis = tmp_path / "avis-camt054.xml"
        avis.write_bytes(
            camt(
                CITY_ACCOUNT,
                [
                    SamplePayment(
                        to_pay,
                        today,
                        f"{order_number(invoice_id)} Rechnung BH-2026-PAY1",
                        "BANK-REF-1",
                        invoice.iban.replace(" ", ""),
                        invoice.seller.name,
                    )
                ],
            )
        )
        sign_in(page, base, "kb.krause", PASSWORD)
        page.click("nav >> text=Zahlungen")
        page.set_input_files("input[type=file]", str(avis))
        page.click("button:has-text('Einlesen')")
        notice = page.locator("p.notice[role=status]")
        notice.wait_for()
        assert (
            "1 Zahlung, 1 Rechnung als bezahlt erfasst, 0 zur Entscheidung offen"
            in notice.inner_text()
        )
        shot(page, "payments-01-camt054-eingelesen")
        page.set_input_files("input[type=file]", str(avis))  # the same file again: nothing
        page.click("button:has-text('Einlesen')")
        page.locator("text=nichts geändert").wait_for()
        sign_out(page)

        skonto = f"{discount:.2f}".replace(".", ",")
        paid_on = f"{today:%d.%m.%Y}"
        sign_in(page, base, "hansen", PASSWORD)
        page.goto(base + "/meine-rechnungen")
        status = page.locator(f"text=Bezahlt am {paid_on} ({skonto} € Skonto genutzt)")
        assert status.first.is_visible()
        shot(page, "payments-02-portal-bezahlt-am")
        sign_out(page)

        sign_in(page, base, "a10.becker", PASSWORD)
        page.goto(f"{base}/rechnungen/{invoice_id}")
        assert page.locator(f"text=bezahlt am {paid_on} ({skonto} € Skonto genutzt)").is_visible()
        shot(page, "payments-03-rechnungsseite")
        sign_out(page)

        sign_in(page, base, "cdo", PASSWORD)
        page.goto(base + "/stabsstelle#zahlungen")
        section = page.locator("section#zahlungen")
        tile = section.locator(".tile", has_text="Skonto realisiert").first
        assert f"{skonto}\u00a0€" in tile.inner_text()
        assert section.locator("table caption", has_text="Je Monat der Zahlung").is_visible()
        shot(page, "payments-04-stabsstelle")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        section.screenshot(path=str(SCREENSHOTS / "payments-05-stabsstelle-zahlungen.png"))
        page.close()
