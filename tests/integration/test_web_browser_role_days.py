"""A day of a role in Chromium (issue 25, Must show), with screenshots to look at in
``tests/artifacts/web/tag-*.png`` and the decision paper's pages in ``tests/artifacts/paper/``:

- a supplier uploads a plain PDF and reads what to do (page and report PDF in plain words);
- an approver works only from the view "Bereit zur Anordnung", with the keyboard;
- the Stabsstelle opens every drill-down of the dashboard and downloads the decision paper
  (every page rendered to PNG; the table "Punkte je Kriterium" keeps its columns apart).

Creditor accounting's day (a creditor from a held invoice, confirmed by a second person) is
tested with finding 1's work.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter
from sqlalchemy import select

from einvoice.samplegen.ubl import to_ubl
from einvoice.services import workflow
from einvoice.services.accounts import Role
from einvoice.storage.tables import Invoice
from tests.helpers import IN_CI, ROOT
from tests.integration.browser import chromium, live_server, same_page, shot, sign_in
from tests.integration.plain_words import overlapping_words, pdf_text, unplain
from tests.integration.web import PASSWORD, account, make_app
from tests.integration.workflow_setup import sample

SAMPLES = ROOT / "samples"
PAPER_PAGES = ROOT / "tests" / "artifacts" / "paper"
TAB_LIMIT = 120  # Tab presses before giving up on reaching an element


def _plain_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


def _tab_to(page: Any, selector: str, what: str) -> None:
    """Press Tab until ``selector`` has the focus (at most TAB_LIMIT times)."""
    target = page.locator(selector).first
    target.wait_for(state="visible")
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{what} not reached with {TAB_LIMIT} Tab presses ({page.url})")


def test_supplier_uploads_a_plain_pdf_and_reads_what_to_do(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        sign_in(page, base, "hansen", PASSWORD)
        page.goto(base + "/einreichen")
        page.set_input_files("input[type=file]", str(_plain_pdf(tmp_path / "rechnung.pdf")))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        explain = page.locator("section.explain")
        explain.wait_for()
        shot(page, "tag-lieferant-1-einfaches-pdf")
        text = explain.inner_text()
        assert "Ihre Datei ist ein PDF ohne E-Rechnung" in text
        assert "Was Sie jetzt tun können" in text
        for must in ("XRechnung", "ZUGFeRD", "Leitweg-ID", "kostenlose Weberfassung"):
            assert must in text, must
        body = page.inner_text("body")
        assert "fx:ConformanceLevel" not in body and "PDF/A-3" not in body
        assert not unplain(body, ["hansen"]), unplain(body, ["hansen"])

        # the report as PDF, as the supplier downloads it
        with page.expect_download() as download:
            page.click("a:has-text('Prüfbericht als PDF herunterladen')")
        report = Path(download.value.path()).read_bytes()
        words = pdf_text(report, tmp_path)
        assert not unplain(words, ["hansen"]), unplain(words, ["hansen"])
        assert re.search(r"PDF\s+ohne\s+eingebettete\s+E-Rechnung|E-Rechnung", words), words
        _pages_as_png(report, "tag-lieferant-pruefbericht", tmp_path)

        # the list of own invoices says it in the same words
        page.goto(base + "/meine-rechnungen")
        row = page.locator("tr", has_text="rechnung.pdf").first
        row.wait_for()
        shot(page, "tag-lieferant-2-meine-rechnungen")
        assert not unplain(page.inner_text("body"), ["hansen"])


def test_approver_works_only_from_the_ready_for_order_view(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    # who verified the sample creditors' bank accounts (tests.integration.web.account)
    account(container, "kb.zweit", Role.CREDITOR_ACCOUNTING)
    logins = ["hansen", "a10.becker", "a10.schmitt", "kb.zweit"]
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        sign_in(page, base, "hansen", PASSWORD)
        for n in (1, 2):
            upload = tmp_path / f"tag-{n}.xml"
            upload.write_bytes(to_ubl(sample(n, number=f"TAG-{n}")))
            page.goto(base + "/einreichen")
            page.set_input_files("input[type=file]", str(upload))
            page.click("button:has-text('Einreichen und prüfen')")
            page.wait_for_url("**/einreichungen/*")
        page.close()
        pipeline = container.pipeline
        with container.sessions() as session:
            ready, waiting = session.scalars(select(Invoice.id).order_by(Invoice.id)).all()[:2]
            ready_number = session.get(Invoice, ready).number
            waiting_number = session.get(Invoice, waiting).number
        # the clerk signed one invoice twice; the other still waits for sachlich richtig
        workflow.act(pipeline, ready, "confirm_sachlich", "a10.becker")
        workflow.act(pipeline, ready, "confirm_rechnerisch", "a10.becker")

        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        sign_in(page, base, "a10.schmitt", PASSWORD)
        page.wait_for_url("**/eingang")
        view = "nav a:has-text('Bereit zur Anordnung')"
        assert "(1)" in page.locator(view).first.inner_text()
        _tab_to(page, view, "the view 'Bereit zur Anordnung'")
        page.keyboard.press("Enter")
        page.wait_for_url("**/eingang?*mine=anordnung*")
        listing = page.locator("table.queue tbody")
        listing.wait_for()
        shot(page, "tag-anordnung-1-bereit")
        assert ready_number in listing.inner_text()
        assert waiting_number not in listing.inner_text()  # still waits for sachlich richtig
        link = f"table.queue tbody a:has-text('{ready_number}')"
        _tab_to(page, link, f"the invoice {ready_number} in the view")
        page.keyboard.press("Enter")
        page.wait_for_url("**/rechnungen/*")
        invoice_url = page.url.split("?")[0]
        shot(page, "tag-anordnung-2-rechnung")
        order = "button:has-text('Zahlung anordnen')"
        _tab_to(page, order, "the button 'Zahlung anordnen'")
        page.keyboard.press("Enter")
        page.wait_for_url(same_page(invoice_url))
        page.locator("text=Angeordnet").first.wait_for()
        assert page.locator(order).count() == 0
        shot(page, "tag-anordnung-3-angeordnet")
        # "geprüft von kb.zweit" in the Auszahlungsanordnung was a login name (now fixed)
        assert not unplain(page.inner_text("body"), logins), unplain(
            page.inner_text("body"), logins
        )

        page.goto(base + "/eingang?mine=anordnung")
        page.locator(view).first.wait_for()
        assert "(0)" in page.locator(view).first.inner_text()
        assert ready_number not in page.locator("main").inner_text()
        shot(page, "tag-anordnung-4-leer")
    with container.sessions() as session:
        assert session.get(Invoice, ready) is not None


def _pages_as_png(pdf: bytes, prefix: str, tmp: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        if IN_CI:
            pytest.fail("pdftoppm (poppler-utils) is missing (CI=true: fails the run)")
        pytest.skip("SKIPPED LOUDLY - pdftoppm (poppler-utils) not installed")
    PAPER_PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAPER_PAGES.glob(f"{prefix}-*.png"):
        old.unlink()
    source = tmp / f"{prefix}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(source), str(PAPER_PAGES / prefix)],
        check=True,
        timeout=120,
    )
    pages = sorted(PAPER_PAGES.glob(f"{prefix}-*.png"))
    assert pages, f"pdftoppm made no page of {prefix}"
    return pages


def _mail_in(pipeline: Any, data: bytes) -> None:
    from einvoice.services import ingest, process
    from tests.integration.workflow_setup import email_with

    raw = email_with([("rechnung.xml", data)], sender="Lieferant <rechnung@lieferant.example>")
    received = ingest.receive(pipeline, raw, "mail", "test")
    for document_id in ingest.split(pipeline, received.message_id):
        process.process(pipeline, document_id)


def test_stabsstelle_opens_every_drill_down_and_the_decision_paper(tmp_path: Path) -> None:
    from einvoice.services.demo_history import seed_pilot_history
    from einvoice.services.demo_portfolio import seed_portfolio

    application, container = make_app(tmp_path)
    today = date.today()
    seed_pilot_history(container.pipeline, today, weeks=3)
    seed_portfolio(container.sessions, today)
    # rejections, so that the dashboard's rejection reasons lead to rule drill-downs
    for n in (1, 2):
        _mail_in(container.pipeline, to_ubl(sample(n, number=f"OHNE-{n}", buyer_reference=None)))
    account(container, "stab.meier", Role.STABSSTELLE)
    logins = ["stab.meier"]
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        sign_in(page, base, "stab.meier", PASSWORD)
        page.goto(base + "/stabsstelle")
        shot(page, "tag-stabsstelle-1-uebersicht")
        assert not unplain(page.inner_text("body"), logins), unplain(
            page.inner_text("body"), logins
        )
        links = page.eval_on_selector_all(
            "a[href*='/stabsstelle/beleg/']", "els => [...new Set(els.map(e => e.href))]"
        )
        assert len(links) >= 10, links
        # the rejection reasons' chart links nowhere yet: its drill-down by address
        links.append(base + "/stabsstelle/beleg/rule:BR-DE-15")
        problems: list[str] = []
        headings: set[str] = set()
        for n, link in enumerate(links):
            answer = page.goto(link)
            assert answer is not None and answer.status == 200, (link, answer and answer.status)
            heading = page.locator("h1").first.inner_text()
            headings.add(heading)
            if n < 2 or "rule" in link:
                shot(page, f"tag-stabsstelle-beleg-{n:02d}")
            if "rule" in link:
                assert "Abgelehnt wegen: Die Käuferreferenz (BT-10" in heading, heading
                assert "OHNE-1" in page.locator("main").inner_text()
            problems += [f"{link}: {p}" for p in unplain(page.inner_text("body"), logins)]
            if "Kennzahl" in heading and "„" in heading:
                problems.append(f"{link}: Überschrift mit Schlüssel: {heading}")
        assert not problems, "\n".join(problems)

        page.goto(base + "/stabsstelle")
        with page.expect_download(timeout=120_000) as download:
            page.click("a:has-text('Entscheidungsvorlage (PDF)')")
        pdf = Path(download.value.path()).read_bytes()
    words = pdf_text(pdf, tmp_path)
    assert not unplain(words, logins), "\n".join(unplain(words, logins))
    pngs = _pages_as_png(pdf, "tag-stabsstelle-vorlage", tmp_path)
    assert len(pngs) >= 5, pngs
    assert "Punkte je Kriterium" in words, "the table 'Punkte je Kriterium' is missing"
    # no cell runs into the next, no headers collide ("Behördenpostfach22,5" on the appendix
    # page, "Verpflichtung" over "Dringlichkeit"), on any page
    overlaps = overlapping_words(pdf, tmp_path)
    assert not overlaps, "\n".join(overlaps)
