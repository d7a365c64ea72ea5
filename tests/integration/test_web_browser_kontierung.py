"""End to end in Chromium (issue 24): creditor accounting imports the chart of accounts; the
clerk accepts a suggested Kontierung with one key, splits the invoice across two
Buchungsstellen and signs; the approver orders; the Auszahlungsanordnung PDF lists every
element; the HKR export has two booking lines. Screenshots and the PDF (with a PNG of its
first page) land in tests/artifacts/web/."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from einvoice.domain.kontierung import Basis, SplitRequest
from einvoice.services import kontierung, workflow
from einvoice.services.accounts import Role
from tests.integration.browser import (
    SCREENSHOTS,
    chromium,
    live_server,
    same_page,
    shot,
    sign_in,
    sign_out,
)
from tests.integration.web import PASSWORD, account, make_app
from tests.integration.workflow_setup import big_sample, receive, sample

CHART = (
    "Produkt;Sachkonto;Kostenstelle;Auftrag;Bezeichnung;gueltig_ab;gueltig_bis;aemter;bga\n"
    "11.1.01.01;5431000;1000;;Geschäftsaufwand Hauptamt;01.01.2020;;amt-10;nein\n"
    "11.1.01.01;5271000;1000;;Bürobedarf Hauptamt;;;amt-10;nein\n"
)
A = "11.1.01.01/5431000/1000"
B = "11.1.01.01/5271000/1000"


def _wcag(page: object) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page (the form and the order section)."""
    from axe_playwright_python.sync_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def test_kontierung_split_order_pdf_and_export(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    pipeline = container.pipeline
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "a10.neumann", Role.CLERK, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    chart_file = tmp_path / "kontenplan.csv"
    chart_file.write_text(CHART, encoding="utf-8")
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="de-DE")
        # creditor accounting imports the chart of accounts
        sign_in(page, base, "kb.krause", PASSWORD)
        page.goto(base + "/kontenplan")
        page.set_input_files("input[type=file]", str(chart_file))
        page.click("button:has-text('Einlesen')")
        assert "2 Buchungsstellen neu" in page.locator("[role=status]").inner_text()
        shot(page, "kontierung-01-kontenplan")
        sign_out(page)

        # history: an earlier invoice of the same creditor went to B
        first = receive(pipeline, sample(41))
        workflow.route(pipeline, first)
        kontierung.assign(pipeline, first, "a10.becker", [SplitRequest(B, Basis.REST)])
        workflow.act(pipeline, first, "confirm_sachlich", "a10.becker")
        workflow.act(pipeline, first, "confirm_rechnerisch", "a10.neumann")
        workflow.act(pipeline, first, "order", "a10.schmitt")
        workflow.export(pipeline, "csv")
        second = receive(pipeline, big_sample(41, "321.00", number="R-2026-0002"))
        workflow.route(pipeline, second)
        due = kontierung.view(pipeline, second).amount_due

        # the clerk: one key takes the first suggestion, then splits across A and B
        sign_in(page, base, "a10.becker", PASSWORD)
        page.goto(f"{base}/rechnungen/{second}")
        invoice_url = page.url
        suggestion = page.locator("#kontierung button:has-text('Vorschlag 1 übernehmen')")
        assert "frühere Rechnungen dieses Kreditors" in page.locator("#kontierung").inner_text()
        shot(page, "kontierung-02-vorschlag")
        assert _wcag(page) == []
        suggestion.evaluate("b => b.focus()")  # autofocus; made sure for the test
        page.keyboard.press("Enter")
        page.wait_for_url(same_page(invoice_url))
        # the URL matches before the reload is done: wait (bounded) for the saved Kontierung
        page.locator("#kontierung table", has_text=B).first.wait_for(timeout=30_000)
        table = page.locator("#kontierung table").first.inner_text()
        assert B in table and "Vorschlag" in page.locator("#kontierung").inner_text()
        rows = page.locator("form.kontierung-form tbody tr")
        rows.nth(0).locator("input[name=stelle]").fill(A)
        rows.nth(0).locator("select[name=art]").select_option("prozent")
        rows.nth(0).locator("input[name=wert]").fill("60")
        rows.nth(1).locator("input[name=stelle]").fill(B)
        rows.nth(1).locator("select[name=art]").select_option("rest")
        page.click("button:has-text('Kontierung speichern')")
        page.wait_for_url(same_page(invoice_url))
        page.locator("#kontierung", has_text="Kontierung vollständig").wait_for(timeout=30_000)
        section = page.locator("#kontierung").inner_text()
        assert A in section and B in section and "Kontierung vollständig" in section
        shot(page, "kontierung-03-aufgeteilt")
        page.click("button:has-text('Sachlich richtig zeichnen')")
        page.wait_for_url(same_page(invoice_url))
        page.locator("button:has-text('Sachlich richtig zeichnen')").wait_for(
            state="detached", timeout=30_000
        )
        sign_out(page)
        sign_in(page, base, "a10.neumann", PASSWORD)
        page.goto(invoice_url)
        page.click("button:has-text('Rechnerisch richtig zeichnen')")
        page.wait_for_url(same_page(invoice_url))
        page.locator("button:has-text('Rechnerisch richtig zeichnen')").wait_for(
            state="detached", timeout=30_000
        )
        sign_out(page)

        # the approver orders; the payment order is on the page and as PDF
        sign_in(page, base, "a10.schmitt", PASSWORD)
        page.goto(invoice_url)
        page.click("button:has-text('Zahlung anordnen')")
        page.wait_for_url(same_page(invoice_url))
        page.locator("#anordnung", has_text="AO-").wait_for(timeout=30_000)
        order = page.locator("#anordnung").inner_text()
        number = f"AO-{second:07d}"
        assert number in order and A in order and B in order
        shot(page, "kontierung-04-angeordnet")
        assert _wcag(page) == []
        response = page.request.get(f"{base}/rechnungen/{second}/anordnung.pdf")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        pdf = SCREENSHOTS / "kontierung-05-auszahlungsanordnung.pdf"
        pdf.write_bytes(response.body())
        sign_out(page)

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    for element in (
        f"Auszahlungsanordnung {number}",
        "Zahlende Kasse Stadtkasse",
        "Grund der Zahlung Rechnung R-2026-0002",
        "Zahlungsempfänger",
        "IBAN",
        "Fällig am",
        "Skonto",
        "Haushaltsjahr",
        A,
        B,
        "Sachlich richtig",
        "a10.becker",
        "Rechnerisch richtig",
        "a10.neumann",
        "Angeordnet",
        "a10.schmitt",
        "SHA-256",
    ):
        assert element in text, element
    if shutil.which("pdftoppm"):  # a PNG of the first page, to look at
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(pdf.with_suffix("")),
            ],
            check=True,
            timeout=60,
        )

    batch = workflow.export(pipeline, "csv")
    lines = list(csv.DictReader(io.StringIO(batch.content.decode()), delimiter=";"))
    assert [r["buchungsstelle"] for r in lines] == [A, B]
    assert {r["anordnungsnummer"] for r in lines} == {number}
    assert sum(Decimal(r["betrag"]) for r in lines) == due
    (SCREENSHOTS / "kontierung-06-export.csv").write_bytes(batch.content)
