"""End to end in a real browser: supplier uploads, the clerk confirms, the approver orders,
the supplier sees the approval. Screenshots of every page land in tests/artifacts/web/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from einvoice.services.accounts import Role
from tests.helpers import ROOT
from tests.integration.browser import chromium, live_server, same_page, shot, sign_in, sign_out
from tests.integration.web import PASSWORD, account, make_app

SAMPLES = ROOT / "samples"


def _login(page: Any, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)


def _logout(page: Any) -> None:
    sign_out(page)


def test_invoice_from_upload_to_approval(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    account(container, "a20.wolf", Role.CLERK, department="amt-20")
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        # the supplier: an invalid invoice first, then a valid one
        _login(page, base, "hansen")
        page.goto(base + "/einreichen")
        page.set_input_files(
            "input[type=file]", str(SAMPLES / "invalid" / "ubl-ohne-leitweg-id.xml")
        )
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        assert page.locator("text=BR-DE-15").first.is_visible()
        shot(page, "e2e-01-lieferant-fehler")
        page.goto(base + "/einreichen")
        page.set_input_files("input[type=file]", str(SAMPLES / "xrechnung-ubl.xml"))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        assert page.locator(".verdict.accept").is_visible()
        shot(page, "e2e-02-lieferant-angenommen")
        _logout(page)

        # another department's clerk does not see it
        _login(page, base, "a20.wolf")
        assert page.locator("text=BH-2025-01001").count() == 0
        _logout(page)

        # the Hauptamt's clerk finds it in the queue and confirms it
        _login(page, base, "a10.becker")
        page.wait_for_url("**/eingang")
        shot(page, "e2e-03-eingang-sachbearbeitung")
        page.click("a:has-text('BH-2025-01001')")
        page.wait_for_url("**/rechnungen/*")
        invoice_url = page.url
        shot(page, "e2e-04-rechnung")
        page.click("button:has-text('Sachlich richtig zeichnen')")
        page.wait_for_url(same_page(invoice_url))
        page.click("button:has-text('Rechnerisch richtig zeichnen')")
        page.wait_for_url(same_page(invoice_url))
        assert page.locator("button:has-text('Zahlung anordnen')").count() == 0
        shot(page, "e2e-05-gezeichnet")
        _logout(page)

        # the approver orders the payment
        _login(page, base, "a10.schmitt")
        page.goto(invoice_url)
        page.click("button:has-text('Zahlung anordnen')")
        page.wait_for_url(same_page(invoice_url))
        assert page.locator("text=Angeordnet").first.is_visible()
        shot(page, "e2e-06-angeordnet")
        _logout(page)

        # the supplier sees the approval
        _login(page, base, "hansen")
        page.goto(base + "/meine-rechnungen")
        row = page.locator("tr", has_text="BH-2025-01001")
        assert "Freigegeben" in row.inner_text()
        shot(page, "e2e-07-lieferant-freigegeben")
