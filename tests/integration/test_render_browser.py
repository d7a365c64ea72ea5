"""The rendering in a real headless Chromium: screenshot, visible totals, printed PDF.

Produces the images a person looks at (folder git-ignored):

* ``tests/artifacts/render/invoice.png`` - full-page screenshot of the HTML page;
* ``tests/artifacts/render/invoice-pdf-1.png`` - page 1 of the PDF (pdftoppm, 80 dpi).

Without Chromium (or poppler's pdftoppm) the tests are skipped with a loud
reason; with CI=true they fail instead.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from einvoice.formats.extract import extract
from einvoice.presentation.render import render_html, render_pdf
from tests.helpers import IN_CI, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLE = ROOT / "samples" / "xrechnung-ubl.xml"
ARTIFACTS = ROOT / "tests" / "artifacts" / "render"
TITLE = "Rechnung BH-2025-01001 – Bürobedarf Hansen GmbH"
PNG = b"\x89PNG\r\n\x1a\n"


def _missing(what: str) -> NoReturn:
    message = f"{what} - the browser rendering test cannot run"
    if IN_CI:
        pytest.fail(message + " (CI=true: this must not be skipped)")
    pytest.skip("SKIPPED LOUDLY: " + message)


def _require_chromium() -> None:
    if not CHROMIUM.is_file():
        _missing(f"Chromium not found at {CHROMIUM}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed in this environment")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _open(browser: Any, html_file: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    def on_dialog(dialog: Any) -> None:  # alert() would open one: record and close it
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(html_file.as_uri())
    return page, requests, dialogs


def test_screenshot_of_the_rendered_sample(browser: Any, artifacts: Path) -> None:
    from playwright.sync_api import expect

    invoice = extract(SAMPLE.read_bytes(), SAMPLE.name)
    html_file = artifacts / "invoice.html"
    html_file.write_text(render_html(invoice), encoding="utf-8")
    page, requests, _ = _open(browser, html_file)
    try:
        assert page.title() == TITLE
        heading = page.locator("h1")
        expect(heading).to_be_visible()
        expect(heading).to_contain_text("Rechnung Nr. BH-2025-01001")
        totals = page.locator("section.inv-totals")
        expect(totals).to_be_visible()
        for label, amount in (
            ("BT-106", "493,45\u00a0€"),
            ("BT-109", "493,45\u00a0€"),
            ("BT-110", "66,80\u00a0€"),
            ("BT-112", "560,25\u00a0€"),
        ):
            row = totals.locator("tr", has_text=label)
            expect(row).to_be_visible()
            expect(row).to_contain_text(amount)
        due = totals.locator("tr.due")
        expect(due).to_be_visible()
        expect(due).to_contain_text("Zahlbetrag")
        expect(due).to_contain_text("560,25\u00a0€")
        for line_amount in ("125,00", "37,45", "99,60", "175,60", "55,80"):
            expect(page.locator("table.lines")).to_contain_text(line_amount)
        expect(page.locator("table.skonto")).to_contain_text("28.03.2025")
        # nothing overflows the page sideways
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot = artifacts / "invoice.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()
    assert shot.read_bytes().startswith(PNG)
    assert shot.stat().st_size > 20_000
    assert requests == [html_file.as_uri()], "the page must load nothing else"


def test_hostile_text_stays_text_in_the_browser(browser: Any, artifacts: Path) -> None:
    import dataclasses

    from einvoice.domain.invoice import InvoiceNote

    invoice = extract(SAMPLE.read_bytes(), SAMPLE.name)
    hostile = '<script>alert("note")</script><b>fett</b><img src=x onerror=alert(1)>'
    seller = dataclasses.replace(invoice.seller, name=hostile)
    invoice = dataclasses.replace(invoice, seller=seller, notes=(InvoiceNote(hostile),))
    html_file = artifacts / "invoice-hostile.html"
    html_file.write_text(render_html(invoice), encoding="utf-8")
    page, requests, dialogs = _open(browser, html_file)
    try:
        assert page.locator("script").count() == 0
        assert page.locator("article b, article img").count() == 0
        assert hostile in page.locator(".note").inner_text()
        assert dialogs == []
    finally:
        page.close()
    assert requests == [html_file.as_uri()]


def test_pdf_printed_by_chromium(artifacts: Path) -> None:
    _require_chromium()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        _missing("pdftoppm (poppler-utils) not found")
    invoice = extract(SAMPLE.read_bytes(), SAMPLE.name)
    data = render_pdf(invoice)
    assert data.startswith(b"%PDF-")
    pdf_file = artifacts / "invoice.pdf"
    pdf_file.write_bytes(data)
    target = artifacts / "invoice-pdf-1"
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_file),
            str(target),
        ],
        check=True,
        timeout=60,
    )
    image = artifacts / "invoice-pdf-1.png"
    assert image.read_bytes().startswith(PNG)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf_file), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "BH-2025-01001" in text
        assert "560,25" in text
        assert "Seite 1 von" in text  # page numbers from the print CSS
