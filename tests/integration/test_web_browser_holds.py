"""Issue 12's attack end to end in a real Chromium: a self-registered portal account (e-mail
verified over a real SMTP server) uploads an invoice in a known supplier's name and VAT id
with another IBAN. It is accepted as data but held (``uploader-not-seller``,
``bank-account-unverified``); the approver's page says why it cannot be ordered, the export
leaves it out; creditor accounting - not the clerk who signed - records and verifies the
bank account (saying how) and decides the portal binding; only then is it ordered and
exported with the Kreditorennummer. Every step is in the audit trail, the chains verify."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from einvoice.mailbox.smtp import SmtpMailer, parse_smtp_url
from einvoice.samplegen.spec import iban
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import creditors, master_data, workflow
from einvoice.services.accounts import Role
from tests.integration.browser import chromium, live_server, same_page, shot, sign_in, sign_out
from tests.integration.test_web_browser_accounts import Inbox, smtp  # noqa: F401 (fixture)
from tests.integration.web import PASSWORD, account, make_app
from tests.integration.workflow_setup import sample

FOREIGN_IBAN = iban("DE", "370400440532013000")
MALLORY = "buchhaltung@kit-rechnungen.example"


def mailed_link(inbox: Inbox, to: str, base: str) -> str:
    """The link of the e-mail to ``to``: account e-mails go out after the response."""
    deadline = time.monotonic() + 15
    while not any(m["To"] == to for m in inbox.messages) and time.monotonic() < deadline:
        time.sleep(0.1)
    return inbox.link(to, base)


def test_forged_bank_details_are_held_until_creditor_accounting_verifies(
    tmp_path: Path,
    smtp: tuple[int, Inbox],  # noqa: F811 (the fixture imported above)
) -> None:
    port, inbox = smtp
    application, container = make_app(tmp_path)
    application.state.mailer = SmtpMailer(
        parse_smtp_url(f"smtp+plain://127.0.0.1:{port}", None), "rechnung@stadt.example"
    )
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    account(container, "kb.berger", Role.CREDITOR_ACCOUNTING)
    pipeline = container.pipeline
    # Kommunal-IT Service Nord GmbH (K-70002): its name and VAT id, another IBAN
    forged = tmp_path / "rechnung-kit.xml"
    forged.write_bytes(to_ubl(sample(1, iban=FOREIGN_IBAN, number="KIT-9999")))
    with live_server(application) as base, chromium() as browser:
        application.state.settings = replace(application.state.settings, base_url=base)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")

        # 1. the attacker registers in Kommunal-IT's name, verifies the address, uploads
        page.goto(base + "/login")
        page.click("text=Jetzt registrieren")
        page.fill("input[name=organisation]", "Kommunal-IT Service Nord GmbH")
        page.fill("input[name=vat_id]", "DE27182818O")  # a typo: letter O for zero
        page.fill("input[name=display_name]", "M. Allory")
        page.fill("input[name=email]", MALLORY)
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('Registrieren')")
        assert page.locator(".notice.error", has_text="USt-IdNr.").is_visible()
        page.fill("input[name=vat_id]", "DE 271 828 180")
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('Registrieren')")
        assert page.locator(f"text=Wir haben eine E-Mail an {MALLORY}").is_visible()
        page.goto(mailed_link(inbox, MALLORY, base))  # the link from the real e-mail
        page.wait_for_url("**/login?hinweis=bestaetigt")
        sign_in(page, base, MALLORY, PASSWORD)
        page.wait_for_url("**/meine-rechnungen")
        page.goto(base + "/einreichen")
        page.set_input_files("input[type=file]", str(forged))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        assert page.locator(".verdict.accept").is_visible()  # accepted as data
        shot(page, "holds-01-angreifer-angenommen")
        sign_out(page)
        (binding,) = creditors.bindings(pipeline)
        assert (binding.state, binding.creditor_number) == ("pending", "K-70002")

        # 2. the clerk: the queue filtered "mit Sperre" shows it with its marker; signs it
        sign_in(page, base, "a10.becker", PASSWORD)
        page.wait_for_url("**/eingang")
        page.select_option("select[name=held]", "1")
        page.click("button:has-text('Anzeigen')")
        page.wait_for_url("**/eingang?*held=1*")
        row = page.locator("table.queue tbody tr", has_text="KIT-9999")
        marker = row.locator(".hold-marker").inner_text()
        assert "gesperrt" in marker and "Bankverbindung ungeprüft" in marker
        assert "Einreicher nicht Verkäufer" in marker
        shot(page, "holds-02-eingang-mit-sperre")
        row.locator("a:has-text('KIT-9999')").click()
        page.wait_for_url("**/rechnungen/*")
        invoice_url = page.url
        invoice_id = int(invoice_url.rsplit("/", 1)[-1])
        supplier = page.locator("#lieferant").inner_text()
        assert "M. Allory über das Lieferantenportal" in supplier and "K-70002" in supplier
        holds = page.locator("#sperren").inner_text()
        assert "Bankverbindung ungeprüft" in holds and "Einreicher nicht Verkäufer" in holds
        assert FOREIGN_IBAN[:4] + " " + FOREIGN_IBAN[4:8] in holds  # the IBAN it names
        assert page.locator("#sperren button").count() == 0  # master data: not the clerk's
        page.click("button:has-text('Sachlich richtig zeichnen')")
        page.wait_for_url(same_page(invoice_url))
        page.click("button:has-text('Rechnerisch richtig zeichnen')")
        page.wait_for_url(same_page(invoice_url))
        shot(page, "holds-03-sachbearbeitung-gezeichnet")
        sign_out(page)

        # 3. the approver: no order button, and the page says why
        sign_in(page, base, "a10.schmitt", PASSWORD)
        page.goto(invoice_url)
        assert page.locator("button:has-text('Zahlung anordnen')").count() == 0
        why = page.locator(".why-not", has_text="Zahlung anordnen").inner_text()
        assert "Die Zahlung ist gesperrt" in why and "Bankverbindung ungeprüft" in why
        assert "Zahlungssperren aufgehoben" in why
        shot(page, "holds-04-anordnung-gesperrt")
        sign_out(page)
        # the export leaves it out (and the state machine would refuse the order)
        assert workflow.export(pipeline, "csv").count == 0

        # 4. creditor accounting: one person records the bank account, a second verifies it
        sign_in(page, base, "kb.krause", PASSWORD)
        page.wait_for_url("**/kreditoren")
        assert page.locator("#gesperrt", has_text="KIT-9999").is_visible()
        page.goto(invoice_url)
        page.click("text=Bankverbindungen des Kreditors K-70002 erfassen und prüfen")
        page.wait_for_url("**/kreditoren/*")
        page.click("summary:has-text('Weitere Bankverbindung erfassen')")
        page.fill("form[action$='konto-neu'] input[name=iban]", FOREIGN_IBAN)
        page.click("button:has-text('Erfassen (ungeprüft)')")
        page.wait_for_url("**hinweis=konto-neu*")
        creditor_url = page.url.split("?")[0]
        # who recorded the IBAN is not offered to vouch for it (four eyes on bank details)
        verify = page.locator(f"form:has(input[name=iban][value='{FOREIGN_IBAN}'])")
        assert verify.count() == 0
        assert page.locator("text=Sie haben diese Bankverbindung erfasst").is_visible()
        sign_out(page)
        sign_in(page, base, "kb.berger", PASSWORD)
        page.goto(creditor_url)
        verify = page.locator(f"form:has(input[name=iban][value='{FOREIGN_IBAN}'])")
        verify.locator("textarea[name=how]").fill(
            "Rückruf unter 0431 555-0 (Nummer aus dem Rahmenvertrag), Frau Jensen bestätigt "
            "das neue Konto"
        )
        verify.locator("button:has-text('Als geprüft festhalten')").click()
        page.wait_for_url("**hinweis=geprueft*")
        assert page.locator("text=Sperre aufgehoben bei 1 Rechnung").is_visible()
        shot(page, "holds-05-konto-geprueft")
        # ... and enters the portal binding (Kommunal-IT confirmed the account is theirs);
        # a supplier's own registration counts as entered by nobody: a second person confirms
        page.goto(base + "/kreditoren/bindungen")
        pending = page.locator("article.binding", has_text=MALLORY)
        pending.locator("textarea[name=how]").fill(
            "Im selben Rückruf bestätigt: das Portalkonto gehört der Buchhaltung von Kommunal-IT"
        )
        pending.locator("button:has-text('Bindung bestätigen')").click()
        page.wait_for_url("**/kreditoren/bindungen?erfasst=*")
        assert page.locator("text=Bestätigen muss eine zweite Person").first.is_visible()
        sign_out(page)
        sign_in(page, base, "kb.krause", PASSWORD)
        page.goto(base + "/kreditoren/bindungen")
        pending = page.locator("article.binding", has_text=MALLORY)
        pending.locator("textarea[name=how]").fill("Vertrag mit dem Abrechnungsdienst liegt vor")
        pending.locator("button:has-text('Bindung bestätigen')").click()
        page.wait_for_url("**/kreditoren/bindungen?*entschieden=*")
        assert page.locator("text=Sperre aufgehoben bei 1 Rechnung").is_visible()
        shot(page, "holds-06-bindung-bestaetigt")
        page.goto(invoice_url)
        assert page.locator("#sperren li.hold.open").count() == 0
        assert page.locator("#sperren li.hold.cleared").count() == 2
        sign_out(page)

        # 5. now the approver can order it, and the export carries the Kreditorennummer
        sign_in(page, base, "a10.schmitt", PASSWORD)
        page.goto(invoice_url)
        page.click("button:has-text('Zahlung anordnen')")
        page.wait_for_url(same_page(invoice_url))
        assert page.locator("text=Angeordnet").first.is_visible()
        shot(page, "holds-07-angeordnet")
        sign_out(page)
    exported = workflow.export(pipeline, "csv")
    assert exported.count == 1
    header, line = exported.content.decode().splitlines()[:2]
    assert dict(zip(header.split(";"), line.split(";"), strict=True))["kreditorennummer"] == (
        "K-70002"
    )

    trail = [(e.action, e.actor) for e in workflow.history(pipeline, invoice_id)]
    assert trail.count(("hold", "system")) == 2
    assert trail.count(("clear_hold", "kb.berger")) == 1  # the bank hold: kb.berger verified
    assert trail.count(("clear_hold", "kb.krause")) == 1  # the binding: kb.krause confirmed
    for step in (
        ("confirm_sachlich", "a10.becker"),
        ("confirm_rechnerisch", "a10.becker"),
        ("order", "a10.schmitt"),
    ):
        assert step in trail, (step, trail)
    assert trail.index(("clear_hold", "kb.berger")) < trail.index(("order", "a10.schmitt"))
    with container.sessions() as session:
        kit = creditors.find(pipeline, "K-70002")
        changes = [
            (e.entry.action, e.entry.actor)
            for e in master_data.history(session, f"creditor:{kit.id}")
        ]
        decided = [
            (e.entry.action, e.entry.actor)
            for e in master_data.history(session, f"binding:{binding.id}")
        ]
    assert ("account_added", "kb.krause") in changes
    assert ("account_verified", "kb.berger") in changes
    assert ("account_verified", "kb.krause") not in changes
    assert decided == [
        ("binding_pending", "system"),
        ("binding_entered", "kb.berger"),
        ("binding_confirmed", "kb.krause"),
    ]
    report = workflow.verify_audit(pipeline)  # what `einvoice audit verify` runs
    assert report.ok, report.problems
