"""Login throttling: growing delays per account, per address and per pair, never a lock.

Pure arithmetic over failure counters; the service keeps the counters in the database.
Three scopes, each with its own free failures and its own ceiling:

* ``pair`` - one account from one address: the guesser itself; delays grow to minutes.
* ``account`` - one account from anywhere: slows distributed guessing, but its ceiling
  is short, so a third party can only make a clerk wait seconds, never lock them out.
* ``address`` - every account from one address: slows password spraying; a high free
  allowance because a city's staff share one NAT address.

The keys never depend on whether the account exists, so throttling answers the same
for known and unknown names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Scope(StrEnum):
    PAIR = "pair"
    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class ScopeRule:
    free_failures: int  # failures before any delay
    max_delay: timedelta  # the ceiling: never longer than this


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    pair: ScopeRule = ScopeRule(3, timedelta(minutes=15))
    account: ScopeRule = ScopeRule(10, timedelta(seconds=30))
    address: ScopeRule = ScopeRule(50, timedelta(seconds=60))
    base_delay: timedelta = timedelta(seconds=1)  # doubled with each further failure
    forget_after: timedelta = timedelta(hours=1)  # quiet this long: the counter starts anew
    request_budget: int = 300  # login/registration/reset requests per address and window
    budget_window: timedelta = timedelta(minutes=10)

    def rule(self, scope: Scope) -> ScopeRule:
        return {Scope.PAIR: self.pair, Scope.ACCOUNT: self.account, Scope.ADDRESS: self.address}[
            scope
        ]


@dataclass(frozen=True, slots=True)
class Counter:
    scope: Scope
    key: str
    failures: int
    last_failure_at: datetime | None


def keys(name: str, address: str) -> dict[Scope, str]:
    """The counter keys of one login attempt (the same for known and unknown names)."""
    name = name.strip().lower()[:128]
    address = address[:64]
    return {
        Scope.PAIR: f"pair:{name}|{address}",
        Scope.ACCOUNT: f"account:{name}",
        Scope.ADDRESS: f"address:{address}",
    }


def delay(policy: ThrottlePolicy, scope: Scope, failures: int) -> timedelta:
    """How long after the last failure the next attempt must wait."""
    rule = policy.rule(scope)
    over = failures - rule.free_failures
    if over < 0:
        return timedelta(0)
    seconds = policy.base_delay.total_seconds() * (2 ** min(over, 30))
    return min(timedelta(seconds=seconds), rule.max_delay)


def effective_failures(policy: ThrottlePolicy, counter: Counter, now: datetime) -> int:
    if counter.last_failure_at is None or now - counter.last_failure_at > policy.forget_after:
        return 0
    return counter.failures


def wait(policy: ThrottlePolicy, counters: Iterable[Counter], now: datetime) -> timedelta:
    """How long the caller must still wait before an attempt is looked at (0: go ahead)."""
    longest = timedelta(0)
    for counter in counters:
        failures = effective_failures(policy, counter, now)
        if failures == 0 or counter.last_failure_at is None:
            continue
        remaining = counter.last_failure_at + delay(policy, counter.scope, failures) - now
        longest = max(longest, remaining)
    return longest


def within_budget(
    policy: ThrottlePolicy, used: int, window_start: datetime | None, now: datetime
) -> tuple[bool, int, datetime]:
    """Count one more request of an address: (allowed, new count, window start)."""
    if window_start is None or now - window_start >= policy.budget_window:
        return True, 1, now
    used += 1
    return used <= policy.request_budget, used, window_start


def wait_text_de(remaining: timedelta) -> str:
    seconds = max(1, int(remaining.total_seconds() + 0.999))
    amount = f"{seconds} Sekunden" if seconds < 120 else f"{(seconds + 59) // 60} Minuten"
    return (
        "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie "
        f"{amount} und versuchen Sie es dann erneut."
    )
