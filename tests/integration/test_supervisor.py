"""`einvoice worker`'s supervisor with real processes: restarts with a limit, SIGTERM
forwarded, stragglers killed after the grace period, nothing left behind."""

from __future__ import annotations

import sys
import threading
import time

from einvoice.workers.supervisor import EXIT_GAVE_UP, Supervisor
from tests.integration.chaos_farm import alive, kill

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
STUBBORN = [
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)",
]
CRASHER = [sys.executable, "-c", "raise SystemExit(3)"]


def _run_in_thread(supervisor: Supervisor) -> tuple[threading.Thread, list[int]]:
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(supervisor.run(interval=0.1)))
    thread.start()
    return thread, result


def _wait(predicate, timeout: float = 20) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_killed_worker_is_restarted_and_stop_leaves_nothing() -> None:
    messages: list[str] = []
    supervisor = Supervisor(SLEEPER, 2, grace=5, echo=messages.append)
    thread, result = _run_in_thread(supervisor)
    assert _wait(lambda: all(s.process for s in supervisor.slots))
    first = supervisor.slots[0].process
    assert first is not None
    kill(first.pid)
    assert _wait(lambda: supervisor.slots[0].process not in (None, first))
    assert any("Neustart in 1 s" in m for m in messages)
    pids = [s.process.pid for s in supervisor.slots if s.process]
    supervisor.stopping.set()
    thread.join(timeout=30)
    assert result == [0]
    assert [p for p in pids if alive(p)] == []


def test_stubborn_worker_is_killed_after_the_grace_period() -> None:
    supervisor = Supervisor(STUBBORN, 1, grace=1, echo=lambda _m: None)
    thread, result = _run_in_thread(supervisor)
    assert _wait(lambda: supervisor.slots[0].process is not None)
    time.sleep(0.5)  # let it install its SIGTERM handler
    process = supervisor.slots[0].process
    assert process is not None
    started = time.monotonic()
    supervisor.stopping.set()
    thread.join(timeout=30)
    assert result == [0] and not alive(process.pid)
    assert time.monotonic() - started < 15


def test_crashing_worker_gives_up_after_the_limit() -> None:
    messages: list[str] = []
    supervisor = Supervisor(CRASHER, 1, grace=1, max_restarts=2, echo=messages.append)
    supervisor_thread, result = _run_in_thread(supervisor)
    supervisor_thread.join(timeout=60)
    assert result == [EXIT_GAVE_UP]
    assert any("Abbruch" in m for m in messages)
