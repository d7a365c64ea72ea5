"""Mailbox settings: URLs, the mailboxes file, secrets per mailbox, TLS and OAuth2 checks."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from einvoice import config
from einvoice.errors import ConfigurationError
from einvoice.mailbox import oauth2, tls
from einvoice.mailbox.errors import MailboxCause, from_network
from einvoice.mailbox.settings import env_suffix, load_file, parse
from einvoice.mailbox.sources import open_source


def test_plain_imap_only_on_loopback() -> None:
    env = {"EINVOICE_IMAP_PASSWORD": "x"}
    assert parse({"url": "imap+plain://u@127.0.0.1:1143/INBOX"}, env).port == 1143
    assert parse({"url": "imap+plain://u@localhost/INBOX"}, env).scheme == "imap+plain"
    with pytest.raises(ConfigurationError, match=r"nur für 127\.0\.0\.1/localhost"):
        parse({"url": "imap+plain://u@mail.stadt.example/INBOX"}, env)


def test_no_password_in_the_url_and_none_by_default() -> None:
    with pytest.raises(ConfigurationError, match="kein Passwort in der Adresse"):
        parse({"url": "imaps://u:geheim@mail.stadt.example/INBOX"}, {})
    with pytest.raises(ConfigurationError, match="EINVOICE_IMAP_PASSWORD__STADT"):
        parse({"url": "imaps://u@mail.stadt.example/INBOX"}, {}, name="stadt")


def test_utf8_folders_and_query_options() -> None:
    box = parse(
        {"url": "imaps://u@mail.stadt.example/Eingangsrechnungen/Gepr%C3%BCft?min_tls=1.3"},
        {"EINVOICE_IMAP_PASSWORD": "Str3ng-geheim"},
    )
    assert box.folder == "Eingangsrechnungen/Geprüft" and box.min_tls == "1.3"
    assert box.port == 993 and box.processed_folder == "processed"
    assert "Str3ng-geheim" not in repr(box)  # the password is not shown
    with pytest.raises(ConfigurationError, match="unbekannte Einstellung"):
        parse({"url": "imaps://u@h/INBOX?verify=no"}, {"EINVOICE_IMAP_PASSWORD": "x"})
    with pytest.raises(ConfigurationError, match="min_tls"):
        parse({"url": "imaps://u@h/INBOX?min_tls=1.0"}, {"EINVOICE_IMAP_PASSWORD": "x"})


def test_mailboxes_file_with_secrets_per_mailbox(tmp_path: Path) -> None:
    secret = tmp_path / "oauth-secret"
    secret.write_text("aus-der-datei\n")
    path = tmp_path / "mailboxes.toml"
    path.write_text(
        f"""
[mailbox.rechnungseingang]
url = "imaps://rechnung@mail.stadt.example/Eingang"
processed_folder = "Eingang/Übernommen"

[mailbox.exchange-online]
url = "imaps://rechnung@stadt.example@outlook.office365.com/INBOX"
auth = "xoauth2"
oauth2_token_url = "https://login.microsoftonline.com/tenant/oauth2/v2.0/token"
oauth2_client_id = "app-id"
oauth2_scope = "https://outlook.office365.com/.default"
oauth2_client_secret_file = "{secret}"
""",
        encoding="utf-8",
    )
    env = {"EINVOICE_IMAP_PASSWORD__RECHNUNGSEINGANG": "pw1", "EINVOICE_MAILBOXES": str(path)}
    settings = config.load(env)
    first, second = settings.mailboxes
    assert first.password == "pw1" and first.processed_folder == "Eingang/Übernommen"
    assert second.oauth2 is not None and second.oauth2.client_secret == "aus-der-datei"
    assert second.user == "rechnung@stadt.example" and second.host == "outlook.office365.com"
    assert env_suffix("exchange-online") == "EXCHANGE_ONLINE"
    source = open_source("exchange-online", mailboxes=settings.mailboxes)
    assert source.name == "exchange-online"
    with pytest.raises(ConfigurationError, match="bekannt: rechnungseingang, exchange-online"):
        open_source("tippfehler", mailboxes=settings.mailboxes)
    with pytest.raises(ConfigurationError, match="EINVOICE_IMAP_PASSWORD__RECHNUNGSEINGANG"):
        load_file(path, {})


def test_token_url_must_be_https_except_loopback() -> None:
    options = {
        "url": "imaps://u@h/INBOX",
        "auth": "oauthbearer",
        "oauth2_client_id": "c",
        "oauth2_token_url": "http://idp.stadt.example/token",
    }
    with pytest.raises(ConfigurationError, match="https://"):
        parse(options, {"EINVOICE_IMAP_OAUTH2_SECRET": "s"})
    options["oauth2_token_url"] = "http://127.0.0.1:8080/token"
    assert parse(options, {"EINVOICE_IMAP_OAUTH2_SECRET": "s"}).auth == "oauthbearer"


def test_tls_context_adds_the_city_ca_and_keeps_checking(tmp_path: Path) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA(organization_name="Stadt Test-CA")
    ca.cert_pem.write_to_path(str(tmp_path / "stadt-ca.pem"))
    box = parse(
        {"url": "imaps://u@h/INBOX", "ca_dir": str(tmp_path), "min_tls": "1.3"},
        {"EINVOICE_IMAP_PASSWORD": "x"},
    )
    context = tls.context(box)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version == ssl.TLSVersion.TLSv1_3
    subjects = [dict(x[0] for x in c["subject"]) for c in context.get_ca_certs()]
    assert any(s.get("organizationName") == "Stadt Test-CA" for s in subjects)
    (tmp_path / "kaputt.pem").write_text("kein Zertifikat")
    with pytest.raises(ConfigurationError, match=r"kaputt\.pem"):
        tls.context(box)


def test_network_errors_have_german_causes() -> None:
    refused = from_network(ConnectionRefusedError(111, "refused"), "h:993")
    assert refused.cause is MailboxCause.CONNECTION and "nimmt keine Verbindung an" in str(refused)
    timeout = from_network(TimeoutError("timed out"), "h:993")
    assert "Zeitüberschreitung" in str(timeout)


def test_token_cache_refreshes_before_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    issued: list[float] = []

    def fake_fetch(settings: object, verify: object, now: float) -> oauth2.AccessToken:
        issued.append(now)
        return oauth2.AccessToken(f"t{len(issued)}", now + 3600, 3600)

    monkeypatch.setattr(oauth2, "fetch", fake_fetch)
    now = [0.0]
    cache = oauth2.TokenCache(lambda: now[0])
    settings = oauth2.OAuth2Settings("https://idp/token", "c", "s")
    context = ssl.create_default_context()
    assert cache.token(settings, context).value == "t1"
    now[0] = 3600 - 61  # more than a minute left: kept
    assert cache.token(settings, context).value == "t1"
    now[0] = 3600 - 59  # less than a minute left: refreshed before it ends
    assert cache.token(settings, context).value == "t2"
    assert oauth2.refresh_margin(10) == 2
