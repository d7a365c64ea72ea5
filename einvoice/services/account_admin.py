"""What administrators do with accounts: list, deactivate, unlock, change role and Amt.

Every change that alters what a person may do ends their sessions at once and is
written to the security log.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain.throttle import ThrottlePolicy
from einvoice.services import login_throttle, web_sessions
from einvoice.services import security_log as sec
from einvoice.services.accounts import AccountError, Role, User, _user
from einvoice.storage.accounts import Account


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    username: str
    display_name: str
    email: str | None
    role: Role
    department: str | None
    organisation: str | None
    active: bool
    verified: bool
    sso: bool
    created_at: datetime
    last_login_at: datetime | None
    waiting_seconds: int  # current login delay of this name (0: none)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def list_accounts(
    sessions: sessionmaker[Session],
    policy: ThrottlePolicy | None = None,
    *,
    role: str | None = None,
    search: str | None = None,
    limit: int = 500,
) -> list[AccountRow]:
    policy = policy or ThrottlePolicy()
    waits: dict[str, int] = {}
    for hold in login_throttle.holds(sessions, policy):
        name = hold.key.partition(":")[2].partition("|")[0]
        if hold.key.startswith(("account:", "pair:")) and hold.wait.total_seconds() > 0:
            waits[name] = max(waits.get(name, 0), int(hold.wait.total_seconds() + 0.999))
    query = select(Account).order_by(Account.username).limit(limit)
    if role:
        query = query.where(Account.role == role)
    if search:
        pattern = "%" + search.strip().lower().replace("%", "").replace("_", "") + "%"
        query = query.where(Account.username.like(pattern) | Account.display_name.like(pattern))
    with sessions() as session:
        return [
            AccountRow(
                a.id,
                a.username,
                a.display_name,
                a.email,
                Role(a.role),
                a.department,
                a.organisation,
                a.active,
                a.email_verified_at is not None,
                a.oidc_subject is not None,
                _aware(a.created_at) or a.created_at,
                _aware(a.last_login_at),
                waits.get(a.username, 0),
            )
            for a in session.scalars(query)
        ]


def _account(session: Session, username: str) -> Account:
    account = session.scalars(
        select(Account).where(Account.username == username.strip().lower())
    ).first()
    if account is None:
        raise AccountError(f"Den Zugang {username!r} gibt es nicht.")
    return account


def set_active(sessions: sessionmaker[Session], username: str, active: bool, *, actor: str) -> User:
    with sessions() as session:
        account = _account(session, username)
        if not active and account.username == actor:
            raise AccountError("Den eigenen Zugang können Sie nicht sperren.")
        account.active = active
        session.commit()
        user = _user(account)
    ended = 0 if active else web_sessions.revoke_all(sessions, user.id, "deactivated")
    sec.record(
        sessions,
        sec.Kind.ACCOUNT_ACTIVATED if active else sec.Kind.ACCOUNT_DEACTIVATED,
        username=user.username,
        account_id=user.id,
        actor=actor,
        detail=f"{ended} session(s) ended" if not active else "",
    )
    return user


def unlock(sessions: sessionmaker[Session], username: str, *, actor: str) -> int:
    """Lift the login delays of an account name; the number of counters removed."""
    with sessions() as session:
        account = _account(session, username)
        account_id, name = account.id, account.username
    removed = login_throttle.clear(sessions, name)
    sec.record(
        sessions,
        sec.Kind.HOLD_CLEARED,
        username=name,
        account_id=account_id,
        actor=actor,
        detail=f"{removed} counter(s)",
    )
    return removed


def change_role(
    sessions: sessionmaker[Session],
    username: str,
    *,
    role: Role | None = None,
    department: str | None = None,
    actor: str,
) -> User:
    """New role and/or Amt; the person's sessions end (they log in again with the new rights)."""
    with sessions() as session:
        account = _account(session, username)
        before = f"{account.role}/{account.department or '-'}"
        new_role = role or Role(account.role)
        new_department = department if department is not None else account.department
        if new_role.is_staff and not new_department:
            raise AccountError("Mitarbeitende brauchen ein Amt (department).")
        if new_role is Role.SUPPLIER and "@" not in account.username and account.oidc_subject:
            raise AccountError("Ein Zugang über Single Sign-on kann kein Lieferant sein.")
        account.role = new_role.value
        account.department = new_department or None
        session.commit()
        user = _user(account)
    ended = web_sessions.revoke_all(sessions, user.id, "role_changed")
    sec.record(
        sessions,
        sec.Kind.ROLE_CHANGED,
        username=user.username,
        account_id=user.id,
        actor=actor,
        detail=f"{before} -> {user.role.value}/{user.department or '-'}; {ended} session(s) ended",
    )
    return user


