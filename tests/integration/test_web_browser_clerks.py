"""Issue 14 in a real browser: the correction loop end to end (return -> corrected upload ->
new version -> approved), and the clerk's approval walked with the keyboard only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from einvoice.services.accounts import Role
from tests.helpers import ROOT
from tests.integration.browser import chromium, live_server, same_page, shot, sign_in, sign_out
from tests.integration.web import PASSWORD, account, make_app

SAMPLE = ROOT / "samples" / "xrechnung-ubl.xml"
NUMBER = "BH-2025-01001"


def _login(page: Any, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)


def _logout(page: Any) -> None:
    sign_out(page)


def _upload(page: Any, base: str, path: Path) -> None:
    page.goto(base + "/einreichen")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('Einreichen und prüfen')")
    page.wait_for_url("**/einreichungen/*")


def _people(container: Any) -> None:
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")


def test_correction_loop_in_the_browser(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    _people(container)
    corrected = tmp_path / "rechnung-korrigiert.xml"
    text = SAMPLE.read_text(encoding="utf-8")
    assert "BE-2025-04100" in text
    corrected.write_text(text.replace("BE-2025-04100", "BE-2025-04711"), encoding="utf-8")
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        _login(page, base, "hansen")
        _upload(page, base, SAMPLE)
        assert page.locator(".verdict.accept").is_visible()
        _logout(page)

        # the clerk returns it: reason required, own form
        _login(page, base, "a10.becker")
        page.click(f"a:has-text('{NUMBER}')")
        page.wait_for_url("**/rechnungen/*")
        first_url = page.url
        page.click("summary:has-text('An den Lieferanten zurückgeben')")
        page.fill("#rueckgabe", "Bitte Bestellnummer ergänzen")
        page.click("button:has-text('Zurückgeben')")
        page.wait_for_url("**hinweis=zurueckgegeben")
        assert page.locator("text=an den Lieferanten zurückgegeben").first.is_visible()
        _logout(page)

        # the supplier is told what to do, and uploads the corrected invoice (same number)
        _login(page, base, "hansen")
        page.goto(base + "/meine-rechnungen")
        row = page.locator("tr", has_text="Zurückgegeben").first
        assert "Bitte Bestellnummer ergänzen" in row.inner_text()
        assert "derselben Rechnungsnummer" in row.inner_text()
        shot(page, "korrektur-01-lieferant-zurueckgegeben")
        _upload(page, base, corrected)
        assert page.locator(".verdict.accept").is_visible()
        assert page.locator("text=Duplikat").count() == 0
        shot(page, "korrektur-02-korrigiert-angenommen")
        _logout(page)

        # the clerk sees version 2; the first one is closed as "ersetzt"
        _login(page, base, "a10.becker")
        assert page.locator("text=Fassung 2").is_visible()
        page.click(f"a:has-text('{NUMBER}')")
        page.wait_for_url("**/rechnungen/*")
        second_url = page.url
        assert second_url != first_url
        assert page.locator("p.notice", has_text="Korrigierte Fassung 2").is_visible()
        page.click("button:has-text('Sachlich richtig zeichnen')")
        page.wait_for_url(same_page(second_url))
        _logout(page)
        _login(page, base, "a10.schmitt")
        page.goto(second_url)
        page.click("button:has-text('Rechnerisch richtig zeichnen')")
        page.wait_for_url(same_page(second_url))
        # four eyes: the order is not offered, and the page says why and who can
        assert page.locator("text=Vier-Augen-Prinzip").is_visible()
        _logout(page)
        account(container, "a10.neumann", Role.APPROVER, department="amt-10")
        _login(page, base, "a10.neumann")
        page.goto(second_url)
        page.click("button:has-text('Zahlung anordnen')")
        page.wait_for_url(same_page(second_url))
        assert page.locator(".status", has_text="angeordnet").is_visible()
        shot(page, "korrektur-03-neue-fassung-angeordnet")
        page.goto(first_url)
        assert page.locator(".status", has_text="ersetzt").is_visible()
        assert page.locator("td", has_text="durch eine korrigierte Fassung ersetzt").is_visible()
        shot(page, "korrektur-04-alte-fassung-ersetzt")
        _logout(page)

        _login(page, base, "hansen")
        page.goto(base + "/meine-rechnungen")
        assert page.locator("tr", has_text="Freigegeben").count() == 1
        assert page.locator("tr", has_text="Ersetzt").count() == 1


def _tab_to(page: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            outline = target.evaluate("e => getComputedStyle(e).outlineStyle")
            assert outline != "none", f"focus on {selector} is not visible"
            return
    raise AssertionError(f"{selector} not reachable with the Tab key")


def test_clerk_approval_with_the_keyboard_only(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    _people(container)
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        _login(page, base, "hansen")
        _upload(page, base, SAMPLE)
        _logout(page)

        page.goto(base + "/login")
        _tab_to(page, "input[name=username]")
        page.keyboard.type("a10.becker")
        _tab_to(page, "input[name=password]")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/eingang")
        _tab_to(page, "a.skip-link", limit=3)  # the first stop: skip to the content
        _tab_to(page, f"a:has-text('{NUMBER}')")
        page.keyboard.press("Enter")
        page.wait_for_url("**/rechnungen/*")
        invoice_url = page.url
        _tab_to(page, "button:has-text('Sachlich richtig zeichnen')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _tab_to(page, "button:has-text('Rechnerisch richtig zeichnen')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert same_page(invoice_url).match(page.url), page.url
        assert page.locator(".status", has_text="rechnerisch richtig").is_visible()
        # a comment, keyboard only: open the disclosure, type, submit
        _tab_to(page, "summary:has-text('Kommentar schreiben')")
        page.keyboard.press("Enter")
        _tab_to(page, "#kommentar")
        page.keyboard.type("Lieferschein liegt vor.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url("**hinweis=kommentiert")
        assert page.locator("text=Lieferschein liegt vor.").first.is_visible()
        shot(page, "tastatur-01-gezeichnet")
