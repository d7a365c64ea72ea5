"""End to end: supplier e-mails in a Maildir -> the real ``einvoice`` command ingests them,
the valid invoice lands in the queue ``samples/routing.toml`` names, is confirmed, ordered
and exported by the CLI; the faulty one is rejected and the supplier gets an e-mail on a
real SMTP server on loopback (aiosmtpd). On SQLite and PostgreSQL."""

from __future__ import annotations

import email
import json
import mailbox
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from einvoice.bootstrap import Container
from einvoice.samplegen.creditors import creditor_file
from einvoice.samplegen.ubl import to_ubl
from tests.helpers import ROOT, einvoice_cmd, run_bounded, wait_for
from tests.integration.mail import email_with
from tests.integration.services import free_port
from tests.integration.workflow_setup import AMT_66, sample


class Inbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


#: Bounded waits (generous: the tests must pass on a busy machine; a hit says what it waited for).
CLI_LIMIT_S = 600
DEMO_LIMIT_S = 900
MAIL_LIMIT_S = 60


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_bounded(
        [*einvoice_cmd(), *args],
        limit=CLI_LIMIT_S,
        what=f"`einvoice {' '.join(args[:3])}`",
        cwd=ROOT,
        env=env,
    )


def _ok(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = _cli(env, *args)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done


def test_mailbox_to_queue_approval_export_and_supplier_mail(
    container: Container,
    tmp_path: Path,
    smtp: tuple[int, Inbox],
) -> None:
    port, inbox = smtp
    good = sample(40, buyer_reference=AMT_66)  # Tiefbauamt by its Leitweg-ID
    bad = sample(41, buyer_reference=None)  # BR-DE-15: no Leitweg-ID
    maildir = tmp_path / "Maildir"
    box = mailbox.Maildir(maildir, create=True)
    box.add(email_with([("tiefbau.xml", to_ubl(good))], sender="rechnung@sauber.example"))
    box.add(email_with([("ohne-leitweg.xml", to_ubl(bad))], sender="absender@it.example"))
    box.close()
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "EINVOICE_DATA_DIR": str(container.settings.data_dir),
        "EINVOICE_DATABASE_URL": container.settings.database_url,
        "EINVOICE_BROKER_URL": "stub",
        "EINVOICE_SMTP_URL": f"smtp+plain://127.0.0.1:{port}",
        "EINVOICE_MAIL_FROM": "Rechnungseingang Musterstadt <rechnungseingang@musterstadt.example>",
    }
    env.pop("EINVOICE_SMTP_PASSWORD", None)

    # creditor accounting imports the finance system's creditor file (issue 12)
    _ok(env, "db", "upgrade")
    _ok(env, "accounts", "create", "kb.krause", "--role", "creditor_accounting", "--name", "K")
    _ok(env, "accounts", "create", "kb.berger", "--role", "creditor_accounting", "--name", "B")
    creditor_csv = tmp_path / "kreditoren.csv"
    creditor_csv.write_bytes(creditor_file(20))
    imported = _ok(
        env,
        "suppliers",
        "import",
        str(creditor_csv),
        "--as",
        "kb.krause",
        "--verified-how",
        "im Finanzverfahren geprüft",
        "--verified-by",
        "kb.berger",
    )
    assert "20 neu" in imported.stdout

    ingested = _ok(env, "ingest", "--source", f"maildir:{maildir}", "--once")
    assert "2 Nachrichten" in ingested.stdout

    # the valid invoice is in the Tiefbauamt's queue
    listed = json.loads(_ok(env, "queue", "list", "amt-66", "--format", "json").stdout)
    assert [item["number"] for item in listed["items"]] == [good.number]
    assert listed["department_name"] == "Amt 66 – Tiefbauamt"
    invoice_id = str(listed["items"][0]["invoice_id"])

    # the faulty one was rejected and its supplier told why, on the SMTP server
    wait_for(
        lambda: len(inbox.messages) >= 1,
        limit=MAIL_LIMIT_S,
        what="the rejection e-mail to the supplier on the test SMTP server",
    )
    assert len(inbox.messages) == 1
    recipients, message = inbox.messages[0]
    assert recipients == ["faktura@kommunal-it.example.com"]  # BT-43 of the seller
    assert message["Subject"] == f"Ihre Rechnung {bad.number} wurde abgelehnt"
    body = message.get_content()
    assert "BR-DE-15" in body and "Käuferreferenz" in body and "Leitweg-ID" in body
    assert "Rechnungseingang Musterstadt" in message["From"]

    # confirmed by two people, four eyes refused, then ordered by the head of office
    _ok(env, "approve", invoice_id, "--as", "a66.braun", "--step", "sachlich")
    _ok(env, "approve", invoice_id, "--as", "a66.krause", "--step", "rechnerisch")
    refused = _cli(env, "approve", invoice_id, "--as", "a66.krause", "--step", "anordnung")
    assert refused.returncode == 1
    assert "Vier-Augen-Prinzip" in refused.stderr and "Traceback" not in refused.stderr
    wrong = _cli(env, "approve", invoice_id, "--as", "a66.wagner", "--step", "zahlen")
    assert wrong.returncode == 2
    _ok(env, "approve", invoice_id, "--as", "a66.wagner", "--step", "anordnung")

    # exported once, as booking records for the HKR
    out = tmp_path / "hkr.csv"
    exported = _ok(env, "export", "--format", "csv", "--out", str(out))
    assert "1 Rechnung" in exported.stderr
    assert re.search(r"^Zahllauf vom \d\d\.\d\d\.\d{4}, Nr\. 1: ", exported.stderr, re.M)
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and rows[0].startswith("rechnung_id;rechnungsnummer;")
    assert good.number in rows[1] and AMT_66 in rows[1] and "a66.wagner" in rows[1]
    again = _ok(env, "export", "--format", "json")
    assert again.stdout == "" and "Keine angeordneten Rechnungen" in again.stderr
    shown = _ok(env, "invoice", "show", invoice_id)
    assert "an die Kasse übergeben" in shown.stdout
    assert re.search(r"An die Kasse übergeben: Zahllauf vom [\d.]+, Nr\. 1$", shown.stdout, re.M)

    # the audit trail verifies, and an edited event in the database is found
    assert "Protokoll unversehrt" in _ok(env, "audit", "verify").stdout
    with container.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE audit_events SET reason = 'geändert' WHERE invoice_id = :i AND sequence = 3"
            ),
            {"i": int(invoice_id)},
        )
    broken = _cli(env, "audit", "verify")
    assert broken.returncode == 1
    assert "NICHT unversehrt" in broken.stdout and "verändert" in broken.stdout


