"""Why a mailbox could not be read, in German words for the operations team.

Third-party errors (``ssl``, sockets, IMAP, the token endpoint) are mapped here, at
the boundary, to :class:`MailboxError` with a *cause* (``MailboxCause``) and a
readable German text; the original is chained (``raise ... from exc``).
"""

from __future__ import annotations

import re
import socket
import ssl
from enum import StrEnum

from einvoice.errors import TransientError


class MailboxCause(StrEnum):
    CERTIFICATE = "zertifikat"  # the server's certificate is not trusted
    TLS = "tls"  # no TLS, TLS refused, STARTTLS missing (possibly stripped)
    LOGIN = "anmeldung"  # wrong password, token refused, token endpoint refused
    CONNECTION = "verbindung"  # closed port, unknown host, timeout, connection lost
    FOLDER = "ordner"  # folder missing or not allowed to create
    PROTOCOL = "protokoll"  # the server answered something unexpected


#: Causes that will not go away by themselves: the worker backs off instead of
#: retrying at full rate (a wrong password may lock the mailbox after a few tries).
BACK_OFF_CAUSES = frozenset(
    {MailboxCause.LOGIN, MailboxCause.CERTIFICATE, MailboxCause.TLS, MailboxCause.FOLDER}
)

CAUSE_TITLES = {
    MailboxCause.CERTIFICATE: "Zertifikat nicht vertrauenswürdig",
    MailboxCause.TLS: "Verschlüsselung (TLS) fehlgeschlagen",
    MailboxCause.LOGIN: "Anmeldung fehlgeschlagen",
    MailboxCause.CONNECTION: "Verbindung fehlgeschlagen",
    MailboxCause.FOLDER: "Ordner nicht verfügbar",
    MailboxCause.PROTOCOL: "Unerwartete Antwort des Servers",
}


class MailboxError(TransientError):
    """A poll failed; ``str()`` is the German text that is recorded and shown."""

    def __init__(self, cause: MailboxCause, message: str) -> None:
        super().__init__(f"{CAUSE_TITLES[cause]}: {message}")
        self.cause = cause


def _reason(exc: BaseException) -> str:
    """The server's or library's words, without Python's ``b'...'`` and timing noise."""
    text = exc.args[-1] if exc.args else exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = str(text).strip()
    if text.startswith(("b'", 'b"')) and text.endswith(("'", '"')):
        text = text[2:-1]
    text = re.sub(r"\s*\([\d.+ ]+ secs\)", "", text).removeprefix("select failed: ")
    return text.strip() or type(exc).__name__


server_text = _reason


def from_network(exc: BaseException, where: str) -> MailboxError:
    """A socket or TLS error while connecting to ``where`` (host:port)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = exc.verify_message or _reason(exc)
        return MailboxError(
            MailboxCause.CERTIFICATE,
            f"Das Zertifikat von {where} wurde nicht anerkannt ({detail}). Ist der Server "
            "richtig, die Zertifizierungsstelle (z. B. die der Stadt) mit ca_file oder ca_dir "
            "für dieses Postfach hinterlegen.",
        )
    if isinstance(exc, ssl.SSLError):
        return MailboxError(
            MailboxCause.TLS,
            f"TLS-Verbindung zu {where} fehlgeschlagen ({exc.reason or _reason(exc)}); "
            "Mindestversion (min_tls), Client-Zertifikat und Server-Einstellungen prüfen.",
        )
    if isinstance(exc, ConnectionRefusedError):
        return MailboxError(
            MailboxCause.CONNECTION,
            f"{where} nimmt keine Verbindung an (Port geschlossen oder Dienst nicht gestartet).",
        )
    if isinstance(exc, socket.gaierror):
        return MailboxError(
            MailboxCause.CONNECTION, f"Der Servername in {where} ist unbekannt ({_reason(exc)})."
        )
    if isinstance(exc, TimeoutError | socket.timeout):
        return MailboxError(
            MailboxCause.CONNECTION, f"{where} antwortet nicht (Zeitüberschreitung)."
        )
    return MailboxError(
        MailboxCause.CONNECTION,
        f"Verbindung zu {where} fehlgeschlagen oder abgebrochen ({_reason(exc)}).",
    )


def login_refused(user: str, where: str, mechanism: str, exc: BaseException) -> MailboxError:
    return MailboxError(
        MailboxCause.LOGIN,
        f"{where} hat die Anmeldung von {user!r} ({mechanism}) abgelehnt "
        f"(Server: {_reason(exc)}). Passwort bzw. OAuth2-Zugang dieses Postfachs prüfen.",
    )


def starttls_missing(where: str) -> MailboxError:
    return MailboxError(
        MailboxCause.TLS,
        f"{where} bietet kein STARTTLS an. Ohne Verschlüsselung wird nicht angemeldet "
        "(das Passwort bleibt geheim); möglicherweise entfernt jemand STARTTLS unterwegs. "
        "imaps:// (Port 993) verwenden oder den Server prüfen.",
    )


def protocol(where: str, exc: BaseException) -> MailboxError:
    return MailboxError(MailboxCause.PROTOCOL, f"{where}: {_reason(exc)}")
