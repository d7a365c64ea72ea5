"""Issue 23: invoices rejected on arrival (amount of 20 digits, currency "EURO", type code of
12 digits) are in no department: the office that handles unassigned invoices (the routing
fallback, Rechnungseingang) lists them with the German findings and what the supplier was
told, may open them, and the operations page shows them; other offices see nothing."""

from __future__ import annotations

import re
from pathlib import Path

from einvoice.services import ingest, notifications, process, workflow
from einvoice.services.accounts import Role
from tests.integration.faulty import faulty_emails
from tests.integration.web import account, login, make_app

LABELS = ("overflow_amount", "currency_euro", "long_type_code")
LIST = "/eingang/bei-eingang-abgelehnt"


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_rejected_on_arrival_are_listed_for_the_central_office(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    pipeline = container.pipeline
    mails = faulty_emails()
    invoices = []
    for label in LABELS:
        received = ingest.receive(pipeline, mails[label], "mail", "test")
        for document_id in ingest.split(pipeline, received.message_id):
            outcome = process.process(pipeline, document_id)
            assert outcome.invoice_id is not None
            result = workflow.route(pipeline, outcome.invoice_id)
            assert result.status == "rejected" and result.department is None
            invoices.append(outcome.invoice_id)
    notifications.deliver(pipeline)
    fallback = pipeline.workflow.routing().fallback_department  # type: ignore[union-attr]
    account(container, "re.zentral", Role.CLERK, department=fallback)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "betrieb.admin", Role.ADMIN)

    central = login(application, "re.zentral")
    queue = central.get("/eingang")
    assert "3 Rechnungen wurden bei Eingang abgelehnt" in _visible(queue.text)
    listing = central.get(LIST)
    assert listing.status_code == 200
    text = _visible(listing.text)
    for invoice_id in invoices:
        assert f'href="/rechnungen/{invoice_id}"' in listing.text
        assert central.get(f"/rechnungen/{invoice_id}").status_code == 200
    assert "BR-CL-04" in text and "BR-CL-01" in text  # the findings, in German
    for label in LABELS:  # what the supplier was told, and to whom
        assert f"fehler-{label}@lieferant.example" in text
    assert text.count("wurde abgelehnt") >= 3
    assert "5.181,95 (Währung nicht lesbar)" in text  # "EURO" fits no currency column
    assert "12.345.678.901.234.567.890,00" in text  # the 20-digit amount, as delivered

    other = login(application, "a10.becker")
    assert "bei Eingang abgelehnt" not in other.get("/eingang").text
    assert other.get(LIST).status_code == 403
    assert other.get(f"/rechnungen/{invoices[0]}").status_code == 403

    admin = login(application, "betrieb.admin")
    ops = _visible(admin.get("/betrieb").text)
    assert "Bei Eingang abgelehnt (3)" in ops
    assert "BR-CL-04" in ops and "fehler-currency_euro@lieferant.example" in ops
