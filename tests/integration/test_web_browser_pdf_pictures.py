"""In a real Chromium: a ZUGFeRD PDF with ``/OpenAction`` JavaScript (``app.alert``) opened
in the supplier portal and on the clerk's invoice page shows its pages as pictures and
runs nothing - not one dialog (issue 21, finding 2: the invoice page's ``<iframe>``
handed the PDF to the browser's viewer, which showed the alert within 2 s)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from einvoice.services.accounts import Role
from tests.integration.browser import chromium, live_server, shot, sign_in
from tests.integration.test_web_original_pictures import javascript_pdf
from tests.integration.web import PASSWORD, account, make_app

LOADED = "imgs => imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 600)"


def _watch(page: Any, dialogs: list[str]) -> None:
    def seen(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)


def test_javascript_pdf_runs_nowhere(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    pdf = tmp_path / "rechnung-mit-skript.pdf"
    pdf.write_bytes(javascript_pdf())
    dialogs: list[str] = []
    with live_server(application) as base, chromium() as browser:
        supplier = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        _watch(supplier, dialogs)
        sign_in(supplier, base, "hansen", PASSWORD)
        supplier.goto(base + "/einreichen")
        supplier.set_input_files("input[type=file]", str(pdf))
        supplier.click("button:has-text('Einreichen und prüfen')")
        supplier.wait_for_url("**/einreichungen/*")
        supplier.click("details.page-preview summary")
        supplier.wait_for_function(
            f"() => ({LOADED})([...document.querySelectorAll('img.page-image')])",
            timeout=20000,
        )
        assert supplier.locator("iframe, embed, object").count() == 0
        supplier.wait_for_timeout(2500)  # the alert came within 2 s through the viewer
        shot(supplier, "pdf-bilder-portal")

        clerk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        _watch(clerk, dialogs)
        sign_in(clerk, base, "a10.becker", PASSWORD)
        clerk.goto(base + "/eingang")
        clerk.click("table.queue tbody a:has-text('DW-01052')")
        clerk.wait_for_url("**/rechnungen/*")
        clerk.wait_for_function(
            f"() => ({LOADED})([...document.querySelectorAll('img.page-image')])",
            timeout=20000,
        )
        assert clerk.locator("iframe, embed, object").count() == 0
        assert clerk.locator("text=PDF-ACTIVE-CONTENT").count() > 0  # still said, as before
        clerk.wait_for_timeout(2500)
        shot(clerk, "pdf-bilder-rechnung")
        # the download link gives the file as an attachment, never shown in the browser
        link = clerk.locator("a:has-text('PDF herunterladen')").first
        with clerk.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith(".pdf")
        clerk.wait_for_timeout(1000)
    assert dialogs == []
