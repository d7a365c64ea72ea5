"""IMAP log-in with OAuth2 end to end: a real OpenID provider (oidc-provider) issues
client-credentials tokens, Dovecot's oauth2 passdb introspects them there."""

from __future__ import annotations

import imaplib
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from einvoice.mailbox.imap import ImapSource
from einvoice.mailbox.oauth2 import AccessToken, TokenCache
from einvoice.mailbox.settings import parse
from einvoice.services import fetch
from tests.integration.conftest import make_container
from tests.integration.mail import email_with, invoice_xml
from tests.integration.mailserver import TlsImap, tls_dovecot
from tests.integration.oidc import OpenIdProvider, client_credentials_client, openid_provider
from tests.integration.test_imap_tls import _append, _cli, _count, _fresh

pytestmark = pytest.mark.slow
SECRET = "imap-client-geheim"
TTL = 15  # seconds a token lives (more than Dovecot's auth penalty delays after failures)


@pytest.fixture(scope="module")
def provider() -> Iterator[OpenIdProvider]:
    clients = [
        client_credentials_client("einvoice-imap", SECRET, {"email": "rechnung"}),
        client_credentials_client("dovecot", "dovecot-geheim"),  # introspects
    ]
    with openid_provider(clients=clients, access_token_ttl=TTL) as started:
        yield started


@pytest.fixture(scope="module")
def server(provider: OpenIdProvider) -> Iterator[TlsImap]:
    url = f"http://dovecot:dovecot-geheim@127.0.0.1:{provider.port}/token/introspection"
    with tls_dovecot(users=("rechnung",), oauth2_introspection=url) as started:
        yield started


def _options(provider: OpenIdProvider, server: TlsImap, auth: str) -> dict[str, str]:
    return {
        "url": server.url(),
        "ca_file": str(server.ca_file),
        "auth": auth,
        "oauth2_token_url": provider.token_endpoint,
        "oauth2_client_id": "einvoice-imap",
        "oauth2_client_auth": "basic",
    }


def _xoauth2_login(server: TlsImap, token: str) -> str:
    context = ssl.create_default_context(cafile=str(server.ca_file))
    client = imaplib.IMAP4_SSL(server.host, server.imaps_port, ssl_context=context)
    try:
        client.authenticate(
            "XOAUTH2", lambda _: f"user=rechnung\x01auth=Bearer {token}\x01\x01".encode()
        )
        return "OK"
    except imaplib.IMAP4.error as exc:
        return str(exc)
    finally:
        client.shutdown()


def test_xoauth2_ingest_delivers_and_moves(
    tmp_path: Path, provider: OpenIdProvider, server: TlsImap
) -> None:
    _fresh(tmp_path)
    _append(server, "INBOX", [email_with([("o.xml", invoice_xml(801))])])
    mailboxes = tmp_path / "mailboxes.toml"
    options = _options(provider, server, "xoauth2")
    mailboxes.write_text(
        "[mailbox.stadt]\n" + "".join(f'{k} = "{v}"\n' for k, v in options.items()),
        encoding="utf-8",
    )
    result = _cli(
        tmp_path,
        "ingest",
        "--once",
        EINVOICE_MAILBOXES=str(mailboxes),
        EINVOICE_IMAP_OAUTH2_SECRET__STADT=SECRET,
    )
    assert result.returncode == 0, result.stderr
    assert "1 Nachricht aus stadt übernommen." in result.stdout
    assert _count(server, "INBOX") == 0 and _count(server, "processed") >= 1
    # a wrong client secret: the token endpoint refuses, exit 5 with a German cause
    wrong = _cli(
        tmp_path,
        "ingest",
        "--once",
        EINVOICE_MAILBOXES=str(mailboxes),
        EINVOICE_IMAP_OAUTH2_SECRET__STADT="falsch",
    )
    assert wrong.returncode == 5, wrong.stderr
    assert "Anmeldung fehlgeschlagen: Token-Dienst" in wrong.stderr
    assert "'einvoice-imap'" in wrong.stderr and "HTTP 401" in wrong.stderr


def test_oauthbearer_log_in(tmp_path: Path, provider: OpenIdProvider, server: TlsImap) -> None:
    container = make_container(tmp_path, None)
    _append(server, "INBOX", [email_with([("b.xml", invoice_xml(802))])])
    mailbox = parse(
        _options(provider, server, "oauthbearer"), {"EINVOICE_IMAP_OAUTH2_SECRET": SECRET}
    )
    source = ImapSource(mailbox, tokens=TokenCache())
    result = fetch.poll(container.pipeline, source, lambda _: None)
    source.close()
    assert result.error is None and result.fetched == 1
    container.engine.dispose()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_tokens_are_refreshed_before_expiry_and_an_expired_one_is_replaced(
    tmp_path: Path, provider: OpenIdProvider, server: TlsImap
) -> None:
    container = make_container(tmp_path, None)
    mailbox = parse(_options(provider, server, "xoauth2"), {"EINVOICE_IMAP_OAUTH2_SECRET": SECRET})
    assert mailbox.oauth2 is not None
    clock = Clock()
    tokens = TokenCache(clock)

    def poll_once() -> fetch.PollResult:
        source = ImapSource(mailbox, tokens=tokens)
        try:
            return fetch.poll(container.pipeline, source, lambda _: None)
        finally:
            source.close()

    assert poll_once().error is None
    first = tokens.peek(mailbox.oauth2)
    assert first is not None and first.lifetime == TTL
    clock.now += 1  # well within its life: the same token is used
    assert poll_once().error is None
    assert tokens.peek(mailbox.oauth2) is first
    clock.now += TTL - 1 - 0.5  # 0.5 s before its end: inside the refresh margin
    assert poll_once().error is None
    second = tokens.peek(mailbox.oauth2)
    assert second is not None and second.value != first.value
    # the first token really expires at the provider, and Dovecot then refuses it
    time.sleep(TTL + 1)
    refused = _xoauth2_login(server, first.value)
    assert "AUTHENTICATIONFAILED" in refused or "failed" in refused.lower(), refused
    # an expired token still held (e.g. clock skew): refused once, replaced, log-in works
    expired = tokens.peek(mailbox.oauth2)
    assert expired is not None
    tokens._tokens[(mailbox.oauth2.token_url, mailbox.oauth2.client_id, None)] = AccessToken(
        expired.value, clock.now + 3600, 3600
    )
    result = poll_once()
    assert result.error is None, result.error
    third = tokens.peek(mailbox.oauth2)
    assert third is not None and third.value not in (first.value, second.value)
    assert _xoauth2_login(server, third.value) == "OK"
    container.engine.dispose()
