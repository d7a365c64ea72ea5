"""Accounts as attackers and administrators try them (services on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from einvoice import bootstrap
from einvoice.domain.throttle import ThrottlePolicy
from einvoice.services import account_admin, account_lifecycle, accounts, tokens, web_sessions
from einvoice.services import security_log as sec
from einvoice.services.accounts import AccountError, Role, Throttled, authenticate
from einvoice.services.ports import OutgoingMail

PASSWORD = "ein-sicheres-Passwort-1"
POLICY = ThrottlePolicy()
SESSIONS = web_sessions.SessionPolicy()


class Outbox:
    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []

    def send(self, mail: OutgoingMail) -> None:
        self.sent.append(mail)

    def link(self, path: str) -> str:
        body = self.sent[-1].body
        start = body.index(f"https://rechnung.stadt.example{path}")
        return body[start:].split()[0]


def _clock(monkeypatch: pytest.MonkeyPatch, offset: timedelta) -> None:

    from einvoice.services import ports

    real = ports.utcnow

    def later() -> Any:
        return real() + offset

    for module in ("login_throttle", "web_sessions"):
        monkeypatch.setattr(f"einvoice.services.{module}.utcnow", later)


def _clerk(container: bootstrap.Container) -> None:
    accounts.create_account(
        container.sessions,
        "a10.becker",
        PASSWORD,
        Role.CLERK,
        "Martina Becker",
        department="amt-10",
    )


def test_third_party_cannot_lock_out_a_clerk(
    container: bootstrap.Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clerk(container)
    for n in range(40):  # an attacker from many addresses
        with pytest.raises(AccountError):
            authenticate(container.sessions, "a10.becker", f"falsch-{n}", f"203.0.113.{n}")
    # at worst a short wait (the account ceiling), never a lock:
    try:
        user = authenticate(container.sessions, "a10.becker", PASSWORD, "10.1.1.1", POLICY)
    except Throttled:
        _clock(monkeypatch, POLICY.account.max_delay + timedelta(seconds=1))
        user = authenticate(container.sessions, "a10.becker", PASSWORD, "10.1.1.1", POLICY)
    assert user.username == "a10.becker"


def test_failed_logins_behind_a_shared_address_do_not_lock_out_colleagues(
    container: bootstrap.Container,
) -> None:
    _clerk(container)
    accounts.create_account(
        container.sessions, "a10.schmitt", PASSWORD, Role.APPROVER, "Schmitt", department="amt-10"
    )
    for _ in range(5):
        with pytest.raises(AccountError):
            authenticate(container.sessions, "a10.schmitt", "vertippt-1234", "192.0.2.1")
    assert authenticate(container.sessions, "a10.becker", PASSWORD, "192.0.2.1").id > 0


def test_the_guesser_is_slowed_down(container: bootstrap.Container) -> None:
    _clerk(container)
    for n in range(6):
        with pytest.raises(AccountError):
            authenticate(container.sessions, "a10.becker", f"x{n}", "198.51.100.9")
    with pytest.raises(Throttled, match="Bitte warten Sie"):
        authenticate(container.sessions, "a10.becker", PASSWORD, "198.51.100.9")
    kinds = [e.kind for e in sec.events(container.sessions)]
    assert "throttled" in kinds and "login_failed" in kinds


def test_unknown_and_known_names_get_the_same_answer_and_the_same_work(
    container: bootstrap.Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clerk(container)
    calls: list[str] = []
    real = accounts._hasher

    class Counting:
        def verify(self, password_hash: str, password: str) -> bool:
            calls.append("$".join(password_hash.split("$")[:4]))  # algorithm and cost
            return bool(real.verify(password_hash, password))

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(accounts, "_hasher", Counting())
    answers = []
    for name in ("a10.becker", "niemand.da"):
        with pytest.raises(AccountError) as caught:
            authenticate(container.sessions, name, "falsches-Passwort", "10.9.9.9")
        answers.append(str(caught.value))
    assert answers[0] == answers[1]
    assert len(calls) == 2 and calls[0] == calls[1]  # one argon2 verification each, same params


def test_sessions_are_revoked_by_logout_password_change_deactivation_role_change(
    container: bootstrap.Container,
) -> None:
    _clerk(container)
    user = authenticate(container.sessions, "a10.becker", PASSWORD, "10.1.1.1")
    s = container.sessions
    one = web_sessions.start(s, user.id, SESSIONS)
    two = web_sessions.start(s, user.id, SESSIONS)
    assert web_sessions.resolve(s, one, SESSIONS) is not None
    web_sessions.revoke(s, web_sessions.session_id(one), "logout")
    assert web_sessions.resolve(s, one, SESSIONS) is None
    assert web_sessions.resolve(s, two, SESSIONS) is not None
    new_password = "noch-sichereres-Passwort-2"
    account_lifecycle.change_password(s, user.id, PASSWORD, new_password)
    assert web_sessions.resolve(s, two, SESSIONS) is None
    three = web_sessions.start(s, user.id, SESSIONS)
    account_admin.change_role(s, "a10.becker", role=Role.APPROVER, actor="admin")
    assert web_sessions.resolve(s, three, SESSIONS) is None
    four = web_sessions.start(s, user.id, SESSIONS)
    account_admin.set_active(s, "a10.becker", False, actor="admin")
    assert web_sessions.resolve(s, four, SESSIONS) is None
    with pytest.raises(AccountError):
        authenticate(s, "a10.becker", new_password, "10.1.1.1")
    kinds = {e.kind for e in sec.events(s)}
    assert {"role_changed", "account_deactivated", "password_changed"} <= kinds


def test_idle_timeout_and_absolute_lifetime(
    container: bootstrap.Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clerk(container)
    s = container.sessions
    user = authenticate(s, "a10.becker", PASSWORD, "10.1.1.1")
    policy = web_sessions.SessionPolicy(timedelta(minutes=30), timedelta(hours=10))
    token = web_sessions.start(s, user.id, policy)
    _clock(monkeypatch, timedelta(minutes=29))
    assert web_sessions.resolve(s, token, policy) is not None
    _clock(monkeypatch, timedelta(minutes=61))
    assert web_sessions.resolve(s, token, policy) is None  # idle for 32 minutes
    monkeypatch.undo()
    token = web_sessions.start(s, user.id, policy)
    for minutes in range(20, 10 * 60, 20):  # active all day long
        _clock(monkeypatch, timedelta(minutes=minutes))
        assert web_sessions.resolve(s, token, policy) is not None, minutes
    _clock(monkeypatch, timedelta(hours=10, minutes=1))
    assert web_sessions.resolve(s, token, policy) is None


def test_password_rules() -> None:
    from einvoice.services import passwords

    assert passwords.problem("kurz") is not None
    assert "erraten" in (passwords.problem("Passwort12345") or "")
    assert "Benutzernamen" in (
        passwords.problem("a10.becker-und-mehr-2026", username="a10.becker") or ""
    )
    assert passwords.problem("Zaunkönig-Ampel-Wolke-17") is None


def test_registration_does_not_reveal_taken_names_and_needs_verification(
    container: bootstrap.Container,
) -> None:
    s = container.sessions
    outbox = Outbox()
    links = account_lifecycle.MailLinks(
        outbox, tokens.Signer("s" * 48), "https://rechnung.stadt.example"
    )
    with pytest.raises(AccountError, match="E-Mail-Adresse"):
        account_lifecycle.register_supplier(
            s,
            links,
            email="not-an-email",
            password=PASSWORD,
            organisation="X",
            display_name="X",
            vat_id="DE123456788",
        )
    account_lifecycle.register_supplier(
        s,
        links,
        email="Jana@Hansen.example",
        password=PASSWORD,
        organisation="Hansen GmbH",
        display_name="Jana Hansen",
        vat_id="DE812345673",
    )
    assert outbox.sent[-1].to == "jana@hansen.example"
    with pytest.raises(AccountError, match="bestätigen"):
        authenticate(s, "jana@hansen.example", PASSWORD, "10.2.2.2")
    # the same address again: no error, a note to the owner instead of a link
    account_lifecycle.register_supplier(
        s,
        links,
        email="jana@hansen.example",
        password=PASSWORD,
        organisation="Evil",
        display_name="Evil",
        vat_id="DE812345673",
    )
    assert "bereits ein Zugang" in outbox.sent[-1].body
    token = outbox.sent[0].body.split("token=")[1].split()[0]
    assert account_lifecycle.verify_email(s, links.signer, token).username == "jana@hansen.example"
    assert authenticate(s, "jana@hansen.example", PASSWORD, "10.2.2.2").role is Role.SUPPLIER
    with pytest.raises(tokens.TokenError):
        account_lifecycle.verify_email(s, tokens.Signer("x" * 48), token)
    with pytest.raises(tokens.TokenError):
        account_lifecycle.verify_email(s, links.signer, token[:-3] + "AAA")


def test_password_reset_link_works_once_and_ends_sessions(container: bootstrap.Container) -> None:
    s = container.sessions
    outbox = Outbox()
    links = account_lifecycle.MailLinks(
        outbox, tokens.Signer("s" * 48), "https://rechnung.stadt.example"
    )
    accounts.create_account(
        s, "jana@hansen.example", PASSWORD, Role.SUPPLIER, "Jana", email="jana@hansen.example"
    )
    user = authenticate(s, "jana@hansen.example", PASSWORD, "10.2.2.2")
    live = web_sessions.start(s, user.id, SESSIONS)
    account_lifecycle.request_reset(s, links, "niemand@nirgends.example")
    assert outbox.sent == []  # nothing for an unknown address (the page says the same)
    account_lifecycle.request_reset(s, links, "jana@hansen.example")
    token = outbox.sent[-1].body.split("token=")[1].split()[0]
    account_lifecycle.reset_password(s, links.signer, token, "Ganz-neues-Passwort-99")
    assert web_sessions.resolve(s, live, SESSIONS) is None
    assert authenticate(s, "jana@hansen.example", "Ganz-neues-Passwort-99", "10.2.2.2")
    with pytest.raises(tokens.TokenError, match="schon verwendet"):
        account_lifecycle.reset_password(s, links.signer, token, "Wieder-anderes-Passwort-7")


def test_admin_sees_holds_and_unlocks(container: bootstrap.Container) -> None:
    _clerk(container)
    s = container.sessions
    for n in range(8):
        with pytest.raises(AccountError):
            authenticate(s, "a10.becker", f"x{n}", "198.51.100.9")
    rows = {r.username: r for r in account_admin.list_accounts(s)}
    assert rows["a10.becker"].waiting_seconds > 0
    assert account_admin.unlock(s, "a10.becker", actor="admin") >= 2
    assert {r.username: r for r in account_admin.list_accounts(s)}[
        "a10.becker"
    ].waiting_seconds == 0
    assert authenticate(s, "a10.becker", PASSWORD, "198.51.100.9").username == "a10.becker"
    assert "hold_cleared" in [e.kind for e in sec.events(s, kind="hold_cleared")]


def test_registration_without_a_mailer_stores_nothing(container: bootstrap.Container) -> None:
    # Tried on the demo (no SMTP): the form said "Der E-Mail-Versand ist nicht eingerichtet",
    # yet the unverified account and its binding request were stored - creditor accounting
    # was asked to decide on it, and the address stayed taken with no way to verify it.
    from einvoice.services import creditors

    s = container.sessions
    links = account_lifecycle.MailLinks(
        None, tokens.Signer("s" * 48), "https://rechnung.stadt.example"
    )
    with pytest.raises(AccountError, match="E-Mail-Versand ist nicht eingerichtet"):
        account_lifecycle.register_supplier(
            s,
            links,
            email="jana@hansen.example",
            password=PASSWORD,
            organisation="Hansen GmbH",
            display_name="Jana Hansen",
            vat_id="DE812345673",
        )
    assert accounts.display_name(s, "jana@hansen.example") is None
    assert creditors.bindings(container.pipeline) == []
