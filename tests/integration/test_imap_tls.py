"""Mailbox connectivity against a private Dovecot with TLS and a throwaway CA.

Each failure (untrusted CA, wrong password, closed port, missing folder, stripped
STARTTLS) must end ``einvoice ingest --once`` with exit code 5, a German message
naming the cause, and a recorded poll shown by ``einvoice status``.
"""

from __future__ import annotations

import imaplib
import json
import os
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import imap_utf7

from einvoice import bootstrap
from tests.helpers import ROOT, einvoice_cmd
from tests.integration.conftest import make_container
from tests.integration.mail import email_with, invoice_xml
from tests.integration.mailserver import StrippingProxy, TlsImap, tls_dovecot
from tests.integration.services import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server() -> Iterator[TlsImap]:
    with tls_dovecot(users=("rechnung", "tiefbau")) as started:
        yield started


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EINVOICE_IMAP_", "EINVOICE_MAILBOXES", "EINVOICE_DATABASE_URL"))
    }
    base |= {
        "EINVOICE_DATA_DIR": str(tmp_path / "data"),
        "EINVOICE_BROKER_URL": "stub",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.run(
        [*einvoice_cmd(), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=base | env,
    )


def _fresh(tmp_path: Path) -> None:
    make_container(tmp_path, None).engine.dispose()  # migrated SQLite in tmp_path/data


def _ingest_once(tmp_path: Path, source: str, password: str) -> subprocess.CompletedProcess[str]:
    """One poll of ``source`` by the CLI, on a fresh installation."""
    _fresh(tmp_path)
    return _cli(tmp_path, "ingest", "--once", "--source", source, EINVOICE_IMAP_PASSWORD=password)


def _client(server: TlsImap, user: str = "rechnung") -> imaplib.IMAP4_SSL:
    context = ssl.create_default_context(cafile=str(server.ca_file))
    client = imaplib.IMAP4_SSL(server.host, server.imaps_port, ssl_context=context)
    client.login(user, server.users[user])
    return client


def _append(server: TlsImap, folder: str, messages: list[bytes], user: str = "rechnung") -> None:
    client = _client(server, user)
    wire = '"' + imap_utf7.encode(folder).decode() + '"'
    client.create(wire)  # NO when it exists: fine
    for raw in messages:
        status, _ = client.append(wire, "", imaplib.Time2Internaldate(time.time()), raw)
        assert status == "OK"
    client.logout()


def _count(server: TlsImap, folder: str, user: str = "rechnung") -> int:
    client = _client(server, user)
    status, _ = client.select('"' + imap_utf7.encode(folder).decode() + '"')
    assert status == "OK", folder
    _, found = client.search(None, "ALL")
    client.logout()
    return len(found[0].split())


def _assert_failed(
    tmp_path: Path, result: subprocess.CompletedProcess[str], title: str, *words: str
) -> None:
    assert result.returncode == 5, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert f"fehlgeschlagen – {title}" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert "übernommen" not in result.stdout  # no "0 messages taken" success line
    status = _cli(tmp_path, "status")
    assert status.returncode == 0, status.stderr
    line = next(x for x in status.stdout.splitlines() if x.startswith("Letzter Abruf"))
    assert "FEHLER (1× in Folge" in line and title in line, line


def test_untrusted_ca_is_refused(tmp_path: Path, server: TlsImap) -> None:
    result = _ingest_once(tmp_path, server.url(), server.password)
    _assert_failed(tmp_path, result, "Zertifikat nicht vertrauenswürdig", "ca_file", "127.0.0.1")


def test_wrong_password_is_a_login_failure(tmp_path: Path, server: TlsImap) -> None:
    result = _ingest_once(tmp_path, f"{server.url()}?ca_file={server.ca_file}", "falsch")
    _assert_failed(tmp_path, result, "Anmeldung fehlgeschlagen", "'rechnung'", "Passwort")


def test_closed_port_is_a_connection_failure(tmp_path: Path, server: TlsImap) -> None:
    result = _ingest_once(
        tmp_path,
        f"imaps://rechnung@127.0.0.1:{free_port()}/INBOX?ca_file={server.ca_file}",
        server.password,
    )
    _assert_failed(tmp_path, result, "Verbindung fehlgeschlagen", "nimmt keine Verbindung an")


def test_missing_folder_is_named(tmp_path: Path, server: TlsImap) -> None:
    result = _ingest_once(
        tmp_path, f"{server.url('Gibt/Es/Nicht')}?ca_file={server.ca_file}", server.password
    )
    _assert_failed(tmp_path, result, "Ordner nicht verfügbar", "„Gibt/Es/Nicht“")


def test_stripped_starttls_is_refused_before_log_in(tmp_path: Path, server: TlsImap) -> None:
    _fresh(tmp_path)
    with StrippingProxy(server.imap_port) as proxy:
        result = _cli(
            tmp_path,
            "ingest",
            "--once",
            "--source",
            f"imap://rechnung@127.0.0.1:{proxy.port}/INBOX?ca_file={server.ca_file}",
            EINVOICE_IMAP_PASSWORD=server.password,
        )
    _assert_failed(tmp_path, result, "Verschlüsselung (TLS) fehlgeschlagen", "STARTTLS")
    assert proxy.sent, "the client did talk to the proxy"
    assert b"LOGIN" not in proxy.sent.upper() and b"AUTHENTICATE" not in proxy.sent.upper()
    assert server.password.encode() not in proxy.sent


def test_trusted_ca_delivers_and_moves_with_umlaut_folders(tmp_path: Path, server: TlsImap) -> None:
    """Two mailboxes in one run: imaps with ca_file, STARTTLS with ca_dir; UTF-8 folders."""
    _fresh(tmp_path)
    inbox = "Eingangsrechnungen/Geprüft"
    _append(server, inbox, [email_with([(f"r{i}.xml", invoice_xml(700 + i))]) for i in range(2)])
    _append(server, "INBOX", [email_with([("t.xml", invoice_xml(710))])], user="tiefbau")
    cas = tmp_path / "city-cas"
    cas.mkdir()
    (cas / "stadt-ca.pem").write_bytes(server.ca_file.read_bytes())
    mailboxes = tmp_path / "mailboxes.toml"
    mailboxes.write_text(
        f"""
[mailbox.stadt]
url = "{server.url(inbox)}"
ca_file = "{server.ca_file}"
processed_folder = "Eingangsrechnungen/Übernommen"
failed_folder = "Eingangsrechnungen/Fehlerhaft"

[mailbox.tiefbau]
url = "{server.url("INBOX", user="tiefbau", starttls=True)}"
ca_dir = "{cas}"
min_tls = "1.2"
""",
        encoding="utf-8",
    )
    result = _cli(
        tmp_path,
        "ingest",
        "--once",
        EINVOICE_MAILBOXES=str(mailboxes),
        EINVOICE_IMAP_PASSWORD__STADT=server.users["rechnung"],
        EINVOICE_IMAP_PASSWORD__TIEFBAU=server.users["tiefbau"],
    )
    assert result.returncode == 0, result.stderr
    assert "2 Nachrichten aus stadt übernommen." in result.stdout
    assert "1 Nachricht aus tiefbau übernommen." in result.stdout
    assert _count(server, inbox) == 0
    assert _count(server, "Eingangsrechnungen/Übernommen") == 2
    assert _count(server, "Eingangsrechnungen/Fehlerhaft") == 0  # created when missing
    assert _count(server, "INBOX", user="tiefbau") == 0
    assert _count(server, "processed", user="tiefbau") == 1
    status = _cli(tmp_path, "status", "--format", "json")
    assert '"invoices": 3' in status.stdout, status.stdout
    assert "FEHLER" not in _cli(tmp_path, "status").stdout


def test_doctor_checks_every_mailbox_of_the_mailboxes_file(tmp_path: Path, server: TlsImap) -> None:
    """A city with several mailboxes: doctor logs in to each, one line each."""
    _fresh(tmp_path)
    mailboxes = tmp_path / "mailboxes.toml"
    mailboxes.write_text(
        f"""
[mailbox.stadt]
url = "{server.url()}"
ca_file = "{server.ca_file}"

[mailbox.tiefbau]
url = "{server.url("INBOX", user="tiefbau", starttls=True)}"
ca_file = "{server.ca_file}"
""",
        encoding="utf-8",
    )
    result = _cli(
        tmp_path,
        "doctor",
        "--format",
        "json",
        EINVOICE_MAILBOXES=str(mailboxes),
        EINVOICE_IMAP_PASSWORD__STADT=server.users["rechnung"],
        EINVOICE_IMAP_PASSWORD__TIEFBAU="falsch",
    )
    lines = {c["check"]: c for c in json.loads(result.stdout) if c["check"].startswith("Postfach")}
    assert lines["Postfach stadt"]["level"] == "ok", lines
    assert lines["Postfach tiefbau"]["level"] == "fehler", lines
    assert "Anmeldung fehlgeschlagen" in lines["Postfach tiefbau"]["detail"]
    assert result.returncode == 1


def test_login_failures_back_off_in_the_worker(tmp_path: Path, server: TlsImap) -> None:
    from einvoice import config
    from einvoice.services import fetch
    from einvoice.workers.actors import poll_once

    container = make_container(tmp_path, None)
    settings = config.load(
        {
            "EINVOICE_DATA_DIR": str(tmp_path / "data"),
            "EINVOICE_IMAP_PASSWORD": "falsch",
            "EINVOICE_POLL_INTERVAL": "60",
        }
    )
    bootstrap.use(
        bootstrap.Container(settings, container.engine, container.sessions, container.pipeline)
    )
    url = f"{server.url()}?ca_file={server.ca_file}"
    first = poll_once(url, respect_back_off=True)
    assert first.cause == "anmeldung" and first.failures == 1
    refusals = server.log().count("auth failed") + server.log().count("Password mismatch")
    skipped = poll_once(url, respect_back_off=True)  # the scheduler's next tick
    assert skipped.skipped_until is not None and skipped.error is None
    assert (skipped.skipped_until - container.pipeline.clock()).total_seconds() > 100
    assert server.log().count("auth failed") + server.log().count("Password mismatch") == refusals
    again = poll_once(url, respect_back_off=False)  # an operator's ingest --once tries
    assert again.failures == 2
    assert fetch.backing_off_until(container.pipeline, url.split("?")[0], 60) is not None
    container.engine.dispose()


def test_client_certificate_when_the_server_requires_one(tmp_path: Path) -> None:
    from einvoice.mailbox.imap import ImapSource
    from einvoice.mailbox.settings import parse
    from einvoice.services import fetch

    container = make_container(tmp_path, None)
    with tls_dovecot(require_client_cert=True) as strict:
        client = strict.client_ca.issue_cert("einvoice-client")  # type: ignore[attr-defined]
        client.cert_chain_pems[0].write_to_path(str(tmp_path / "client.pem"))
        client.private_key_pem.write_to_path(str(tmp_path / "client.key"))
        options = {"url": strict.url(), "ca_file": str(strict.ca_file)}
        env = {"EINVOICE_IMAP_PASSWORD": strict.password}
        without = ImapSource(parse(options, env))
        refused = fetch.poll(container.pipeline, without, lambda _: None)
        without.close()
        assert refused.error is not None and refused.cause in ("anmeldung", "tls"), refused
        options |= {"client_cert": str(tmp_path / "client.pem")}
        options |= {"client_key": str(tmp_path / "client.key")}
        with_cert = ImapSource(parse(options, env))
        accepted = fetch.poll(container.pipeline, with_cert, lambda _: None)
        with_cert.close()
        assert accepted.error is None, accepted.error
    container.engine.dispose()