def sso_account(
    sessions: sessionmaker[Session],
    *,
    subject: str,
    username: str,
    display_name: str,
    email: str | None,
    role: Role,
    department: str | None,
    routing_people: Collection[str] = (),
) -> User:
    """The account of a staff member signing in through the city's OpenID provider:
    made on first sign-in, role and Amt kept as the provider says (changes logged).

    The account is found by its identity at the provider (issuer + ``sub``), never by a
    name: a first sign-in whose name is that of a person in the routing rules
    (``routing_people``: approval limits, deputyships) is refused until an administrator
    links that person to this identity (:func:`link_sso`), so nobody inherits a person's
    limits by calling themselves like them at the provider.
    """
    from einvoice.services.accounts import create_account

    with sessions() as session:
        account = session.scalars(select(Account).where(Account.oidc_subject == subject)).first()
        if account is None:
            clash = session.scalars(select(Account).where(Account.username == username)).first()
            if clash is not None:
                raise AccountError(
                    f"Es gibt schon einen lokalen Zugang {username!r}; bitte die "
                    "Systemverwaltung fragen (Zugänge werden nicht automatisch verknüpft)."
                )
            if username in routing_people:
                raise AccountError(
                    f"Der Name {username!r} aus der städtischen Anmeldung gehört zu einer "
                    "Person der Freigaberegeln und wird nicht automatisch übernommen. Bitte "
                    "die Systemverwaltung, Ihre Anmeldung mit dieser Person zu verknüpfen "
                    f"(Kennung: {subject[:200]})."
                )
    if account is None:
        user = create_account(
            sessions,
            username,
            "",
            role,
            display_name,
            department=department,
            email=email,
            oidc_subject=subject,
        )
        sec.record(
            sessions,
            sec.Kind.ACCOUNT_CREATED,
            username=username,
            account_id=user.id,
            actor="sso",
            detail=f"{role.value}/{department or '-'}",
        )
        return user
    if not account.active:
        raise AccountError("Ihr Zugang ist gesperrt. Bitte die Systemverwaltung fragen.")
    if account.role != role.value or account.department != department:
        return change_role(
            sessions, account.username, role=role, department=department or "", actor="sso"
        )
    return _user(account)


def link_sso(
    sessions: sessionmaker[Session],
    username: str,
    subject: str,
    *,
    actor: str,
    role: Role | None = None,
    department: str | None = None,
    display_name: str = "",
) -> User:
    """Link the identity ``subject`` ("ISSUER SUB", as the refusal names it) to the account
    ``username`` - made for it (``role``, ``department`` needed) when there is none -, so
    the person of the routing rules with that name signs in through the provider."""
    from einvoice.services.accounts import create_account

    subject = subject.strip()
    if " " not in subject or "://" not in subject.partition(" ")[0]:
        raise AccountError("Die Kennung lautet 'ISSUER SUB', z. B. 'https://login.stadt.de 4711'.")
    with sessions() as session:
        taken = session.scalars(select(Account).where(Account.oidc_subject == subject)).first()
        if taken is not None and taken.username != username:
            raise AccountError(f"Diese Kennung gehört schon zum Zugang {taken.username!r}.")
        account = session.scalars(select(Account).where(Account.username == username)).first()
        if account is not None:
            if account.oidc_subject and account.oidc_subject != subject:
                raise AccountError(f"Der Zugang {username!r} ist schon anders verknüpft.")
            account.oidc_subject = subject
            session.commit()
            user = _user(account)
    if account is None:
        if role is None:
            raise AccountError(f"Es gibt keinen Zugang {username!r}: bitte Rolle und Amt angeben.")
        user = create_account(
            sessions,
            username,
            "",
            role,
            display_name or username,
            department=department,
            oidc_subject=subject,
        )
    sec.record(
        sessions,
        sec.Kind.ACCOUNT_CHANGED,
        username=username,
        account_id=user.id,
        actor=actor,
        detail=f"sso linked: {subject[:300]}",
    )
    return user
