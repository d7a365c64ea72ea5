"""The worker's scheduler survives failing tasks (an outage): log, back off, go on."""

from __future__ import annotations

import logging

import pytest

from einvoice.workers.scheduler import Scheduler, Task


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_failing_task_backs_off_and_resumes(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    calls: list[str] = []
    broken = {"down": True}

    def send() -> None:
        calls.append("sweep")
        if broken["down"]:
            raise ConnectionError("Redis is down")

    other: list[float] = []
    scheduler = Scheduler(
        [Task("sweep", 5.0, send), Task("poll", 5.0, lambda: other.append(clock.now))],
        max_backoff=60.0,
        clock=clock,
    )
    with caplog.at_level(logging.WARNING):
        for second in range(0, 40):
            clock.now = float(second)
            scheduler.tick()  # never raises
    # backed off (2, 4, 5, 5 ... s), not hammered every second; the other task unaffected
    assert 5 <= len(calls) <= 12
    assert len(other) == 8
    warnings = [r for r in caplog.records if "sweep failed" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not once per attempt
    broken["down"] = False
    clock.now = 100.0
    scheduler.tick()
    assert scheduler.tasks[0].failures == 0
    assert any("works again" in r.getMessage() for r in caplog.records)
