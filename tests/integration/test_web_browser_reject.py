"""Rejecting in a real Chromium: the confirmation appears where the clerk looks (issue 14)."""

from __future__ import annotations

from pathlib import Path

from einvoice.services.accounts import Role
from tests.helpers import ROOT
from tests.integration.browser import chromium, live_server, shot, sign_in
from tests.integration.web import PASSWORD, account, make_app

SAMPLES = ROOT / "samples"


def test_rejection_confirmation_is_in_view_and_focused(tmp_path: Path) -> None:
    # Seen on the demo: after "Ablehnen …" the page reloaded at its top and the question
    # "Rechnung wirklich ablehnen?" sat below the payment holds, out of sight.
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, bound=False)  # its upload is held
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="de-DE")
        sign_in(page, base, "hansen", PASSWORD)
        page.goto(base + "/einreichen")
        page.set_input_files("input[type=file]", str(SAMPLES / "xrechnung-ubl.xml"))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        page.click("button:has-text('Abmelden')")
        sign_in(page, base, "a10.becker", PASSWORD)
        page.wait_for_url("**/eingang")
        page.click("td.nr a")
        page.wait_for_url("**/rechnungen/*")
        assert page.locator("#sperren").is_visible()  # holds between the facts and actions
        page.click("summary:has-text('Ablehnen')")
        page.fill("#ablehnung", "Leistung nicht erbracht")
        page.click("button:has-text('Ablehnen …')")
        heading = page.locator("h2:has-text('Rechnung wirklich ablehnen?')")
        heading.wait_for()
        shot(page, "reject-confirmation")
        box = heading.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 800, box
        yes = page.locator("button:has-text('Ja, endgültig ablehnen')")
        yes_box = yes.bounding_box()
        assert yes_box is not None and yes_box["y"] + yes_box["height"] <= 800, yes_box
        # keyboard: the focus is on the question, the next Tab reaches the decision
        focused = page.evaluate("document.activeElement.id")
        assert focused == "ablehnen-bestaetigen", focused
        page.keyboard.press("Tab")
        assert "endgültig ablehnen" in page.evaluate("document.activeElement.textContent")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        notice = page.locator(".notice[role=status]")
        assert "Die Rechnung wurde abgelehnt" in notice.inner_text()
