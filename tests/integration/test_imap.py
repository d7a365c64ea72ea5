"""Fetching from a real IMAP server (Dovecot on loopback)."""

from __future__ import annotations

import imaplib
import time
from pathlib import Path

from einvoice import bootstrap
from einvoice.mailbox.imap import ImapSource
from einvoice.services import fetch, ingest, process
from einvoice.services.status import status
from tests.integration.conftest import make_container
from tests.integration.mail import email_with, invoice_xml
from tests.integration.services import dovecot


def test_imap_messages_are_stored_then_moved(tmp_path: Path) -> None:
    container = make_container(tmp_path, None)
    bootstrap.use(container)
    with dovecot(tmp_path) as imap:
        client = imaplib.IMAP4(imap.host, imap.port)
        client.login(imap.user, imap.password)
        for seed in range(3):
            raw = email_with([(f"r{seed}.xml", invoice_xml(200 + seed))])
            client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
        client.append(
            "INBOX", "", imaplib.Time2Internaldate(time.time()), email_with([], body="Hallo")
        )
        source = ImapSource(imap.url, imap.password)
        new: list[int] = []
        result = fetch.poll(container.pipeline, source, new.append)
        source.close()
        assert result.fetched == 4 and result.error is None and len(new) == 4
        for message_id in new:
            for document_id in ingest.split(container.pipeline, message_id):
                process.process(container.pipeline, document_id)
        client.select("INBOX")
        _, inbox = client.search(None, "ALL")
        client.select("processed")
        _, done = client.search(None, "ALL")
        client.logout()
    assert inbox[0].split() == []
    assert len(done[0].split()) == 4
    counts = status(container.pipeline)
    assert counts["invoices"] == 3 and counts["no_invoice"] == 1
    assert counts["last_polls"][0]["fetched"] == 4


def test_imap_without_password_is_a_clear_configuration_error() -> None:
    import pytest

    from einvoice.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="EINVOICE_IMAP_PASSWORD"):
        ImapSource("imaps://rechnung@mail.stadt.example/INBOX", None)
