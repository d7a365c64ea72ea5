"""Server-side login sessions: an opaque random token in the cookie, its hash in a table.

Logout, password change, deactivation and role change revoke at once; an idle timeout
and an absolute lifetime end a session on their own.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from einvoice.services.accounts import User, user_of
from einvoice.services.ports import utcnow
from einvoice.storage.accounts import Account, WebSession

TOUCH_EVERY = timedelta(seconds=60)  # write last_seen_at at most once a minute


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle_timeout: timedelta = timedelta(minutes=30)  # EINVOICE_SESSION_IDLE_MINUTES
    absolute_lifetime: timedelta = timedelta(hours=10)  # EINVOICE_SESSION_HOURS


@dataclass(frozen=True, slots=True)
class ActiveSession:
    id: str  # the hash, never the token
    account_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    address: str
    user_agent: str
    via: str
    id_token: str | None
    user: User | None = None  # the account, read with the session (resolve) to spare a query


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _view(row: WebSession) -> ActiveSession:
    return ActiveSession(
        row.id,
        row.account_id,
        _aware(row.created_at),
        _aware(row.last_seen_at),
        _aware(row.expires_at),
        row.address,
        row.user_agent,
        row.via,
        row.id_token,
    )


def start(
    sessions: sessionmaker[Session],
    account_id: int,
    policy: SessionPolicy,
    *,
    address: str = "",
    user_agent: str = "",
    via: str = "password",
    id_token: str | None = None,
) -> str:
    """A new session; returns the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with sessions() as session:
        session.add(
            WebSession(
                id=session_id(token),
                account_id=account_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + policy.absolute_lifetime,
                address=address[:64],
                user_agent=user_agent[:255],
                via=via,
                id_token=id_token,
            )
        )
        account = session.get(Account, account_id)
        if account is not None:
            account.last_login_at = now
        session.commit()
    return token


def resolve(
    sessions: sessionmaker[Session], token: str, policy: SessionPolicy
) -> ActiveSession | None:
    """The live session of a cookie token, or None (unknown, revoked, idle, expired, inactive)."""
    if not token or len(token) > 200:
        return None
    now = utcnow()
    with sessions() as session:
        row = session.get(WebSession, session_id(token))
        if row is None or row.revoked_at is not None:
            return None
        if now >= _aware(row.expires_at) or now - _aware(row.last_seen_at) >= policy.idle_timeout:
            row.revoked_at, row.revoked_reason = now, "expired"
            session.commit()
            return None
        account = session.get(Account, row.account_id)
        user = user_of(account) if account is not None else None
        if user is None:
            return None
        if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
            row.last_seen_at = now
            session.commit()
        return dataclasses.replace(_view(row), user=user)


def revoke(sessions: sessionmaker[Session], sid: str, reason: str) -> bool:
    with sessions() as session:
        done = session.execute(
            update(WebSession)
            .where(WebSession.id == sid, WebSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason[:64])
        )
        session.commit()
    return bool(getattr(done, "rowcount", 0))


def revoke_all(
    sessions: sessionmaker[Session], account_id: int, reason: str, *, keep: str | None = None
) -> int:
    """End every live session of an account (except ``keep``); the number ended."""
    with sessions() as session:
        query = update(WebSession).where(
            WebSession.account_id == account_id, WebSession.revoked_at.is_(None)
        )
        if keep is not None:
            query = query.where(WebSession.id != keep)
        done = session.execute(query.values(revoked_at=utcnow(), revoked_reason=reason[:64]))
        session.commit()
    return int(getattr(done, "rowcount", 0) or 0)


def active(
    sessions: sessionmaker[Session], account_id: int, policy: SessionPolicy
) -> list[ActiveSession]:
    now = utcnow()
    with sessions() as session:
        rows = session.scalars(
            select(WebSession)
            .where(WebSession.account_id == account_id, WebSession.revoked_at.is_(None))
            .order_by(WebSession.last_seen_at.desc())
        ).all()
        return [
            _view(r)
            for r in rows
            if now < _aware(r.expires_at) and now - _aware(r.last_seen_at) < policy.idle_timeout
        ]
