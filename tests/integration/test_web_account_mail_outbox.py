"""Registration, e-mail verification and password reset send their e-mail through the
outbox after the response (issue 21, finding 6: the mail was sent inside the request, so
its time told whether an address was registered - reset 167 ms vs 81 ms - and a slow
SMTP server made the gap larger). Timings themselves are in bench/account_mail.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from einvoice.services.account_lifecycle import ACCOUNT_MAIL, SENT_BODY
from einvoice.services.accounts import Role
from einvoice.storage.tables import Notification
from tests.integration.web import account, csrf_of, make_app


class Watched:
    """The app, noting when the last byte of each response has gone to the client."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.responded = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.responded = False

        async def watched(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.responded = True

        await self.app(scope, receive, watched)


class LateMailer:
    """A mailer that notes whether the response had already gone when it was asked."""

    def __init__(self, watched: Watched) -> None:
        self.watched = watched
        self.sent: list[tuple[str, bool]] = []

    def send(self, mail: Any) -> None:
        self.sent.append((mail.to, self.watched.responded))


def _browser(tmp_path: Path) -> tuple[TestClient, LateMailer, Any]:
    application, container = make_app(tmp_path)
    account(container, "jana@hansen.example", Role.SUPPLIER, email="jana@hansen.example")
    watched = Watched(application)
    mailer = LateMailer(watched)
    application.state.mailer = mailer
    client = TestClient(watched, base_url="https://testserver", follow_redirects=False)
    return client, mailer, container


def test_password_reset_mail_goes_after_the_response(tmp_path: Path) -> None:
    browser, mailer, container = _browser(tmp_path)
    for address in ("jana@hansen.example", "niemand@nirgends.example"):
        token = csrf_of(browser.get("/passwort-vergessen").text)
        answer = browser.post("/passwort-vergessen", data={"email": address, "csrf_token": token})
        assert answer.status_code == 200
    assert mailer.sent == [("jana@hansen.example", True)]  # sent, and only after the response
    with container.sessions() as session:
        rows = session.query(Notification).filter(Notification.kind == ACCOUNT_MAIL).all()
        assert [(r.recipient, r.status, r.body) for r in rows] == [
            ("jana@hansen.example", "sent", SENT_BODY)  # the reset link is not kept
        ]


def test_registration_mails_go_after_the_response(tmp_path: Path) -> None:
    browser, mailer, _ = _browser(tmp_path)
    for address in ("jana@hansen.example", "neu@firma.example"):  # taken, then new
        token = csrf_of(browser.get("/registrieren").text)
        answer = browser.post(
            "/registrieren",
            data={
                "organisation": "Firma",
                "display_name": "Jana",
                "email": address,
                "password": "ein-sicheres-Passwort-1" + "x",
                "vat_id": "DE812345673",
                "csrf_token": token,
            },
        )
        assert answer.status_code == 200, answer.text[answer.text.find("<main") :][:1500]
        assert "Wir haben eine E-Mail" in answer.text
    assert mailer.sent == [("jana@hansen.example", True), ("neu@firma.example", True)]


def test_an_smtp_failure_after_the_response_keeps_the_mail_pending(tmp_path: Path) -> None:
    from einvoice.errors import TransientError

    browser, mailer, container = _browser(tmp_path)

    def down(mail: Any) -> None:
        raise TransientError("SMTP-Server nicht erreichbar")

    mailer.send = down  # type: ignore[method-assign]
    token = csrf_of(browser.get("/passwort-vergessen").text)
    answer = browser.post(
        "/passwort-vergessen", data={"email": "jana@hansen.example", "csrf_token": token}
    )
    assert answer.status_code == 200  # the person is not told (nor kept waiting)
    with container.sessions() as session:
        row = session.query(Notification).filter(Notification.kind == ACCOUNT_MAIL).one()
        assert row.status == "pending" and "passwort-neu?token=" in row.body
        assert row.last_error and "nicht erreichbar" in row.last_error


def test_a_registered_supplier_can_still_reset_over_the_outbox(tmp_path: Path) -> None:
    """The whole way with the in-memory mailer of the HTTP tests."""
    from tests.integration.web import client

    application, container = make_app(tmp_path)
    account(container, "jana@hansen.example", Role.SUPPLIER, email="jana@hansen.example")
    browser = client(application)
    token = csrf_of(browser.get("/passwort-vergessen").text)
    browser.post("/passwort-vergessen", data={"email": "jana@hansen.example", "csrf_token": token})
    link = application.state.mailer.link("jana@hansen.example")
    form = browser.get(link)
    assert form.status_code == 200
    saved = browser.post(
        "/passwort-neu",
        data={
            "token": link.split("token=")[1],
            "password": "Zaunkönig-Ampel-Wolke-17",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert saved.status_code == 303
