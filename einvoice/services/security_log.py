"""The security event log: a table for the admin page and one JSON log line per event."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from einvoice.services.ports import utcnow
from einvoice.storage.accounts import SecurityEvent

log = logging.getLogger("einvoice.security")


class Kind(StrEnum):
    LOGIN_OK = "login_ok"
    LOGIN_FAILED = "login_failed"
    THROTTLED = "throttled"
    SESSION_REVOKED = "session_revoked"
    CSRF_FAILED = "csrf_failed"
    PERMISSION_DENIED = "permission_denied"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_CHANGED = "account_changed"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_ACTIVATED = "account_activated"
    ROLE_CHANGED = "role_changed"
    HOLD_CLEARED = "hold_cleared"  # an administrator cleared the login delays of an account
    EMAIL_VERIFIED = "email_verified"
    PASSWORD_RESET_REQUESTED = "password_reset_requested"
    PASSWORD_CHANGED = "password_changed"
    REGISTRATION = "registration"
    LOGOUT = "logout"
    DRAFTS_DELETED = "drafts_deleted"  # retention deleted Weberfassung drafts of the account


KIND_LABELS_DE = {
    Kind.LOGIN_OK: "Anmeldung",
    Kind.LOGIN_FAILED: "Anmeldung fehlgeschlagen",
    Kind.THROTTLED: "Anmeldung gebremst",
    Kind.SESSION_REVOKED: "Sitzung beendet",
    Kind.CSRF_FAILED: "CSRF-Prüfung fehlgeschlagen",
    Kind.PERMISSION_DENIED: "Zugriff verweigert",
    Kind.ACCOUNT_CREATED: "Zugang angelegt",
    Kind.ACCOUNT_CHANGED: "Zugang geändert",
    Kind.ACCOUNT_DEACTIVATED: "Zugang gesperrt",
    Kind.ACCOUNT_ACTIVATED: "Zugang entsperrt",
    Kind.ROLE_CHANGED: "Rolle/Amt geändert",
    Kind.HOLD_CLEARED: "Anmeldebremse aufgehoben",
    Kind.EMAIL_VERIFIED: "E-Mail bestätigt",
    Kind.PASSWORD_RESET_REQUESTED: "Passwort-Zurücksetzen angefordert",
    Kind.PASSWORD_CHANGED: "Passwort geändert",
    Kind.REGISTRATION: "Registrierung",
    Kind.LOGOUT: "Abmeldung",
    Kind.DRAFTS_DELETED: "Entwürfe gelöscht (Aufbewahrung)",
}


_LABELS_BY_VALUE = {kind.value: label for kind, label in KIND_LABELS_DE.items()}


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    at: datetime
    kind: str
    label_de: str
    account_id: int | None
    username: str
    address: str
    actor: str
    detail: str


def record(
    sessions: sessionmaker[Session],
    kind: Kind,
    *,
    account_id: int | None = None,
    username: str = "",
    address: str = "",
    actor: str = "",
    detail: str = "",
) -> None:
    """Store the event and log it (structured: ``extra={"event": ...}``)."""
    with sessions() as session:
        add_event(
            session,
            kind,
            account_id=account_id,
            username=username,
            address=address,
            actor=actor,
            detail=detail,
        )
        session.commit()


def add_event(
    session: Session,
    kind: Kind,
    *,
    account_id: int | None = None,
    username: str = "",
    address: str = "",
    actor: str = "",
    detail: str = "",
) -> None:
    """Log the event and add it to ``session`` (stored when the caller commits: with the
    change it records)."""
    event = {
        "kind": kind.value,
        "account_id": account_id,
        "username": username[:128],
        "address": address[:64],
        "actor": actor[:128],
        "detail": detail[:500],
    }
    level = logging.INFO if kind in (Kind.LOGIN_OK, Kind.LOGOUT) else logging.WARNING
    log.log(
        level,
        "security %s user=%r address=%s",
        kind.value,
        username[:128],
        address,
        extra={"event": event},
    )
    session.add(SecurityEvent(at=utcnow(), **event))


def events(
    sessions: sessionmaker[Session],
    *,
    kind: str | None = None,
    username: str | None = None,
    address: str | None = None,
    limit: int = 200,
) -> list[EventView]:
    query = select(SecurityEvent).order_by(SecurityEvent.id.desc()).limit(limit)
    if kind:
        query = query.where(SecurityEvent.kind == kind)
    if username:
        query = query.where(SecurityEvent.username == username.strip().lower())
    if address:
        query = query.where(SecurityEvent.address == address.strip())
    with sessions() as session:
        return [
            EventView(
                e.id,
                e.at,
                e.kind,
                _LABELS_BY_VALUE.get(e.kind, e.kind),
                e.account_id,
                e.username,
                e.address,
                e.actor,
                e.detail,
            )
            for e in session.scalars(query)
        ]
