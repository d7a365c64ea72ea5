"""Screens of issue 14 in a real Chromium, with the checks a person makes looking at them:
the supplier portal (multi-upload result, list), the queue, the invoice page beside its PDF,
an error page, and the Stabsstelle's KPI tiles at 1280 and 1024 pixels (no "€" alone on a
line, nothing spilling out of its tile). Screenshots in tests/artifacts/web/."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from einvoice.services.accounts import Role
from einvoice.services.demo_portfolio import seed_portfolio
from tests.helpers import ROOT
from tests.integration import cityyear
from tests.integration.browser import SCREENSHOTS, chromium, live_server, shot, sign_in
from tests.integration.web import PASSWORD, account, make_app

SAMPLES = ROOT / "samples"

# every KPI value on one line and inside its tile: (text, lines, overflow in px)
_TILE_CHECK = """() => [...document.querySelectorAll('.tile span')].map(s => {
  const style = getComputedStyle(s);
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
  const tile = s.closest('.tile');
  const pad = parseFloat(getComputedStyle(tile).paddingRight);
  const inner = tile.getBoundingClientRect().right - pad;
  const range = document.createRange();
  range.selectNodeContents(s);
  const text = range.getBoundingClientRect();
  return [s.textContent.trim(), Math.round(text.height / line), Math.round(text.right - inner)];
})"""


def _top(page: Any, name: str) -> None:
    """The screen as first seen (the viewport), beside the full-page shot."""
    shot(page, name)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-oben.png"), full_page=False)


def _tiles_fit(page: Any) -> list[list[Any]]:
    found: list[list[Any]] = page.evaluate(_TILE_CHECK)
    assert found, "no KPI tiles on the page"
    return found


def test_dashboard_tiles_at_1280_and_1024(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    cityyear.insert_rows(container.engine, cityyear.generate(invoices=4000, today=date.today()))
    seed_portfolio(container.sessions, date.today())
    account(container, "cdo", Role.STABSSTELLE)
    with live_server(application) as base, chromium() as browser:
        for width in (1280, 1024):
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="de-DE")
            sign_in(page, base, "cdo", PASSWORD)
            page.wait_for_url("**/stabsstelle")
            _top(page, f"screens-stabsstelle-{width}")
            tiles = _tiles_fit(page)
            money = [t for t in tiles if "€" in t[0]]
            assert money, tiles
            wrapped = [t for t in tiles if t[1] > 1]
            spilled = [t for t in tiles if t[2] > 0]
            assert not wrapped and not spilled, (width, wrapped, spilled)
            # the exit criteria's actual values ("94,8 %", "9,2 Tage") keep their unit too
            heights = page.evaluate(
                "() => [...document.querySelectorAll('.exit tbody td:nth-child(3)')].map(td => {"
                " const r = document.createRange(); r.selectNodeContents(td);"
                " return [td.textContent.trim(), r.getBoundingClientRect().height,"
                " parseFloat(getComputedStyle(td).fontSize)]; })"
            )
            assert heights and all(h < 2 * size for _, h, size in heights), heights
            assert re.search(r"berechnet in \d+,\d\d s", page.content())  # not "0.26 s"
            page.close()


def test_supplier_clerk_and_error_screens(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        sign_in(page, base, "hansen", PASSWORD)
        page.goto(base + "/einreichen")
        page.set_input_files(
            "input[type=file]",
            [
                str(SAMPLES / "zugferd-en16931.pdf"),
                str(SAMPLES / "invalid" / "cii-summe-falsch.xml"),
                str(SAMPLES / "xrechnung-ubl.xml"),
            ],
        )
        assert "3 Dateien" in page.inner_text("#chosen")
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_selector("h1:has-text('Ergebnis Ihrer Einreichung')")
        assert page.locator("table.list tbody tr").count() == 3
        _top(page, "screens-lieferant-mehrere-dateien")
        page.click("a:has-text('Meine Rechnungen') >> nth=-1")
        page.wait_for_url("**/meine-rechnungen")
        assert page.locator("table.list tbody tr").count() == 3
        _top(page, "screens-lieferant-meine-rechnungen")
        page.fill("input[name=q]", "560,25")
        page.click("button:has-text('Suchen')")
        page.wait_for_url("**/meine-rechnungen?*")
        _top(page, "screens-lieferant-suche-betrag")
        page.goto(base + "/meine-rechnungen?stand=abgelehnt")
        page.click("a:has-text('Prüfbericht') >> nth=0")
        page.wait_for_url("**/einreichungen/*")
        assert page.locator("text=erwartet").first.is_visible()
        _top(page, "screens-lieferant-pruefbericht-br-co-15")
        page.close()

        clerk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        sign_in(clerk, base, "a10.becker", PASSWORD)
        clerk.goto(base + "/eingang")
        _top(clerk, "screens-eingang")
        clerk.click("table.queue tbody a:has-text('DW-01052')")  # the ZUGFeRD invoice
        clerk.wait_for_url("**/rechnungen/*")
        clerk.wait_for_selector("img.page-image")  # the supplier's PDF as page pictures
        assert clerk.locator("iframe, object, embed").count() == 0  # never the PDF viewer
        _top(clerk, "screens-rechnung-mit-pdf")
        response = clerk.goto(base + "/rechnungen/999999")
        assert response is not None and response.status == 404
        assert "text/html" in (response.headers.get("content-type") or "")
        _top(clerk, "screens-fehler-404")
        clerk.close()


LONG_NUMBER = "RE-2026-STADTWERKE-NETZ-ABRECHNUNG-SAMMELRECHNUNG-0000012345"  # 60 characters
# the lines each invoice number of the queue takes: [[number, lines], ...]
_NUMBER_LINES = """() => [...document.querySelectorAll('table.queue td.nr a')].map(a => {
  const range = document.createRange();
  range.selectNodeContents(a);
  return [a.textContent.trim(), range.getClientRects().length];
})"""


def test_queue_with_holds_fits_1280_pixels(tmp_path: Path) -> None:
    # Tried on the demo at 1280 px: the queue table was 54 px wider than the page, so the
    # "Frist" column ("überschritten (597 Tage)") was cut off behind a horizontal scrollbar.
    # And a 60-character invoice number (kept on one line) made the queue wider than 1280 px.
    from einvoice.samplegen.spec import iban
    from einvoice.samplegen.ubl import to_ubl
    from tests.integration.web import csrf_of, login
    from tests.integration.workflow_setup import sample

    application, container = make_app(tmp_path)
    account(container, "mallory", Role.SUPPLIER, bound=False, organisation="Irgendwas")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    supplier = login(application, "mallory")
    # an unbound account, another IBAN, the same amount twice: every hold marker at once
    for number in ("BH-2025-2026-00048", "BH-2025-2026-00049", LONG_NUMBER):  # as in the demo
        forged = sample(1, iban=iban("DE", "370400440532013000"), number=number)
        form = supplier.get("/einreichen")
        sent = supplier.post(
            "/einreichen",
            data={"csrf_token": csrf_of(form.text)},
            files={"file": ("kit.xml", to_ubl(forged))},
        )
        assert sent.status_code == 303
    with live_server(application) as base, chromium() as browser:
        clerk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        sign_in(clerk, base, "a10.becker", PASSWORD)
        clerk.goto(base + "/eingang")
        assert clerk.locator("table.queue .hold-marker").count() == 3
        _top(clerk, "screens-eingang-sperren-1280")
        width = clerk.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"the queue is {width} px wide at 1280 px"
        lines = dict(clerk.evaluate(_NUMBER_LINES))
        assert lines["BH-2025-2026-00048"] == 1, lines  # a normal number: one line
        assert lines["BH-2025-2026-00049"] == 1, lines
        assert lines[LONG_NUMBER] > 1, lines  # only a very long one breaks
        clerk.close()
