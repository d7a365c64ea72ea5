"""The scheduler of `einvoice worker`: poll the sources, sweep, scan deadlines.

It survives outages of the broker and the database: every task is tried on
its own, a failure is logged (once per outage, not once per second) and the
task is tried again after a back-off that grows up to ``max_backoff``; when
the service is back the pipeline finishes on its own, because the sweep finds
everything a lost broker message left behind in the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class Task:
    name: str
    every: float  # seconds between runs
    run: Callable[[], object]
    next_at: float = 0.0
    failures: int = 0
    last_error: str | None = field(default=None)


class Scheduler:
    def __init__(
        self,
        tasks: list[Task],
        *,
        max_backoff: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tasks = tasks
        self.max_backoff = max_backoff
        self.clock = clock

    def tick(self) -> None:
        """Run every task that is due; never raises."""
        for task in self.tasks:
            now = self.clock()
            if now < task.next_at:
                continue
            try:
                task.run()
            except Exception as exc:  # an outage: log, back off, go on
                task.failures += 1
                delay = min(self.max_backoff, task.every, 2.0 ** min(task.failures, 6))
                error = f"{type(exc).__name__}: {exc}"
                if task.failures == 1 or error != task.last_error:
                    log.warning(
                        "scheduler: %s failed (%s); retrying every %.0f s until it works",
                        task.name,
                        error,
                        delay,
                    )
                task.last_error = error
                task.next_at = self.clock() + delay
                continue
            if task.failures:
                log.warning(
                    "scheduler: %s works again after %d failure(s)", task.name, task.failures
                )
            task.failures = 0
            task.last_error = None
            task.next_at = self.clock() + task.every

    def run_soon(self, prefix: str) -> None:
        """Run the tasks whose name starts with ``prefix`` at the next tick."""
        for task in self.tasks:
            if task.name.startswith(prefix):
                task.next_at = 0.0

    def run(self, stop: threading.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            self.tick()
            stop.wait(interval)
