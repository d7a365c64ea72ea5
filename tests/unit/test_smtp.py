"""SMTP settings from the URL, the e-mail the mailer writes, errors mapped to ours."""

from __future__ import annotations

import pytest

from einvoice import config
from einvoice.errors import ConfigurationError, TransientError
from einvoice.mailbox.smtp import SmtpMailer, SmtpSettings, parse_smtp_url
from einvoice.services.ports import OutgoingMail


def test_schemes_and_default_ports() -> None:
    assert parse_smtp_url("smtps://mail.example", None).port == 465
    starttls = parse_smtp_url("smtp://rechnung%40stadt@mail.example:2587", "geheim")
    assert (starttls.scheme, starttls.port, starttls.user) == ("smtp", 2587, "rechnung@stadt")
    assert parse_smtp_url("smtp+plain://127.0.0.1:2525", None).port == 2525


@pytest.mark.parametrize(
    ("url", "password", "says"),
    [
        ("http://mail.example", None, "erwartet smtps://"),
        ("smtps://user:pw@mail.example", "x", "kein Passwort enthalten"),
        ("smtps://user@mail.example", None, "EINVOICE_SMTP_PASSWORD ist nicht gesetzt"),
        ("smtp+plain://mail.example:25", None, "nur an einen Server auf diesem Rechner"),
        ("smtps://", None, "der Server fehlt"),
    ],
)
def test_unusable_urls_are_refused_in_german(url: str, password: str | None, says: str) -> None:
    with pytest.raises(ConfigurationError, match=says):
        parse_smtp_url(url, password)


def test_settings_need_a_sender_with_smtp_and_a_known_time_zone() -> None:
    with pytest.raises(ConfigurationError, match="EINVOICE_MAIL_FROM"):
        config.load({"EINVOICE_SMTP_URL": "smtps://mail.example"})
    with pytest.raises(ConfigurationError, match="EINVOICE_SMTP_URL"):
        config.load({"EINVOICE_SMTP_URL": "mail.example", "EINVOICE_MAIL_FROM": "a@b.example"})
    with pytest.raises(ConfigurationError, match="Zeitzone"):
        config.load({"EINVOICE_TIMEZONE": "Mars/Olympus"})
    settings = config.load({"EINVOICE_DEADLINE_WARNING_DAYS": "7"}).workflow
    assert settings.smtp_url is None and settings.deadline_warning_days == 7
    assert settings.routing_config == config.SAMPLE_ROUTING_CONFIG


def test_the_message_is_plain_german_utf8_and_marked_automatic() -> None:
    mailer = SmtpMailer(
        SmtpSettings("smtps", "mail.example", 465, None, None),
        "Rechnungseingang <rechnungseingang@stadt.example>",
    )
    message = mailer.message(
        OutgoingMail("lieferant@firma.example", "Rückgabe Ihrer Rechnung 1", "Grüße", key="7.12")
    )
    assert message["Message-ID"] == "<einvoice.7.12@stadt.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Subject"] == "Rückgabe Ihrer Rechnung 1"
    assert message.get_content().strip() == "Grüße"
    with pytest.raises(ConfigurationError):
        SmtpMailer(SmtpSettings("smtps", "mail.example", 465, None, None), "kein Absender")


def test_an_unreachable_server_is_a_transient_error() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mailer = SmtpMailer(
        SmtpSettings("smtp+plain", "127.0.0.1", port, None, None, timeout=5),
        "rechnungseingang@stadt.example",
    )
    with pytest.raises(TransientError, match="SMTP"):
        mailer.send(OutgoingMail("a@b.example", "Betreff", "Text"))


def test_the_invoice_address_goes_in_copy() -> None:
    mailer = SmtpMailer(
        SmtpSettings("smtps", "mail.example", 465, None, None), "rechnungseingang@stadt.example"
    )
    message = mailer.message(
        OutgoingMail("klaus@firma.example", "Rückgabe", "Text", cc=("buchhaltung@firma.example",))
    )
    assert message["To"] == "klaus@firma.example"
    assert message["Cc"] == "buchhaltung@firma.example"
    assert mailer.message(OutgoingMail("a@b.example", "x", "y"))["Cc"] is None
