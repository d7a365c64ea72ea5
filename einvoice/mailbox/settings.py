"""Settings of one IMAP mailbox: address, folders, TLS trust, log-in, secrets.

A mailbox is given either as a URL (``--source imaps://user@host/INBOX?ca_file=...``)
or by name from the mailboxes file (``EINVOICE_MAILBOXES=/etc/einvoice/mailboxes.toml``)::

    [mailbox.rechnungseingang]
    url = "imaps://rechnungseingang@mail.stadt.example/Eingangsrechnungen/Neu"
    processed_folder = "Eingangsrechnungen/Geprüft"
    failed_folder = "Eingangsrechnungen/Fehler"
    ca_file = "/etc/einvoice/stadt-ca.pem"

Both spellings take the same options (``OPTIONS``). Folder names are written in
UTF-8 with ``/`` between levels. Secrets never stand in the file or the URL: the
password of mailbox NAME comes from ``EINVOICE_IMAP_PASSWORD__NAME`` (NAME in
capitals, other characters as ``_``) or from ``password_file``; the OAuth2 client
secret from ``EINVOICE_IMAP_OAUTH2_SECRET__NAME`` or ``oauth2_client_secret_file``.
A mailbox given only as URL uses ``EINVOICE_IMAP_PASSWORD`` /
``EINVOICE_IMAP_OAUTH2_SECRET``.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

from einvoice.errors import ConfigurationError
from einvoice.presentation.plurals import noun_de

SCHEMES = ("imaps", "imap", "imap+plain")
AUTH_METHODS = ("password", "xoauth2", "oauthbearer")
TLS_VERSIONS = ("1.2", "1.3")
OPTIONS = (
    "url",
    "processed_folder",
    "failed_folder",
    "ca_file",
    "ca_dir",
    "client_cert",
    "client_key",
    "min_tls",
    "auth",
    "password_file",
    "oauth2_token_url",
    "oauth2_client_id",
    "oauth2_scope",
    "oauth2_client_auth",
    "oauth2_client_secret_file",
    "timeout",
)
PASSWORD_ENV = "EINVOICE_IMAP_PASSWORD"
OAUTH2_SECRET_ENV = "EINVOICE_IMAP_OAUTH2_SECRET"


@dataclass(frozen=True, slots=True)
class OAuth2Settings:
    """The client-credentials flow at a token endpoint (Entra ID, Keycloak, ...)."""

    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str | None = None  # Exchange Online: https://outlook.office365.com/.default
    client_auth: str = "post"  # "post" (secret in the form) or "basic" (HTTP Basic)


@dataclass(frozen=True, slots=True)
class MailboxSettings:
    name: str  # the mailbox's name, or its URL without secrets
    scheme: str
    host: str
    port: int
    user: str
    folder: str = "INBOX"
    processed_folder: str = "processed"
    failed_folder: str = "failed"
    ca_file: Path | None = None
    ca_dir: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    min_tls: str = "1.2"
    auth: str = "password"
    password: str | None = field(default=None, repr=False)
    oauth2: OAuth2Settings | None = None
    timeout: float = 60.0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.user}@{self.host}:{self.port}/{self.folder}"


def env_suffix(name: str) -> str:
    """``rechnungseingang-tiefbau`` -> ``RECHNUNGSEINGANG_TIEFBAU`` (for secret variables)."""
    return re.sub(r"[^A-Z0-9]", "_", name.upper())


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _path(options: Mapping[str, Any], key: str, where: str) -> Path | None:
    raw = options.get(key)
    if raw in (None, ""):
        return None
    path = Path(str(raw)).expanduser()
    if not path.exists():
        raise ConfigurationError(f"{where}: {key} {str(path)!r} gibt es nicht")
    return path


def _secret_file(options: Mapping[str, Any], key: str, where: str) -> str | None:
    path = _path(options, key, where)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError as exc:
        raise ConfigurationError(f"{where}: {key} {str(path)!r} nicht lesbar: {exc}") from exc


def _choice(
    options: Mapping[str, Any], key: str, allowed: tuple[str, ...], default: str, where: str
) -> str:
    value = str(options.get(key) or default).strip().lower()
    if value not in allowed:
        raise ConfigurationError(
            f"{where}: {key} {value!r} ungültig; möglich: {', '.join(allowed)}"
        )
    return value


def _folder(options: Mapping[str, Any], key: str, default: str) -> str:
    value = str(options.get(key) or default).strip().strip("/")
    return value or default


def parse(
    options: Mapping[str, Any],
    env: Mapping[str, str],
    name: str | None = None,
) -> MailboxSettings:
    """Check one mailbox's options (``url`` plus ``OPTIONS``); secrets from ``env``."""
    url = str(options.get("url") or "")
    where = f"Postfach {name!r}" if name else "IMAP-Adresse"
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ConfigurationError(
            f"{where}: {noun_de(len(unknown), 'unbekannte Einstellung')} {unknown}; "
            f"möglich: {', '.join(OPTIONS)}"
        )
    parsed = urlparse(url)
    if parsed.scheme not in SCHEMES:
        raise ConfigurationError(
            f"{where}: {url!r} ist keine IMAP-Adresse; erwartet imaps://user@host/ORDNER "
            "(oder imap:// mit STARTTLS)"
        )
    if parsed.password:
        raise ConfigurationError(
            f"{where}: kein Passwort in der Adresse; "
            f"{PASSWORD_ENV}__NAME oder password_file verwenden"
        )
    if not parsed.hostname or not parsed.username:
        raise ConfigurationError(f"{where}: die Adresse braucht Benutzer und Server: {url!r}")
    if parsed.scheme == "imap+plain" and not is_loopback(parsed.hostname):
        raise ConfigurationError(
            f"{where}: imap+plain:// (unverschlüsselt) ist nur für 127.0.0.1/localhost erlaubt, "
            f"nicht für {parsed.hostname}; imaps:// oder imap:// (STARTTLS) verwenden"
        )
    query = dict(parse_qsl(parsed.query, keep_blank_values=False))
    merged: dict[str, Any] = {**query, **{k: v for k, v in options.items() if k != "url"}}
    unknown = sorted(set(merged) - set(OPTIONS))
    if unknown:
        raise ConfigurationError(
            f"{where}: {noun_de(len(unknown), 'unbekannte Einstellung')} {unknown}; "
            f"möglich: {', '.join(OPTIONS)}"
        )
    try:
        port = parsed.port or (993 if parsed.scheme == "imaps" else 143)
    except ValueError as exc:
        raise ConfigurationError(f"{where}: ungültiger Port in {url!r}") from exc
    suffix = f"__{env_suffix(name)}" if name else ""
    auth = _choice(merged, "auth", AUTH_METHODS, "password", where)
    password: str | None = None
    oauth2: OAuth2Settings | None = None
    if auth == "password":
        password = env.get(PASSWORD_ENV + suffix) or _secret_file(merged, "password_file", where)
        if not password:
            raise ConfigurationError(
                f"{where}: kein Passwort; {PASSWORD_ENV + suffix} setzen "
                "oder password_file angeben "
                "(für Geheimnisse gibt es keine Voreinstellung)"
            )
    else:
        oauth2 = _oauth2(merged, env, suffix, where)
    client_cert = _path(merged, "client_cert", where)
    client_key = _path(merged, "client_key", where)
    if client_key is not None and client_cert is None:
        raise ConfigurationError(f"{where}: client_key ohne client_cert")
    try:
        timeout = float(merged.get("timeout") or 60)
    except ValueError as exc:
        raise ConfigurationError(f"{where}: timeout muss eine Zahl (Sekunden) sein") from exc
    folder = unquote(parsed.path).strip("/") or "INBOX"
    return MailboxSettings(
        name=name
        or f"{parsed.scheme}://{unquote(parsed.username)}@{parsed.hostname}:{port}/{folder}",
        scheme=parsed.scheme,
        host=parsed.hostname,
        port=port,
        user=unquote(parsed.username),
        folder=folder,
        processed_folder=_folder(merged, "processed_folder", "processed"),
        failed_folder=_folder(merged, "failed_folder", "failed"),
        ca_file=_path(merged, "ca_file", where),
        ca_dir=_path(merged, "ca_dir", where),
        client_cert=client_cert,
        client_key=client_key,
        min_tls=_choice(merged, "min_tls", TLS_VERSIONS, "1.2", where),
        auth=auth,
        password=password,
        oauth2=oauth2,
        timeout=timeout,
    )


