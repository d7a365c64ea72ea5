"""Sending e-mail over SMTP (stdlib ``smtplib``): the workflow's :class:`Mailer`.

The server is given as a URL, as the IMAP sources are:

* ``smtps://user@host:465`` - TLS from the first byte (implicit TLS),
* ``smtp://user@host:587`` - STARTTLS before anything else is said,
* ``smtp+plain://host:25`` - no TLS at all; only for a server on loopback (tests).

A user in the URL means: log in, with the password from
``EINVOICE_SMTP_PASSWORD`` (no default). smtplib's errors are mapped to the
project's: connection problems and 4xx answers are transient (try again
later), refused recipients and other 5xx answers permanent.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from urllib.parse import unquote, urlparse

from einvoice.errors import ConfigurationError, PermanentError, TransientError
from einvoice.services.ports import OutgoingMail, utcnow

SCHEMES = {"smtps": 465, "smtp": 587, "smtp+plain": 25}
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    scheme: str  # smtps, smtp (STARTTLS), smtp+plain
    host: str
    port: int
    user: str | None
    password: str | None
    timeout: float = 30.0

    @property
    def name(self) -> str:
        user = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"


def parse_smtp_url(url: str, password: str | None, timeout: float = 30.0) -> SmtpSettings:
    """The settings of an SMTP URL; ConfigurationError with a German reason if unusable."""
    parsed = urlparse(url)
    if parsed.scheme not in SCHEMES:
        raise ConfigurationError(
            f"EINVOICE_SMTP_URL {url!r}: erwartet smtps://host:465, smtp://host:587 (STARTTLS) "
            "oder smtp+plain://127.0.0.1:25 (nur lokal, ohne Verschlüsselung)"
        )
    if not parsed.hostname:
        raise ConfigurationError(f"EINVOICE_SMTP_URL {url!r}: der Server fehlt")
    try:
        port = parsed.port or SCHEMES[parsed.scheme]
    except ValueError as exc:
        raise ConfigurationError(f"EINVOICE_SMTP_URL {url!r}: ungültiger Port") from exc
    user = unquote(parsed.username) if parsed.username else None
    if parsed.password:
        raise ConfigurationError(
            "EINVOICE_SMTP_URL darf kein Passwort enthalten: EINVOICE_SMTP_PASSWORD verwenden"
        )
    if user and not password:
        raise ConfigurationError(
            "EINVOICE_SMTP_PASSWORD ist nicht gesetzt (für die Anmeldung als "
            f"{user!r}; Geheimnisse haben keinen Standardwert)"
        )
    if parsed.scheme == "smtp+plain" and parsed.hostname not in _LOOPBACK:
        raise ConfigurationError(
            f"EINVOICE_SMTP_URL {url!r}: ohne Verschlüsselung (smtp+plain) nur an einen Server "
            "auf diesem Rechner (127.0.0.1); sonst smtps:// oder smtp:// (STARTTLS) verwenden"
        )
    return SmtpSettings(parsed.scheme, parsed.hostname, port, user, password, timeout)


class SmtpMailer:
    """Sends each e-mail over its own SMTP connection (they are rare)."""

    def __init__(self, settings: SmtpSettings, sender: str) -> None:
        if "@" not in parseaddr(sender)[1]:
            raise ConfigurationError(f"EINVOICE_MAIL_FROM {sender!r} ist keine E-Mail-Adresse")
        self.settings = settings
        self.sender = sender

    def message(self, mail: OutgoingMail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = formataddr(parseaddr(mail.to))
        if mail.cc:
            message["Cc"] = ", ".join(formataddr(parseaddr(c)) for c in mail.cc)
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(utcnow())
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"
        key = "".join(c for c in (mail.key or "") if c.isalnum() or c in ".-")
        message["Message-ID"] = f"<einvoice.{key}@{domain}>" if key else make_msgid(domain=domain)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
        message.set_content(mail.body, charset="utf-8")
        return message

    def send(self, mail: OutgoingMail) -> None:
        s = self.settings
        message = self.message(mail)
        try:
            with self._connect() as client:
                if s.user and s.password:
                    client.login(s.user, s.password)
                client.send_message(message)
        except smtplib.SMTPAuthenticationError as exc:
            raise ConfigurationError(
                f"SMTP {s.name}: Anmeldung abgelehnt ({exc.smtp_code})"
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentError(f"SMTP {s.name}: Empfänger abgelehnt: {mail.to}") from exc
        except smtplib.SMTPResponseException as exc:
            text = f"SMTP {s.name}: {exc.smtp_code} {exc.smtp_error!r}"
            if 400 <= exc.smtp_code < 500:
                raise TransientError(text) from exc
            raise PermanentError(text) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientError(f"SMTP {s.name}: {type(exc).__name__}: {exc}") from exc

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.scheme == "smtps":
            return smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.scheme == "smtp":
            try:
                client.starttls(context=ssl.create_default_context())
            except BaseException:
                client.close()
                raise
        return client
