"""Login throttling arithmetic: growing delays, ceilings, no lock-out by others."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from einvoice.domain import throttle
from einvoice.domain.throttle import Counter, Scope, ThrottlePolicy

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy()


def _counters(name: str, address: str, pair: int, account: int, addr: int) -> list[Counter]:
    keys = throttle.keys(name, address)
    return [
        Counter(Scope.PAIR, keys[Scope.PAIR], pair, NOW),
        Counter(Scope.ACCOUNT, keys[Scope.ACCOUNT], account, NOW),
        Counter(Scope.ADDRESS, keys[Scope.ADDRESS], addr, NOW),
    ]


def test_delays_grow_with_each_failure_up_to_the_ceiling() -> None:
    waits = [throttle.delay(POLICY, Scope.PAIR, n) for n in range(2, 20)]
    assert waits[0] == timedelta(0)
    assert all(a <= b for a, b in itertools.pairwise(waits))
    assert waits[-1] == POLICY.pair.max_delay
    assert throttle.delay(POLICY, Scope.PAIR, 4) == 2 * throttle.delay(POLICY, Scope.PAIR, 3)


def test_a_third_party_can_only_cause_a_short_wait_never_a_lock() -> None:
    # 10,000 failures for a clerk's name from everywhere else: the clerk, from her own
    # address, waits at most the account ceiling (seconds), then her password is looked at.
    keys = throttle.keys("a10.becker", "10.0.0.7")
    others = [Counter(Scope.ACCOUNT, keys[Scope.ACCOUNT], 10_000, NOW)]
    waited = throttle.wait(POLICY, others, NOW)
    assert timedelta(0) < waited <= POLICY.account.max_delay <= timedelta(seconds=30)
    assert throttle.wait(POLICY, others, NOW + POLICY.account.max_delay) == timedelta(0)


def test_colleagues_behind_one_nat_address_are_not_locked_out() -> None:
    # Five failed logins of one person from the shared address (the finding): a colleague
    # logging in from the same address waits nothing.
    keys = throttle.keys("a10.schmitt", "192.0.2.1")
    shared = [Counter(Scope.ADDRESS, keys[Scope.ADDRESS], 5, NOW)]
    assert throttle.wait(POLICY, shared, NOW) == timedelta(0)


def test_the_guesser_itself_is_slowed_down_more_and_more() -> None:
    assert throttle.wait(POLICY, _counters("x", "198.51.100.9", 4, 4, 4), NOW) > timedelta(0)
    long = throttle.wait(POLICY, _counters("x", "198.51.100.9", 12, 12, 12), NOW)
    assert long >= timedelta(minutes=8)


def test_keys_do_not_depend_on_whether_the_name_exists() -> None:
    assert throttle.keys(" Admin ", "1.2.3.4") == throttle.keys("admin", "1.2.3.4")
    assert set(throttle.keys("nobody", "1.2.3.4")) == set(Scope)


def test_old_failures_are_forgotten() -> None:
    old = [Counter(Scope.PAIR, "pair:x|y", 50, NOW - timedelta(hours=2))]
    assert throttle.wait(POLICY, old, NOW) == timedelta(0)


def test_request_budget_per_address() -> None:
    ok, used, start = throttle.within_budget(POLICY, 0, None, NOW)
    assert ok and used == 1
    for _ in range(POLICY.request_budget - 1):
        ok, used, start = throttle.within_budget(POLICY, used, start, NOW)
    assert ok and used == POLICY.request_budget
    ok, used, start = throttle.within_budget(POLICY, used, start, NOW)
    assert not ok
    ok, used, _ = throttle.within_budget(POLICY, used, start, NOW + POLICY.budget_window)
    assert ok and used == 1


def test_wait_text_is_german() -> None:
    assert "30 Sekunden" in throttle.wait_text_de(timedelta(seconds=30))
    assert "15 Minuten" in throttle.wait_text_de(timedelta(minutes=15))
