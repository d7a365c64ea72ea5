"""Login throttling counters in the database (shared by every server process)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain import throttle
from einvoice.domain.throttle import Counter, Scope, ThrottlePolicy
from einvoice.services.ports import utcnow
from einvoice.storage.accounts import ThrottleCounter


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _counters(session: Session, keys: dict[Scope, str]) -> list[Counter]:
    rows = {
        r.key: r
        for r in session.scalars(
            select(ThrottleCounter).where(ThrottleCounter.key.in_(keys.values()))
        )
    }
    found = []
    for scope, key in keys.items():
        row = rows.get(key)
        if row is not None:
            found.append(Counter(scope, key, row.failures, _aware(row.last_failure_at)))
    return found


def wait(
    sessions: sessionmaker[Session], name: str, address: str, policy: ThrottlePolicy
) -> timedelta:
    """How long this name from this address must still wait (0: the attempt is looked at)."""
    with sessions() as session:
        return throttle.wait(policy, _counters(session, throttle.keys(name, address)), utcnow())


def _row(session: Session, key: str) -> ThrottleCounter:
    row = session.get(ThrottleCounter, key)
    if row is None:
        row = ThrottleCounter(key=key, failures=0, requests=0)
        session.add(row)
    return row


def _retrying(sessions: sessionmaker[Session], work: object) -> None:
    """Run ``work(session)`` and commit; one retry when another process made the row first."""
    assert callable(work)
    for attempt in (1, 2):
        with sessions() as session:
            work(session)
            try:
                session.commit()
                return
            except IntegrityError:
                session.rollback()
                if attempt == 2:
                    raise


def failure(
    sessions: sessionmaker[Session], name: str, address: str, policy: ThrottlePolicy
) -> None:
    now = utcnow()

    def work(session: Session) -> None:
        for counter_key in throttle.keys(name, address).values():
            row = _row(session, counter_key)
            last = _aware(row.last_failure_at)
            if last is None or now - last > policy.forget_after:
                row.failures = 0
            row.failures = (row.failures or 0) + 1
            row.last_failure_at = now

    _retrying(sessions, work)


def success(sessions: sessionmaker[Session], name: str, address: str) -> None:
    """A correct login clears this name's counters (the address's stays, it decays)."""
    keys = throttle.keys(name, address)
    with sessions() as session:
        session.execute(
            delete(ThrottleCounter).where(
                ThrottleCounter.key.in_([keys[Scope.PAIR], keys[Scope.ACCOUNT]])
            )
        )
        session.commit()


def clear(sessions: sessionmaker[Session], name: str) -> int:
    """An administrator lifts every delay of an account name; the number of counters removed."""
    name = name.strip().lower()
    with sessions() as session:
        done = session.execute(
            delete(ThrottleCounter).where(
                (ThrottleCounter.key == f"account:{name}")
                | ThrottleCounter.key.like(f"pair:{_like(name)}|%", escape="\\")
            )
        )
        session.commit()
    return int(getattr(done, "rowcount", 0) or 0)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def spend(sessions: sessionmaker[Session], address: str, policy: ThrottlePolicy) -> bool:
    """Count one login/registration/reset request of an address; False: over its budget."""
    return spend_budget(sessions, f"budget:{address[:64]}", policy)


def spend_budget(sessions: sessionmaker[Session], key: str, policy: ThrottlePolicy) -> bool:
    """Count one request against ``policy.request_budget`` per ``policy.budget_window`` under
    ``key`` (shared by every server process); False: over the budget."""
    now = utcnow()
    allowed = [True]

    def work(session: Session) -> None:
        row = _row(session, key)
        ok, used, start = throttle.within_budget(
            policy, row.requests or 0, _aware(row.window_start), now
        )
        row.requests, row.window_start = used, start
        allowed[0] = ok

    _retrying(sessions, work)
    return allowed[0]


@dataclass(frozen=True, slots=True)
class Hold:
    key: str  # account:NAME, pair:NAME|ADDRESS or address:ADDRESS
    failures: int
    last_failure_at: datetime
    wait: timedelta


def holds(sessions: sessionmaker[Session], policy: ThrottlePolicy) -> list[Hold]:
    """Counters with failures in the last hour, for the admin page (longest wait first)."""
    now = utcnow()
    scopes = {"pair": Scope.PAIR, "account": Scope.ACCOUNT, "address": Scope.ADDRESS}
    found = []
    with sessions() as session:
        rows = session.scalars(
            select(ThrottleCounter).where(
                ThrottleCounter.last_failure_at > now - policy.forget_after
            )
        ).all()
        for row in rows:
            scope = scopes.get(row.key.partition(":")[0])
            last = _aware(row.last_failure_at)
            if scope is None or last is None:
                continue
            counter = Counter(scope, row.key, row.failures, last)
            found.append(Hold(row.key, row.failures, last, throttle.wait(policy, [counter], now)))
    return sorted(found, key=lambda h: (h.wait, h.failures), reverse=True)
