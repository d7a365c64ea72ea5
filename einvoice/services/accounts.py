"""Accounts: create, authenticate (argon2, throttled, same answer for unknown names)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain.throttle import ThrottlePolicy, wait_text_de
from einvoice.errors import PermanentError
from einvoice.services import passwords
from einvoice.services.ports import utcnow
from einvoice.storage.accounts import Account

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,126}$")


class Role(StrEnum):
    SUPPLIER = "supplier"
    CLERK = "clerk"
    APPROVER = "approver"
    DEPARTMENT_ADMIN = "department_admin"
    STABSSTELLE = "stabsstelle"
    CREDITOR_ACCOUNTING = "creditor_accounting"  # Kreditorenbuchhaltung (master data, holds)
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self in (Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN)

    @property
    def keeps_creditors(self) -> bool:
        """Only creditor accounting keeps creditor data (separation of duties: administrators
        manage accounts and settings, not creditor data or money)."""
        return self is Role.CREDITOR_ACCOUNTING

    @property
    def label_de(self) -> str:
        return ROLE_LABELS_DE[self]


ROLE_LABELS_DE = {
    Role.SUPPLIER: "Lieferant",
    Role.CLERK: "Sachbearbeitung",
    Role.APPROVER: "Anordnungsbefugt",
    Role.DEPARTMENT_ADMIN: "Amtsverwaltung",
    Role.STABSSTELLE: "Stabsstelle / CDO",
    Role.CREDITOR_ACCOUNTING: "Kreditorenbuchhaltung",
    Role.ADMIN: "Systemverwaltung",
}


class AccountError(PermanentError):
    """A German message for the person at the form."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    department: str | None
    organisation: str | None
    email: str | None


def _user(account: Account) -> User:
    return User(
        account.id,
        account.username,
        account.display_name,
        Role(account.role),
        account.department,
        account.organisation,
        account.email,
    )


def create_account(
    sessions: sessionmaker[Session],
    username: str,
    password: str,
    role: Role,
    display_name: str,
    *,
    department: str | None = None,
    organisation: str | None = None,
    email: str | None = None,
    verified: bool = True,
    oidc_subject: str | None = None,
) -> User:
    """A new account (administrators, CLI, SSO, self-registration with ``verified=False``)."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError(
            "Der Benutzername darf nur Kleinbuchstaben, Ziffern und . _ @ - enthalten "
            "(2 bis 127 Zeichen)."
        )
    if password or not oidc_subject:
        reason = passwords.problem(
            password, username=username, email=email or "", names=(display_name,)
        )
        if reason:
            raise AccountError(reason)
    if role.is_staff and not department:
        raise AccountError("Mitarbeitende brauchen ein Amt (department).")
    with sessions() as session:
        if session.scalars(select(Account).where(Account.username == username)).first():
            raise AccountError("Dieser Benutzername ist bereits vergeben.")
        account = Account(
            username=username,
            display_name=display_name.strip()[:250] or username,
            email=(email or "").strip()[:250] or None,
            password_hash=_hasher.hash(password) if password else "",
            role=role.value,
            department=department,
            organisation=(organisation or "").strip()[:250] or None,
            active=True,
            created_at=utcnow(),
            email_verified_at=utcnow() if verified else None,
            oidc_subject=oidc_subject,
        )
        session.add(account)
        session.commit()
        return _user(account)


class Throttled(AccountError):
    """Too many failed logins: wait (the same answer for known and unknown names)."""


_dummy_hash: list[str] = []


def _dummy() -> str:
    """An argon2 hash with the same parameters: unknown names cost the same time."""
    if not _dummy_hash:
        _dummy_hash.append(_hasher.hash(secrets.token_urlsafe(16)))
    return _dummy_hash[0]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy(), password)
    except (VerificationError, InvalidHashError):
        return False


WRONG = "Benutzername oder Passwort ist falsch."


def authenticate(
    sessions: sessionmaker[Session],
    username: str,
    password: str,
    client: str,
    policy: ThrottlePolicy | None = None,
    *,
    password_roles: frozenset[Role] | None = None,
) -> User:
    """The user, or AccountError: the same message and the same work for an unknown name,
    a wrong password, an inactive account; Throttled while a delay runs.
    ``password_roles``: the roles that may log in with a local password (None: all)."""
    from einvoice.services import login_throttle
    from einvoice.services import security_log as sec

    policy = policy or ThrottlePolicy()
    username = username.strip().lower()[:254]
    remaining = login_throttle.wait(sessions, username, client, policy)
    if remaining.total_seconds() > 0:
        sec.record(
            sessions,
            sec.Kind.THROTTLED,
            username=username,
            address=client,
            detail=f"{remaining.total_seconds():.0f} s",
        )
        raise Throttled(wait_text_de(remaining))
    with sessions() as session:
        account = session.scalars(select(Account).where(Account.username == username)).first()
        ok = _verify(account.password_hash if account is not None else "", password)
        ok = ok and account is not None and account.active
    if not ok or account is None:
        login_throttle.failure(sessions, username, client, policy)
        sec.record(
            sessions,
            sec.Kind.LOGIN_FAILED,
            username=username,
            address=client,
            account_id=account.id if account is not None else None,
        )
        raise AccountError(WRONG)
    role = Role(account.role)
    if password_roles is not None and role not in password_roles:
        sec.record(
            sessions,
            sec.Kind.LOGIN_FAILED,
            username=username,
            address=client,
            account_id=account.id,
            detail="local password not allowed for this role",
        )
        raise AccountError(
            "Mitarbeitende melden sich über die städtische Anmeldung (Single Sign-on) an."
        )
    if account.email_verified_at is None:
        raise AccountError(
            "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse: Öffnen Sie den Link in der "
            "E-Mail, die wir Ihnen nach der Registrierung geschickt haben."
        )
    login_throttle.success(sessions, username, client)
    with sessions() as session:
        fresh = session.get(Account, account.id)
        if fresh is not None and _hasher.check_needs_rehash(fresh.password_hash):
            fresh.password_hash = _hasher.hash(password)
            session.commit()
    sec.record(
        sessions, sec.Kind.LOGIN_OK, username=username, address=client, account_id=account.id
    )
    return _user(account)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    return _verify(password_hash, password)


def user_of(account: Account) -> User | None:
    """The user of a loaded account row (None when it is deactivated)."""
    return _user(account) if account.active else None


def get_user(sessions: sessionmaker[Session], user_id: int) -> User | None:
    with sessions() as session:
        account = session.get(Account, user_id)
        if account is None or not account.active:
            return None
        return _user(account)


def display_name(sessions: sessionmaker[Session], username: str) -> str | None:
    """The account's display name for a user name of the audit trail (None: no account)."""
    with sessions() as session:
        name = session.scalar(select(Account.display_name).where(Account.username == username))
    return str(name) if name else None
