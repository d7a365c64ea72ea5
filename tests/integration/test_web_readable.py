"""Issue 14 on the running app (HTTP): names instead of keys and ids, German forms of
quarters, IBANs and batch labels. Each test failed before its change."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from einvoice.services import workflow
from einvoice.services.accounts import Role
from tests.helpers import ROOT
from tests.integration.web import account, csrf_of, login, make_app

SAMPLES = ROOT / "samples"


def _cells(html: str, username: str) -> str:
    """The table row of ``username`` on the accounts page, tags removed."""
    row = re.search(rf"<tr>\s*<td>{re.escape(username)}.*?</tr>", html, re.S)
    assert row, f"no row for {username}"
    return re.sub(r"<[^>]+>", " ", row.group(0))


def test_accounts_page_shows_the_office_name_not_only_its_key(tmp_path: Path) -> None:
    # Seen on the demo: the Amt column read "amt-10".
    application, container = make_app(tmp_path)
    account(container, "admin", Role.ADMIN)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    page = login(application, "admin").get("/verwaltung/zugaenge")
    assert page.status_code == 200
    row = _cells(page.text, "a10.becker")
    assert "Amt 10 – Hauptamt" in row
    assert "(amt-10)" in row  # the key stays, as secondary text
    # the Amt is chosen by its name; the key is what the form sends
    assert '<option value="amt-10" selected>Amt 10 – Hauptamt</option>' in page.text


def _upload(c: Any, name: str, data: bytes) -> Any:
    page = c.get("/einreichen")
    return c.post(
        "/einreichen",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": (name, data, "application/octet-stream")},
    )


def _routed_invoice(application: Any, container: Any) -> tuple[Any, int]:
    """The sample invoice uploaded by its supplier, in Amt 10's queue; the clerk's client."""
    account(container, "hansen", Role.SUPPLIER)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    assert _upload(login(application, "hansen"), "rechnung.xml", data).status_code == 303
    clerk = login(application, "a10.becker")
    queue = clerk.get("/api/invoices").json()
    assert len(queue) == 1, queue
    return clerk, queue[0]["invoice_id"]


def test_invoice_page_names_the_payment_run_not_its_uuid(tmp_path: Path) -> None:
    # Seen on the demo: "An die Kasse übergeben: 3f2c…-…" (the batch's UUID).
    application, container = make_app(tmp_path)
    clerk, invoice_id = _routed_invoice(application, container)
    pipeline = container.pipeline
    workflow.act(pipeline, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")
    workflow.act(pipeline, invoice_id, "order", "a10.schmitt")
    batch = workflow.export(pipeline, "csv")
    assert batch.batch_id is not None
    html = clerk.get(f"/rechnungen/{invoice_id}").text
    assert batch.batch_id not in html
    assert re.search(r"Zahllauf vom \d\d\.\d\d\.\d{4}, Nr\. 1", html)


def test_creditor_page_groups_ibans_and_names_the_holder(tmp_path: Path) -> None:
    # Seen on the demo: "DE89370400440532013000" in one run, and no account holder.
    from einvoice.services.creditor_records import find

    application, container = make_app(tmp_path)
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    kb = login(application, "kb.krause")
    creditor = find(container.pipeline, "K-70001")
    page = f"/kreditoren/{creditor.id}"
    added = kb.post(
        f"{page}/konto-neu",
        data={
            "iban": "de89 3704 0044 0532 0130 00",
            "holder": "Hansen & Söhne",
            "csrf_token": csrf_of(kb.get(page).text),
        },
    )
    assert added.status_code == 303
    html = kb.get(page).text
    shown = re.sub(r"<[^>]+>", "", html)
    assert "DE89 3704 0044 0532 0130 00" in shown
    assert "DE89370400440532013000" not in shown  # the form's hidden field keeps it as data
    assert "Kontoinhaber: Hansen &amp; Söhne" in shown  # escaped
    sample = creditor.accounts[0]
    assert f"Kontoinhaber: {sample.holder}".replace("&", "&amp;") in shown
    # the terminal reads the same
    from typer.testing import CliRunner

    import einvoice.cli.workflow  # noqa: F401  (registers the commands)
    from einvoice.cli.app import app as cli

    shown_cli = CliRunner().invoke(cli, ["suppliers", "show", "K-70001"])
    assert shown_cli.exit_code == 0, shown_cli.output
    assert "Konto DE89 3704 0044 0532 0130 00" in shown_cli.output
    assert "Kontoinhaber: Hansen & Söhne" in shown_cli.output


def test_each_signature_says_it_was_saved(tmp_path: Path) -> None:
    # Tried on the demo: after "Sachlich richtig zeichnen", "Rechnerisch richtig" and
    # "Anordnen" the page came back with no word that anything was saved (a comment and a
    # return said so).
    application, container = make_app(tmp_path)
    clerk, invoice_id = _routed_invoice(application, container)
    account(container, "a10.neumann", Role.DEPARTMENT_ADMIN, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    steps = (
        (clerk, "confirm_sachlich", "Ihre Zeichnung „sachlich richtig“ wurde gespeichert."),
        (
            login(application, "a10.neumann"),
            "confirm_rechnerisch",
            "Ihre Zeichnung „rechnerisch richtig“ wurde gespeichert.",
        ),
        (
            login(application, "a10.schmitt"),
            "order",
            "Ihre Anordnung der Zahlung wurde gespeichert.",
        ),
    )
    for person, action, notice in steps:
        page = person.get(f"/rechnungen/{invoice_id}").text
        assert notice not in page
        done = person.post(
            f"/rechnungen/{invoice_id}/aktion",
            data={"action": action, "csrf_token": csrf_of(page)},
        )
        assert done.status_code == 303, (action, done.text)
        shown = person.get(done.headers["location"]).text
        assert f'<p class="notice" role="status">{notice}</p>' in shown, action
    from einvoice.services import queues

    assert queues.invoice_detail(container.pipeline, invoice_id).status == "angeordnet"