def test_cli_errors_are_german_lines_without_tracebacks(container: Container) -> None:
    env = {
        **os.environ,
        "EINVOICE_DATA_DIR": str(container.settings.data_dir),
        "EINVOICE_DATABASE_URL": container.settings.database_url,
    }
    missing = _cli(env, "invoice", "show", "4711")
    assert missing.returncode == 1 and "Rechnung 4711 gibt es nicht" in missing.stderr
    unknown = _cli(env, "queue", "list", "amt-99")
    assert unknown.returncode == 1 and "nicht bekannt" in unknown.stderr
    bad_sort = _cli(env, "queue", "list", "amt-10", "--sort", "farbe")
    assert bad_sort.returncode == 2 and "Unbekannte Sortierung" in bad_sort.stderr
    no_smtp_sender = _cli({**env, "EINVOICE_SMTP_URL": "smtp://mail.example"}, "audit", "verify")
    assert no_smtp_sender.returncode == 2 and "EINVOICE_MAIL_FROM" in no_smtp_sender.stderr
    for done in (missing, unknown, bad_sort, no_smtp_sender):
        assert "Traceback" not in done.stderr


def test_demo_shows_where_each_invoice_went(tmp_path: Path) -> None:
    done = run_bounded(
        [*einvoice_cmd(), "demo", "--folder", str(tmp_path / "demo")],
        limit=DEMO_LIMIT_S,
        what="`einvoice demo` (ingest, validation and the pilot history it writes)",
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_")},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    routed = [line for line in lines if "-> Arbeitskorb: Amt 10 – Hauptamt" in line]
    rejected = [line for line in lines if "-> abgelehnt, Lieferant wird benachrichtigt" in line]
    assert len(routed) == 5 and len(rejected) == 6
    # the forged e-mail in Bürobedarf Hansen's name asks to pay into another account: held
    assert any(
        "GESPERRT (Bankverbindung ungeprüft)" in line and "DE89 3704 0044 0532 0130 00" in line
        for line in lines
    )
    # only that e-mail and the samples whose IBAN has a typo (BR-DE-19) are held; the valid
    # samples (the sample creditors' verified accounts) and the pilot history are not
    blocks = done.stdout.split("\nE-Mail ")
    held = {
        re.findall(r"^\s+(\S+\.(?:xml|pdf)): angenommen", block, re.M)[0]
        for block in blocks
        if "GESPERRT" in block
    }
    assert held == {
        "cii-iban-pruefziffer-falsch.xml",
        "ubl-iban-pruefziffer-falsch.xml",
        "rechnung-04711.xml",
    }, held
    assert all("kein SMTP-Server" in line for line in rejected)
    # issue 24: the bank's camt.054 pays the ordered invoices, one partial payment stays open
    paid = re.search(
        r"camt054-demo.xml \(camt.054\): (\d+) Zahlung(?:en)?, (\d+) Rechnung", done.stdout
    )
    assert paid is not None and int(paid.group(2)) > 0 and "1 zur Entscheidung offen" in done.stdout
    # issue 26: the demo supplier typed one invoice into the portal's form (Weberfassung)
    typed = [line for line in lines if "über die Weberfassung erfasst" in line]
    assert len(typed) == 1 and typed[0].startswith("1 Rechnung über die Weberfassung erfasst (RE-")
    assert "2 Positionen" in typed[0] and "2 % Skonto" in typed[0]
    assert typed[0].endswith(": im Arbeitskorb Amt 10 – Hauptamt."), typed  # no hold
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert not warnings, warnings
