"""Creditor accounting's day in Chromium (issue 25, finding 1 and its Must-show): an e-mailed
invoice of a seller who is no creditor is held "Lieferant unbekannt"; Frau Krause creates the
creditor from the invoice (form prefilled from the invoice), Herr Berger - a second person -
verifies the bank account and confirms the creditor; the hold is lifted. Screenshots under
tests/artifacts/web/kreditor-anlegen-*.png."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from einvoice.samplegen.spec import Contact, german_vat_id, iban
from einvoice.services import creditors, holds, workflow
from einvoice.services.accounts import Role
from tests.integration.browser import chromium, live_server, shot, sign_in, sign_out
from tests.integration.web import PASSWORD, account, make_app
from tests.integration.workflow_setup import receive, sample

NEW_IBAN = iban("DE", "12030000" + "0044556677")


def test_creditor_accounting_creates_a_creditor_from_a_held_invoice(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    account(container, "kb.berger", Role.CREDITOR_ACCOUNTING)
    pipeline = container.pipeline
    stranger = replace(
        sample(0).seller,
        name="Malerbetrieb Neumann GmbH",
        electronic_address="rechnung@maler-neumann.example",
        vat_id=german_vat_id("55544433"),
        registration=None,
        contact=Contact("Jan Neumann", "+49 421 5550123", "buchhaltung@maler-neumann.example"),
    )
    invoice = sample(
        0,
        seller=stranger,
        number="MN-2025-17",
        iban=NEW_IBAN,
        account_name="Malerbetrieb Neumann GmbH",
    )
    invoice_id = receive(pipeline, invoice, sender="rechnung@maler-neumann.example")
    workflow.route(pipeline, invoice_id)

    def open_codes() -> set[str]:
        return {h.code.value for h in holds.holds_of(pipeline, invoice_id) if h.open}

    assert open_codes() == {"unknown-supplier"}
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")

        # 1. Frau Krause finds the held invoice on her start page and creates the creditor
        sign_in(page, base, "kb.krause", PASSWORD)
        page.goto(base + "/kreditoren")
        row = page.locator("#gesperrt tr", has_text="MN-2025-17")
        assert "Lieferant unbekannt" in row.inner_text()
        row.locator("a:has-text('Kreditor anlegen')").click()
        page.wait_for_url(f"**/kreditoren/neu?rechnung={invoice_id}")
        assert page.input_value("input[name=name]") == "Malerbetrieb Neumann GmbH"
        assert page.input_value("input[name=vat_ids]") == german_vat_id("55544433")
        assert page.input_value("input[name=iban]") == NEW_IBAN
        assert page.input_value("input[name=number]") == ""
        assert page.input_value("input[name=emails]") == "buchhaltung@maler-neumann.example"
        assert page.input_value("input[name=holder]") == "Malerbetrieb Neumann GmbH"
        assert page.input_value("input[name=city]") == "Bremen"
        shot(page, "kreditor-anlegen-01-formular-vorausgefuellt")
        page.fill("input[name=number]", "K-80017")
        page.fill("textarea[name=reason]", "USt-IdNr. beim BZSt bestätigt, Auftrag Amt 10")
        page.click("button:has-text('Kreditor anlegen und vorschlagen')")
        page.wait_for_url(f"**/rechnungen/{invoice_id}?hinweis=kreditor-angelegt")
        notice = page.locator("[role=status]", has_text="Kreditor ist angelegt")
        assert notice.is_visible()
        assert page.locator("text=Vorschlag: K-80017 Malerbetrieb Neumann GmbH").is_visible()
        shot(page, "kreditor-anlegen-02-vorgeschlagen")
        assert open_codes() == {"unknown-supplier"}
        assert open_codes() == {"unknown-supplier"}
        # she is not offered to confirm her own proposal (only to propose another creditor)
        holds_card = page.locator("#sperren")
        assert holds_card.locator("text=bestätigen muss eine zweite Person").is_visible()
        assert page.locator("button:has-text('Kreditor zuordnen')").count() == 0
        assert page.input_value("#sperren input[name=creditor]") == ""
        assert page.locator("button:has-text('Anderen Kreditor vorschlagen')").is_visible()
        # nor to verify the bank account she entered (four eyes): said on the creditor's page
        creditor = creditors.find(pipeline, "K-80017")
        page.goto(f"{base}/kreditoren/{creditor.id}")
        assert page.locator("button:has-text('Als geprüft festhalten')").count() == 0
        assert page.locator("#konten", has_text="zweite Person").is_visible()
        shot(page, "kreditor-anlegen-03-konto-ungeprueft-eigene-eingabe")
        sign_out(page)

        # 2. Herr Berger verifies the bank account and confirms the creditor
        sign_in(page, base, "kb.berger", PASSWORD)
        page.goto(f"{base}/kreditoren/{creditor.id}")
        page.fill("#konten textarea[name=how]", "Rückruf unter der Nummer aus dem Telefonbuch")
        page.click("button:has-text('Als geprüft festhalten')")
        page.wait_for_url("**hinweis=geprueft**")
        assert page.locator("text=geprüft von").first.is_visible()
        # the invoice is not the creditor's yet: no "Sperre aufgehoben bei 0 Rechnungen"
        assert page.locator("text=Keine wartende Rechnung war deswegen gesperrt").is_visible()
        shot(page, "kreditor-anlegen-04-konto-geprueft")
        page.goto(f"{base}/rechnungen/{invoice_id}")
        assert page.input_value("#sperren input[name=creditor]") == "K-80017"
        page.fill("#sperren textarea[name=reason]", "Vorschlag geprüft: Anschrift und USt-IdNr.")
        page.click("button:has-text('Kreditor zuordnen')")
        page.wait_for_url("**hinweis=kreditor-zugeordnet")
        assert page.locator("text=Lieferant unbekannt").first.is_visible()  # as cleared
        assert page.locator("text=Aufgehoben von").first.is_visible()
        shot(page, "kreditor-anlegen-05-sperre-aufgehoben")
    assert open_codes() == set()
    detail = holds.supplier_of(pipeline, invoice_id)
    assert detail is not None and detail.creditor_number == "K-80017"
    trail = [(e.action, e.actor) for e in workflow.history(pipeline, invoice_id)]
    assert ("propose_creditor", "kb.krause") in trail and ("assign_creditor", "kb.berger") in trail
