"""An invoice whose seller is no creditor: the hold "Lieferant unbekannt" is lifted only by
naming the creditor, proposed by one person of creditor accounting and confirmed by a second
one, on the invoice page (issue 12's four eyes; found by review: one person could clear it by
hand, and the payment then went to a bank account nobody had checked)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from einvoice.samplegen.spec import german_vat_id
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import holds, workflow
from einvoice.storage.tables import Invoice
from tests.integration.test_web_holds import _upload, _world
from tests.integration.web import csrf_of, login
from tests.integration.workflow_setup import sample


def test_unknown_supplier_is_lifted_by_two_people_naming_the_creditor(tmp_path: Path) -> None:
    application, container = _world(tmp_path)
    stranger = replace(
        sample(0).seller,
        name="Neue Firma GmbH",
        electronic_address="rechnung@neue-firma.example",
        vat_id=german_vat_id("66666666"),
        registration=None,
    )
    _upload(
        login(application, "hansen"), "neu.xml", to_ubl(sample(0, seller=stranger, number="NF-2"))
    )
    with container.pipeline.sessions() as session:
        invoice_id = session.scalars(select(Invoice.id).where(Invoice.number == "NF-2")).one()
    page = f"/rechnungen/{invoice_id}"

    def open_codes() -> set[str]:
        return {h.code.value for h in holds.holds_of(container.pipeline, invoice_id) if h.open}

    assert "unknown-supplier" in open_codes()
    krause, berger = login(application, "kb.krause"), login(application, "kb.berger")
    shown = krause.get(page).text
    assert f'action="{page}/kreditor"' in shown
    assert 'name="code" value="unknown-supplier"' not in shown  # no form to clear it by hand

    # clearing by hand is refused (web and service), whoever tries
    refused = krause.post(
        f"{page}/sperre",
        data={"code": "unknown-supplier", "reason": "kenne ich", "csrf_token": csrf_of(shown)},
    )
    assert refused.status_code == 403 and "Kreditor vorschlägt" in refused.text
    assert "unknown-supplier" in open_codes()

    # a clerk may not name creditors
    clerk = login(application, "a10.becker")
    denied = clerk.post(
        f"{page}/kreditor",
        data={"creditor": "K-70001", "reason": "x", "csrf_token": csrf_of(clerk.get(page).text)},
    )
    assert denied.status_code == 403
    # nor anyone without the form's token
    forged = krause.post(f"{page}/kreditor", data={"creditor": "K-70001", "reason": "x"})
    assert forged.status_code == 403

    proposed = krause.post(
        f"{page}/kreditor",
        data={"creditor": "K-70001", "reason": "Schwesterfirma", "csrf_token": csrf_of(shown)},
        follow_redirects=True,
    )
    assert proposed.status_code == 200 and "zweite Person" in proposed.text
    assert "Vorschlag: K-70001" in proposed.text
    assert "unknown-supplier" in open_codes()
    again = krause.post(
        f"{page}/kreditor",
        data={"creditor": "K-70001", "reason": "ja", "csrf_token": csrf_of(proposed.text)},
    )
    assert again.status_code == 403 and "Vier-Augen-Prinzip" in again.text
    unknown = berger.post(
        f"{page}/kreditor",
        data={"creditor": "K-99999", "reason": "x", "csrf_token": csrf_of(berger.get(page).text)},
    )
    assert unknown.status_code == 404 and "Traceback" not in unknown.text

    second = berger.get(page).text
    assert 'value="K-70001"' in second  # the proposal is offered to the second person
    confirmed = berger.post(
        f"{page}/kreditor",
        data={"creditor": "K-70001", "reason": "Rückruf bestätigt", "csrf_token": csrf_of(second)},
        follow_redirects=True,
    )
    assert confirmed.status_code == 200 and "ist zugeordnet" in confirmed.text
    assert "unknown-supplier" not in open_codes()
    trail = [(e.action, e.actor) for e in workflow.history(container.pipeline, invoice_id)]
    assert ("propose_creditor", "kb.krause") in trail
    assert ("assign_creditor", "kb.berger") in trail
    assert workflow.verify_audit(container.pipeline).ok
