"""`einvoice worker` as a supervisor of its dramatiq processes.

Each of the N worker slots runs ``python -m einvoice.workers.launch einvoice.workers.entry
--processes 1`` in its own process group. The supervisor

* forwards SIGTERM / SIGINT to every slot (dramatiq then lets the running
  actors finish), waits up to ``grace`` seconds, then SIGKILLs what is left:
  no process outlives ``einvoice worker``;
* restarts a slot whose process ended on its own (crash, SIGKILL, OOM) after a
  short back-off, with a log line, at most ``max_restarts`` times within
  ``window`` seconds; beyond that it stops everything and exits non-zero
  (the service manager's restart policy takes over);
* asks the kernel to send SIGTERM to each slot should the supervisor itself
  die without a chance to clean up (Linux ``PR_SET_PDEATHSIG``).

Work is never lost by a restart: state lives in the database, and after a restart
``on_restart`` (the recovery, :mod:`einvoice.workers.recovery`) re-enqueues at once
whatever the killed process held.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

EXIT_GAVE_UP = 1  # a worker kept crashing: the supervisor cannot go on


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Slot:
    number: int
    process: subprocess.Popen[bytes] | None = None
    restarts: deque[float] = field(default_factory=deque)
    restart_at: float | None = None


class Supervisor:
    def __init__(
        self,
        command: Sequence[str],
        processes: int,
        *,
        grace: float = 60.0,
        max_restarts: int = 5,
        window: float = 600.0,
        env: dict[str, str] | None = None,
        echo: Callable[[str], None] | None = None,
        metrics_dir: Path | None = None,
        on_restart: Callable[[], None] | None = None,
    ) -> None:
        self.command = list(command)
        self.slots = [Slot(i + 1) for i in range(processes)]
        self.grace = grace
        self.max_restarts = max_restarts
        self.window = window
        self.env = env
        self.echo = echo or (lambda text: print(text, file=sys.stderr, flush=True))
        self.on_restart = on_restart  # e.g. re-drive what the crashed process held
        self.stopping = threading.Event()
        self.exit_code = 0
        self.metrics_dir = metrics_dir  # prometheus_client multiprocess files of the slots

    # --- signals --------------------------------------------------------------------------------

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, _frame: object) -> None:
        if not self.stopping.is_set():
            self.echo(
                f"Signal {signal.Signals(signum).name}: Worker werden beendet "
                f"(laufende Arbeit darf bis zu {self.grace:.0f} s fertig werden)."
            )
        self.stopping.set()

    # --- the loop -------------------------------------------------------------------------------

    def start_slot(self, slot: Slot) -> None:
        slot.process = subprocess.Popen(
            self.command,
            env=self.env,
            start_new_session=True,  # its own group: SIGKILL reaches its forked children too
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        slot.restart_at = None
        log.info("worker %d started (pid %d)", slot.number, slot.process.pid)

    def run(self, interval: float = 0.5) -> int:
        """Start every slot and watch them until stopped; the exit code."""
        for slot in self.slots:
            self.start_slot(slot)
        while not self.stopping.wait(interval):
            for slot in self.slots:
                self._watch(slot)
        self.shutdown()
        return self.exit_code

    def _watch(self, slot: Slot) -> None:
        now = time.monotonic()
        if slot.process is None:
            if slot.restart_at is not None and now >= slot.restart_at:
                self.start_slot(slot)
                if self.on_restart is not None:
                    self.on_restart()
            return
        code = slot.process.poll()
        if code is None:
            return
        slot.process = None
        if self.metrics_dir is not None:
            from einvoice.workers.metrics import forget_dead_processes

            forget_dead_processes(self.metrics_dir)
        while slot.restarts and now - slot.restarts[0] > self.window:
            slot.restarts.popleft()
        if len(slot.restarts) >= self.max_restarts:
            self.echo(
                f"Worker {slot.number} ist {len(slot.restarts) + 1}-mal in "
                f"{self.window:.0f} s abgestürzt (zuletzt Exit-Code {code}): Abbruch."
            )
            log.critical("worker %d keeps crashing (exit %s): giving up", slot.number, code)
            self.exit_code = EXIT_GAVE_UP
            self.stopping.set()
            return
        slot.restarts.append(now)
        delay = min(30.0, 2.0 ** (len(slot.restarts) - 1))
        slot.restart_at = now + delay
        self.echo(
            f"Worker {slot.number} beendet (Exit-Code {code}); Neustart in {delay:.0f} s "
            f"({len(slot.restarts)}. Neustart in {self.window:.0f} s, "
            f"höchstens {self.max_restarts})."
        )
        log.error("worker %d exited with %s: restarting in %.0f s", slot.number, code, delay)

    def shutdown(self) -> None:
        """SIGTERM every slot, wait up to the grace period, SIGKILL the rest (whole groups)."""
        running = [s.process for s in self.slots if s.process is not None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)  # dramatiq forwards it to its workers
        deadline = time.monotonic() + self.grace
        for process in running:
            remaining = max(0.0, deadline - time.monotonic())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                self.echo(f"Worker (pid {process.pid}) nach {self.grace:.0f} s hart beendet.")
        for process in running:
            # the group: also forked children and a worker left behind by its parent
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        for slot in self.slots:
            slot.process = None
