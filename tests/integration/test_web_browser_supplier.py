"""A supplier in a real browser: register, upload invalid and valid invoices, read the report."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import ROOT
from tests.integration.browser import chromium, live_server, shot
from tests.integration.web import make_app

SAMPLES = ROOT / "samples"


def test_supplier_in_the_browser(tmp_path: Path) -> None:
    application, _ = make_app(tmp_path)
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        page.goto(base + "/login")
        shot(page, "01-login")
        page.click("text=Jetzt registrieren")
        page.fill("input[name=organisation]", "Bürobedarf Hansen GmbH")
        page.fill("input[name=vat_id]", "DE812345673")
        page.fill("input[name=display_name]", "Jana Hansen")
        page.fill("input[name=email]", "jana@hansen.example")
        page.fill("input[name=password]", "ein-sicheres-Passwort-1")
        shot(page, "02-registrieren")
        page.click("button:has-text('Registrieren')")
        page.wait_for_selector("text=Wir haben eine E-Mail")
        page.goto(
            base
            + application.state.mailer.link("jana@hansen.example").replace("https://testserver", "")
        )
        page.fill("input[name=username]", "jana@hansen.example")
        page.fill("input[name=password]", "ein-sicheres-Passwort-1")
        page.click("button:has-text('Anmelden')")
        page.wait_for_url("**/meine-rechnungen")
        page.goto(base + "/einreichen")
        shot(page, "03-einreichen")
        page.set_input_files("input[type=file]", str(SAMPLES / "invalid" / "cii-summe-falsch.xml"))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        assert page.locator(".verdict.reject").is_visible()
        assert page.locator("text=BR-CO-15").first.is_visible()
        shot(page, "04-pruefbericht-abgelehnt")
        page.goto(base + "/einreichen")
        page.set_input_files("input[type=file]", str(SAMPLES / "xrechnung-cii.xml"))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        assert page.locator(".verdict.accept").is_visible()
        shot(page, "05-pruefbericht-angenommen")
        page.goto(base + "/meine-rechnungen")
        assert page.locator("table.list tbody tr").count() == 2
        shot(page, "06-meine-rechnungen")
