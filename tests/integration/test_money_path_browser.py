"""Issue 21, finding 1, end to end in Chromium with two browsers: the attacker supplier
and one insider.

The attacker registers in the name of Bürobedarf Hansen (K-70001) with an address of
Hansen's own e-mail domain (before issue 21 that bound the account at once), confirms
the address over a real SMTP server and uploads an invoice with an IBAN not on file.
One person of creditor accounting then tries everything in the web app: clear both
holds by hand, record the IBAN and verify it, confirm the self-registered binding twice;
an approver clears the duplicate hold and tries to order. The export stays without
the line, and the insider's page says why (screenshots ``money-*.png``).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from einvoice.mailbox.smtp import SmtpMailer, parse_smtp_url
from einvoice.samplegen.spec import iban
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import creditors, workflow
from einvoice.services.accounts import Role
from tests.integration.browser import chromium, live_server, same_page, shot, sign_in, sign_out
from tests.integration.test_web_browser_accounts import Inbox, smtp  # noqa: F401 (fixture)
from tests.integration.web import PASSWORD, account, make_app
from tests.integration.workflow_setup import receive, sample

ATTACKER_IBAN = iban("DE", "120300000000202051")
ATTACKER = "rechnung@buero-hansen.example.com"


def mailed_link(inbox: Inbox, to: str, base: str) -> str:
    """The link of the e-mail to ``to``: account e-mails go out after the response."""
    deadline = time.monotonic() + 15
    while not any(m["To"] == to for m in inbox.messages) and time.monotonic() < deadline:
        time.sleep(0.1)
    return inbox.link(to, base)


def test_one_insider_cannot_release_a_changed_iban_in_the_browser(
    tmp_path: Path,
    smtp: tuple[int, Inbox],  # noqa: F811 (the fixture imported above)
) -> None:
    port, inbox = smtp
    application, container = make_app(tmp_path)
    application.state.mailer = SmtpMailer(
        parse_smtp_url(f"smtp+plain://127.0.0.1:{port}", None), "rechnung@stadt.example"
    )
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "a10.neumann", Role.APPROVER, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    account(container, "admin", Role.ADMIN)
    pipeline = container.pipeline
    workflow.route(pipeline, receive(pipeline, sample(0)))  # Hansen's genuine invoice
    forged = tmp_path / "rechnung-hansen.xml"
    forged.write_bytes(to_ubl(sample(0, iban=ATTACKER_IBAN, number="BH-2025-66666")))
    with live_server(application) as base, chromium() as browser:
        application.state.settings = replace(application.state.settings, base_url=base)
        attacker = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        insider = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        a = attacker.new_page()

        # the attacker registers with Hansen's VAT id and domain, confirms, uploads
        a.goto(base + "/registrieren")
        a.fill("input[name=organisation]", "Bürobedarf Hansen GmbH")
        a.fill("input[name=vat_id]", "DE812345673")
        a.fill("input[name=display_name]", "J. Hansen")
        a.fill("input[name=email]", ATTACKER)
        a.fill("input[name=password]", PASSWORD)
        a.click("button:has-text('Registrieren')")
        a.goto(mailed_link(inbox, ATTACKER, base))
        a.wait_for_url("**/login?hinweis=bestaetigt")
        sign_in(a, base, ATTACKER, PASSWORD)
        a.goto(base + "/einreichen")
        a.set_input_files("input[type=file]", str(forged))
        a.click("button:has-text('Einreichen und prüfen')")
        a.wait_for_url("**/einreichungen/*")
        (binding,) = creditors.bindings(pipeline)
        assert binding.state == "pending"  # the e-mail domain binds no one (issue 21)

        # one insider of creditor accounting tries everything
        i = insider.new_page()
        sign_in(i, base, "kb.krause", PASSWORD)
        i.goto(base + "/kreditoren")
        i.locator("#gesperrt a", has_text="BH-2025-66666").click()
        i.wait_for_url("**/rechnungen/*")
        invoice_url = i.url
        invoice_id = int(invoice_url.rsplit("/", 1)[-1])
        held = i.locator("#sperren").inner_text()
        for title in ("Bankverbindung ungeprüft", "Einreicher nicht Verkäufer"):
            assert title in held
        # no button to clear them by hand; a forged form post is refused with the reason
        for code in ("bank-account-unverified", "uploader-not-seller"):
            assert i.locator(f"#sperren input[name=code][value='{code}']").count() == 0
        token = i.locator("input[name=csrf_token]").first.get_attribute("value")
        for code in ("bank-account-unverified", "uploader-not-seller"):
            response = i.request.post(
                f"{invoice_url}/sperre",
                form={"code": code, "reason": "Rückruf", "csrf_token": token or ""},
            )
            assert response.status == 403
            assert "niemand von Hand" in response.text()
        i.evaluate(  # the same as a person posting the form from the page (then the screenshot)
            """([url, token]) => {
                const f = document.createElement('form');
                f.method = 'post'; f.action = url + '/sperre';
                for (const [k, v] of Object.entries({code: 'bank-account-unverified',
                        reason: 'Rückruf beim Lieferanten', csrf_token: token})) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = k; input.value = v; f.appendChild(input);
                }
                document.body.appendChild(f); f.submit();
            }""",
            [invoice_url, token],
        )
        i.wait_for_load_state()
        refusal = i.locator("#fehler").inner_text()
        assert "hebt niemand von Hand auf" in refusal
        assert "zweite Person der Kreditorenbuchhaltung" in refusal
        shot(i, "money-01-innentaeter-sperre-verweigert")

        # records the attacker's IBAN at Hansen: not offered to verify it himself
        hansen = creditors.find(pipeline, "K-70001")
        i.goto(f"{base}/kreditoren/{hansen.id}")
        i.click("summary:has-text('Weitere Bankverbindung erfassen')")
        i.fill("form[action$='konto-neu'] input[name=iban]", ATTACKER_IBAN)
        i.click("button:has-text('Erfassen (ungeprüft)')")
        i.wait_for_url("**hinweis=konto-neu*")
        assert i.locator(f"form:has(input[name=iban][value='{ATTACKER_IBAN}'])").count() == 0
        assert i.locator("text=Sie haben diese Bankverbindung erfasst").is_visible()
        response = i.request.post(
            f"{base}/kreditoren/{hansen.id}/konto-pruefen",
            form={"iban": ATTACKER_IBAN, "how": "selbst", "csrf_token": token or ""},
        )
        assert response.status == 403 and "Vier-Augen-Prinzip" in response.text()
        shot(i, "money-02-innentaeter-konto-erfasst")

        # confirms the self-registered binding: that only enters it; a second time: refused
        i.goto(base + "/kreditoren/bindungen")
        pending = i.locator("article.binding", has_text=ATTACKER)
        pending.locator("textarea[name=how]").fill("Firma hat angerufen")
        pending.locator("button:has-text('Bindung bestätigen')").click()
        i.wait_for_url("**/kreditoren/bindungen?erfasst=*")
        pending = i.locator("article.binding", has_text=ATTACKER)
        assert pending.locator("button:has-text('Bindung bestätigen')").count() == 0
        assert pending.locator("text=Sie haben diese Bindung erfasst").is_visible()
        shot(i, "money-03-innentaeter-bindung")
        response = i.request.post(
            f"{base}/kreditoren/bindungen/{binding.id}",
            form={"decision": "confirm", "how": "nochmal", "csrf_token": token or ""},
        )
        assert response.status == 400 and "Vier-Augen-Prinzip" in response.text()

        # an approver clears the duplicate hold, signs are by others, then may not order
        sign_out(i)
        sign_in(i, base, "a10.becker", PASSWORD)
        i.goto(invoice_url)
        i.click("button:has-text('Sachlich richtig zeichnen')")
        i.wait_for_url(same_page(invoice_url))
        sign_out(i)
        sign_in(i, base, "a10.neumann", PASSWORD)
        i.goto(invoice_url)
        i.click("button:has-text('Rechnerisch richtig zeichnen')")
        i.wait_for_url(same_page(invoice_url))
        sign_out(i)
        sign_in(i, base, "a10.schmitt", PASSWORD)
        i.goto(invoice_url)
        duplicate = i.locator("form:has(input[name=code][value='possible-duplicate'])")
        duplicate.locator("textarea[name=reason]").fill("andere Lieferung laut Lieferschein")
        duplicate.locator("button").click()
        i.wait_for_url(same_page(invoice_url))
        assert i.locator("button:has-text('Zahlung anordnen')").count() == 0
        shot(i, "money-04-anordnung-nicht-moeglich")

        # the admin sees no creditor data
        sign_out(i)
        sign_in(i, base, "admin", PASSWORD)
        denied = i.goto(f"{base}/kreditoren")
        assert denied is not None and denied.status == 403
        assert i.locator("text=nur die Kreditorenbuchhaltung").first.is_visible()
        attacker.close()
        insider.close()

    exported = workflow.export(pipeline, "csv")
    assert ATTACKER_IBAN not in exported.content.decode()
    assert invoice_id not in [r.invoice_id for r in exported.records]
    open_holds = {h.code for h in workflow.invoice_detail(pipeline, invoice_id).open_holds}
    assert open_holds == {"bank-account-unverified", "uploader-not-seller"}
    assert workflow.verify_audit(pipeline).ok
