"""Creditor accounting creates a creditor from a held invoice in the web app (issue 25,
finding 1): the hold "Lieferant unbekannt" linked to /kreditoren, which only searched; only
``einvoice suppliers add`` got the work done. Now: a form prefilled from the invoice, the bank
account unverified until a second person verifies it, the creditor proposed for the invoice
by its creator and confirmed by a second person; master data edited; all roles checked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from einvoice.samplegen.spec import german_vat_id, iban
from einvoice.services import creditors, holds, workflow
from tests.integration.test_web_holds import _world
from tests.integration.web import csrf_of, login
from tests.integration.workflow_setup import receive, sample

NEW_IBAN = iban("DE", "12030000" + "0044556677")


def held_stranger(tmp_path: Path) -> tuple[Any, Any, int]:
    """The world of test_web_holds and an e-mailed invoice of a seller who is no creditor."""
    application, container = _world(tmp_path)
    stranger = replace(
        sample(0).seller,
        name="Neue Firma GmbH",
        electronic_address="rechnung@neue-firma.example",
        vat_id=german_vat_id("66666666"),
        registration=None,
    )
    invoice = sample(0, seller=stranger, number="NF-7", iban=NEW_IBAN)
    invoice_id = receive(container.pipeline, invoice, sender="rechnung@neue-firma.example")
    workflow.route(container.pipeline, invoice_id)
    return application, container, invoice_id


def open_codes(container: Any, invoice_id: int) -> set[str]:
    return {h.code.value for h in holds.holds_of(container.pipeline, invoice_id) if h.open}


def form_of(html: str) -> dict[str, str]:
    """The prefilled values of the creditor form (inputs and the hidden invoice id)."""
    import re

    values = dict(re.findall(r'<input name="(\w+)"[^>]*value="([^"]*)"', html))
    values |= dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return values


def test_creditor_from_held_invoice_takes_two_people(tmp_path: Path) -> None:
    application, container, invoice_id = held_stranger(tmp_path)
    assert open_codes(container, invoice_id) == {"unknown-supplier"}
    krause, berger = login(application, "kb.krause"), login(application, "kb.berger")
    invoice_page = krause.get(f"/rechnungen/{invoice_id}").text
    assert f'href="/kreditoren/neu?rechnung={invoice_id}"' in invoice_page
    assert "suchen oder anlegen" not in invoice_page

    form = krause.get(f"/kreditoren/neu?rechnung={invoice_id}")
    assert form.status_code == 200
    typed = form_of(form.text)
    assert typed["name"] == "Neue Firma GmbH"
    assert typed["vat_ids"] == german_vat_id("66666666")
    assert typed["iban"] == NEW_IBAN and typed["rechnung"] == str(invoice_id)
    assert typed["number"] == ""  # from the finance system, never guessed
    assert "Lieferant unbekannt" in form.text and "zweite Person" in form.text

    # others may not: a clerk, a supplier; nobody without the form's token
    clerk = login(application, "a10.becker")
    assert clerk.get(f"/kreditoren/neu?rechnung={invoice_id}").status_code == 403
    assert login(application, "hansen").get("/kreditoren/neu").status_code == 403
    post = typed | {"number": "K-80001", "reason": "USt-IdNr. beim BZSt bestätigt"}
    assert krause.post("/kreditoren/neu", data={**post, "csrf_token": ""}).status_code == 403
    clerk_try = clerk.post("/kreditoren/neu", data=post | {"csrf_token": csrf_of(form.text)})
    assert clerk_try.status_code == 403

    # a missing reason and a wrong IBAN are said in German on the form, with what was typed
    no_reason = krause.post(
        "/kreditoren/neu", data=post | {"reason": "", "csrf_token": csrf_of(form.text)}
    )
    assert no_reason.status_code == 400 and "Bitte angeben, wie geprüft" in no_reason.text
    bad = krause.post(
        "/kreditoren/neu", data=post | {"iban": "DE00123", "csrf_token": csrf_of(form.text)}
    )
    assert bad.status_code == 400 and "ungültig (Prüfziffer)" in bad.text
    assert 'value="Neue Firma GmbH"' in bad.text

    created = krause.post("/kreditoren/neu", data=post | {"csrf_token": csrf_of(form.text)})
    assert created.status_code == 303
    assert created.headers["location"] == f"/rechnungen/{invoice_id}?hinweis=kreditor-angelegt"
    shown = krause.get(created.headers["location"]).text
    assert "Der Kreditor ist angelegt und als Kreditor dieser Rechnung vorgeschlagen" in shown
    assert "Vorschlag: K-80001 Neue Firma GmbH" in shown
    assert open_codes(container, invoice_id) == {"unknown-supplier"}
    # the creator is offered no confirmation of her own proposal, only another proposal
    assert "Kreditor zuordnen" not in shown and 'value="K-80001"' not in shown
    assert "Anderen Kreditor vorschlagen" in shown
    creditor = creditors.find(container.pipeline, "K-80001")
    assert [a.iban for a in creditor.accounts] == [NEW_IBAN]
    assert creditor.accounts[0].verification is None
    # the creator cannot confirm the proposal (four eyes)
    again = krause.post(
        f"/rechnungen/{invoice_id}/kreditor",
        data={"creditor": "K-80001", "reason": "ja", "csrf_token": csrf_of(shown)},
    )
    assert again.status_code == 403 and "Vier-Augen-Prinzip" in again.text

    # the second person verifies the bank account and confirms the creditor: hold lifted
    page = berger.get(f"/kreditoren/{creditor.id}").text
    verified = berger.post(
        f"/kreditoren/{creditor.id}/konto-pruefen",
        data={
            "iban": NEW_IBAN,
            "how": "Rückruf unter bekannter Nummer",
            "csrf_token": csrf_of(page),
        },
    )
    assert verified.status_code == 303
    seen = berger.get(f"/rechnungen/{invoice_id}").text
    assert 'value="K-80001"' in seen  # the proposal prefilled for the second person
    confirmed = berger.post(
        f"/rechnungen/{invoice_id}/kreditor",
        data={"creditor": "K-80001", "reason": "Vorschlag geprüft", "csrf_token": csrf_of(seen)},
    )
    assert confirmed.status_code == 303, confirmed.text
    assert open_codes(container, invoice_id) == set()

    # audit: master data events like the CLI's, and the invoice's proposal and assignment
    events = [
        (e.entry.action, e.entry.actor) for e in creditors.history(container.pipeline, creditor.id)
    ]
    assert events == [("creditor_created", "kb.krause"), ("account_verified", "kb.berger")]
    trail = [(e.action, e.actor) for e in workflow.history(container.pipeline, invoice_id)]
    assert ("propose_creditor", "kb.krause") in trail
    assert ("assign_creditor", "kb.berger") in trail


def test_creditor_master_data_edited_number_and_accounts_stay(tmp_path: Path) -> None:
    application, container, _ = held_stranger(tmp_path)
    krause = login(application, "kb.krause")
    hansen = creditors.find(container.pipeline, "K-70001")
    page = krause.get(f"/kreditoren/{hansen.id}")
    assert f'href="/kreditoren/{hansen.id}/bearbeiten"' in page.text
    form = krause.get(f"/kreditoren/{hansen.id}/bearbeiten")
    assert form.status_code == 200 and 'name="iban"' not in form.text
    typed = form_of(form.text)
    assert typed["name"] == hansen.name and "number" not in typed
    changed = krause.post(
        f"/kreditoren/{hansen.id}/bearbeiten",
        data=typed | {"city": "Neustadt", "number": "K-1", "csrf_token": csrf_of(form.text)},
    )
    assert changed.status_code == 303 and changed.headers["location"].endswith("geaendert")
    after = creditors.find(container.pipeline, str(hansen.id))
    assert (after.number, after.city, after.accounts) == (
        hansen.number,
        "Neustadt",
        hansen.accounts,
    )
    assert creditors.history(container.pipeline, hansen.id)[-1].entry.action == "creditor_changed"
    empty = krause.post(
        f"/kreditoren/{hansen.id}/bearbeiten",
        data=typed | {"name": " ", "csrf_token": csrf_of(form.text)},
    )
    assert empty.status_code == 400 and "Der Name des Kreditors fehlt." in empty.text
    clerk = login(application, "a10.becker")
    assert clerk.get(f"/kreditoren/{hansen.id}/bearbeiten").status_code == 403
    assert krause.get("/kreditoren/999999/bearbeiten").status_code == 404


def test_creditor_stands_when_the_invoice_no_longer_waits(tmp_path: Path) -> None:
    # the form was opened while the invoice waited; meanwhile a second person assigned it
    application, container, invoice_id = held_stranger(tmp_path)
    krause, berger = login(application, "kb.krause"), login(application, "kb.berger")
    form = krause.get(f"/kreditoren/neu?rechnung={invoice_id}")
    for who in (berger, krause):  # proposed and confirmed with a known creditor
        page = who.get(f"/rechnungen/{invoice_id}").text
        who.post(
            f"/rechnungen/{invoice_id}/kreditor",
            data={"creditor": "K-70001", "reason": "Schwesterfirma", "csrf_token": csrf_of(page)},
        )
    assert "unknown-supplier" not in open_codes(container, invoice_id)
    typed = form_of(form.text) | {"number": "K-80002", "reason": "geprüft"}
    late = krause.post("/kreditoren/neu", data=typed | {"csrf_token": csrf_of(form.text)})
    assert late.status_code == 303 and "angelegt-ohne-vorschlag" in late.headers["location"]
    assert (
        "nicht als Kreditor der Rechnung vorgeschlagen" in krause.get(late.headers["location"]).text
    )
    assert creditors.find(container.pipeline, "K-80002").name == "Neue Firma GmbH"