def _oauth2(
    options: Mapping[str, Any], env: Mapping[str, str], suffix: str, where: str
) -> OAuth2Settings:
    token_url = str(options.get("oauth2_token_url") or "")
    client_id = str(options.get("oauth2_client_id") or "")
    if not token_url or not client_id:
        raise ConfigurationError(f"{where}: OAuth2 braucht oauth2_token_url und oauth2_client_id")
    parsed = urlparse(token_url)
    if parsed.scheme != "https" and not (
        parsed.scheme == "http" and is_loopback(parsed.hostname or "")
    ):
        raise ConfigurationError(
            f"{where}: oauth2_token_url muss https:// sein "
            f"(http:// nur für 127.0.0.1): {token_url!r}"
        )
    secret = env.get(OAUTH2_SECRET_ENV + suffix) or _secret_file(
        options, "oauth2_client_secret_file", where
    )
    if not secret:
        raise ConfigurationError(
            f"{where}: kein OAuth2-Client-Geheimnis; {OAUTH2_SECRET_ENV + suffix} setzen oder "
            "oauth2_client_secret_file angeben"
        )
    return OAuth2Settings(
        token_url=token_url,
        client_id=client_id,
        client_secret=secret,
        scope=str(options.get("oauth2_scope") or "") or None,
        client_auth=_choice(options, "oauth2_client_auth", ("post", "basic"), "post", where),
    )


def load_file(path: Path, env: Mapping[str, str]) -> tuple[MailboxSettings, ...]:
    """All mailboxes of a mailboxes file (``[mailbox.NAME]`` tables)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"Postfach-Datei {str(path)!r} nicht lesbar: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(
            f"Postfach-Datei {str(path)!r}: kein gültiges TOML: {exc}"
        ) from exc
    tables = data.get("mailbox")
    if not isinstance(tables, dict) or not tables:
        raise ConfigurationError(
            f'Postfach-Datei {str(path)!r}: keine Postfächer; erwartet [mailbox.NAME] mit url = "imaps://..."'
        )
    mailboxes = []
    for name, options in tables.items():
        if not isinstance(options, dict):
            raise ConfigurationError(
                f"Postfach-Datei {str(path)!r}: [mailbox.{name}] ist keine Tabelle"
            )
        mailboxes.append(parse(options, env, name=name))
    return tuple(mailboxes)
