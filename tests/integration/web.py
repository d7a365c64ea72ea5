"""Helpers for web tests: an app on a fresh database, accounts, logged-in clients."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from einvoice import bootstrap
from einvoice.services.accounts import Role, create_account
from einvoice.web.app import WebSettings, create_app
from tests.integration.conftest import make_container
from tests.integration.workflow_setup import seed_creditors

PASSWORD = "ein-sicheres-Passwort-1"


def make_app(tmp_path: Path, database_url: str | None = None) -> tuple[Any, bootstrap.Container]:
    container = make_container(tmp_path, database_url)
    bootstrap.use(container)
    from einvoice.workers import actors

    actors.register(bootstrap.make_broker("stub"))
    application = create_app(
        container,
        WebSettings(secret_key="t" * 48, cookie_secure=True, base_url="https://testserver"),
        actors.route_invoice,
    )
    seed_creditors(container.pipeline)  # the sample suppliers, bank accounts verified
    application.state.mailer = Outbox()  # e-mails to users (verification, reset) land here
    return application, container


class Outbox:
    """An in-memory mailer for HTTP tests (the browser tests use a real SMTP server)."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    def send(self, mail: Any) -> None:
        self.sent.append(mail)

    def link(self, to: str, wait: float = 15.0) -> str:
        """The https://testserver/... link of the last e-mail to ``to`` (path and query).

        Account e-mails go out after the response (a background task): against a live server
        the mail may come a moment after the page; wait for it, at most ``wait`` seconds."""
        import time

        deadline = time.monotonic() + wait
        mails = [m for m in self.sent if m.to == to]
        while not mails and time.monotonic() < deadline:
            time.sleep(0.05)
            mails = [m for m in self.sent if m.to == to]
        assert mails, f"no e-mail to {to} within {wait:.0f} s"
        found = re.search(r"https://testserver(/\S+)", mails[-1].body)
        assert found, mails[-1].body
        return found.group(1)


def account(
    container: bootstrap.Container, username: str, role: Role, *, bound: bool = True, **extra: Any
) -> None:
    """An account; a supplier account is bound to every sample supplier unless ``bound=False``
    (so its uploads carry no ``uploader-not-seller`` hold)."""
    create_account(container.sessions, username, PASSWORD, role, username.title(), **extra)
    if role is Role.SUPPLIER and bound:
        from einvoice.samplegen.creditors import sample_creditors
        from einvoice.services.creditors import bind

        for creditor in sample_creditors():
            # four eyes: one person enters the binding, a second one confirms it
            bind(container.pipeline, username, creditor.number, "kb.test", "Testkonto")
            bind(container.pipeline, username, creditor.number, "kb.zweit", "Testkonto")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def client(application: Any) -> TestClient:
    return TestClient(application, base_url="https://testserver", follow_redirects=False)


def login(application: Any, username: str, password: str = PASSWORD) -> TestClient:
    c = client(application)
    page = c.get("/login")
    response = c.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 303, response.text
    return c
