"""The Weberfassung's live totals in Chromium count every row the form may have (issue 26):
the script had its own limit of 100 lines and 20 allowances, the form allows more."""

from __future__ import annotations

from pathlib import Path

from einvoice.domain.entry_fields import MAX_LINES
from tests.integration.browser import SCREENSHOTS, chromium, live_server, sign_in
from tests.integration.test_web_invoice_entry import _filled, _new, _post, _world
from tests.integration.test_web_invoice_entry_abuse import _lines
from tests.integration.web import PASSWORD, login


def test_live_totals_count_every_line_of_the_form(tmp_path: Path) -> None:
    application, _ = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location) | _lines(MAX_LINES)  # MAX_LINES lines of 1,00 EUR each
    assert _post(c, location, values, "speichern").status_code == 303
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        sign_in(page, base, "hansen", PASSWORD)
        page.goto(base + location)
        last = page.locator(f"#f-zeile-{MAX_LINES}-menge")
        last.wait_for()
        last.fill("2")  # the last line now 2,00 EUR
        last.dispatch_event("change")
        live = page.locator("#summen-live")
        live.filter(has_text="Vorläufig").wait_for(timeout=10_000)
        net = f"{MAX_LINES + 1},00\xa0€"  # every line counted, the last one twice
        assert f"netto {net}" in live.inner_text(), live.inner_text()
        price = page.locator("#f-zeile-1-preis")
        price.fill("1.500")  # 1500 to a German, 1.5 to a program: the server refuses it
        price.dispatch_event("change")
        live.filter(has_text="bitte Zahlen wie").wait_for(timeout=10_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the totals only: the page is long
        page.locator("#summen").screenshot(path=str(SCREENSHOTS / "weberfassung-summen-live.png"))
