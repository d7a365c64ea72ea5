"""Accounts: create, authenticate (argon2), rate-limit failed logins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from einvoice.errors import PermanentError
from einvoice.services.ports import utcnow
from einvoice.storage.accounts import Account, LoginAttempt

_hasher = PasswordHasher()
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,126}$")


class Role(StrEnum):
    SUPPLIER = "supplier"
    CLERK = "clerk"
    APPROVER = "approver"
    DEPARTMENT_ADMIN = "department_admin"
    STABSSTELLE = "stabsstelle"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self in (Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN)

    @property
    def label_de(self) -> str:
        return ROLE_LABELS_DE[self]


ROLE_LABELS_DE = {
    Role.SUPPLIER: "Lieferant",
    Role.CLERK: "Sachbearbeitung",
    Role.APPROVER: "Anordnungsbefugt",
    Role.DEPARTMENT_ADMIN: "Amtsverwaltung",
    Role.STABSSTELLE: "Stabsstelle / CDO",
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
) -> User:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError(
            "Der Benutzername darf nur Kleinbuchstaben, Ziffern und . _ @ - enthalten "
            "(2 bis 127 Zeichen)."
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")
    if role.is_staff and not department:
        raise AccountError("Mitarbeitende brauchen ein Amt (department).")
    with sessions() as session:
        if session.scalars(select(Account).where(Account.username == username)).first():
            raise AccountError("Dieser Benutzername ist bereits vergeben.")
        account = Account(
            username=username,
            display_name=display_name.strip()[:250] or username,
            email=(email or "").strip()[:250] or None,
            password_hash=_hasher.hash(password),
            role=role.value,
            department=department,
            organisation=(organisation or "").strip()[:250] or None,
            active=True,
            created_at=utcnow(),
        )
        session.add(account)
        session.commit()
        return _user(account)


def rate_limited(sessions: sessionmaker[Session], keys: list[str], now: datetime) -> bool:
    with sessions() as session:
        count = session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.key.in_(keys), LoginAttempt.at > now - FAILURE_WINDOW
            )
        )
    return int(count or 0) >= MAX_FAILURES


def authenticate(
    sessions: sessionmaker[Session], username: str, password: str, client: str
) -> User:
    """The user, or AccountError (same message for unknown user and wrong password)."""
    now = utcnow()
    username = username.strip().lower()
    keys = [f"user:{username}", f"client:{client}"]
    if rate_limited(sessions, keys, now):
        raise AccountError(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte in 15 Minuten erneut versuchen."
        )
    with sessions() as session:
        account = session.scalars(select(Account).where(Account.username == username)).first()
        ok = False
        if account is not None and account.active:
            try:
                ok = _hasher.verify(account.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        if not ok or account is None:
            session.add_all(LoginAttempt(key=k, at=now) for k in keys)
            session.commit()
            raise AccountError("Benutzername oder Passwort ist falsch.")
        if _hasher.check_needs_rehash(account.password_hash):
            account.password_hash = _hasher.hash(password)
        session.execute(delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
        session.commit()
        return _user(account)


def get_user(sessions: sessionmaker[Session], user_id: int) -> User | None:
    with sessions() as session:
        account = session.get(Account, user_id)
        if account is None or not account.active:
            return None
        return _user(account)
