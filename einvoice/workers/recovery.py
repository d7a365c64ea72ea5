"""Resume work lost to a fault as soon as the fault is over (part of `einvoice worker`).

Every few seconds the supervisor's scheduler asks :meth:`Recovery.check`: are the
database, the broker and the blob store usable? While one is not, the fault is
remembered (and logged once). When all are usable again - or a worker process was
restarted after a crash, or the worker has just started, or dead letters wait at the
broker - everything unfinished is re-driven from the database at once
(:func:`einvoice.workers.actors.redrive`) and the mailboxes are polled right away, so
the pipeline is finished seconds after the fault, not after EINVOICE_SWEEP_AFTER.
The periodic sweep stays as the last resort for anything else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

log = logging.getLogger(__name__)

CHECK_EVERY = 5.0  # seconds between two checks
PROBE_BYTES = 64 * 1024  # a blob store with less room than this counts as full
DEAD_LETTERS = "Dead Letters beim Broker"


def probe(container: Any) -> str | None:
    """The first part that is not usable (German), or None if all are."""
    pipeline = container.pipeline
    try:
        with pipeline.sessions() as session:
            session.execute(text("select 1"))
    except Exception as exc:
        return f"Datenbank nicht erreichbar ({type(exc).__name__})"
    if pipeline.broker is not None:
        try:
            pipeline.broker.ping()
        except Exception as exc:
            return f"Broker nicht erreichbar ({type(exc).__name__})"
    root = getattr(pipeline.blobs, "root", None)
    if isinstance(root, Path):
        problem = _writable(root)
        if problem:
            return problem
    return None


def _writable(root: Path) -> str | None:
    """Can the blob folder take a write of PROBE_BYTES (created if missing)?"""
    path = root / f".probe-{os.getpid()}.tmp"
    try:
        root.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.write(b"\0" * PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        return f"Blob-Speicher nicht beschreibbar ({exc.strerror or exc})"
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    return None


class Recovery:
    """See the module docstring; ``redrive`` and ``poll_now`` are injected (tests)."""

    def __init__(
        self,
        container: Any,
        redrive: Callable[[str], Any],
        poll_now: Callable[[], None],
        probe: Callable[[Any], str | None] = probe,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.container = container
        self.redrive = redrive
        self.poll_now = poll_now
        self.probe = probe
        self.clock = clock
        self.fault: str | None = None
        self.fault_since: float | None = None
        self.started = False
        self._restarted = threading.Event()

    def worker_restarted(self) -> None:
        """The supervisor restarted a crashed worker: what it held is re-driven."""
        self._restarted.set()

    def check(self) -> str | None:
        """One check; the reason a re-drive ran, or None. Never raises."""
        problem = self.probe(self.container)
        if problem is not None:
            if self.fault != problem:
                log.warning("recovery: %s - resumed as soon as it is back", problem)
            if self.fault is None:
                self.fault_since = self.clock()
            self.fault = problem
            return None
        reason = self._reason()
        poll = reason is not None
        if reason is None and self._poll_failed_on_our_side():
            # the store or the database failed a poll, and the probe came too late to see
            # it (the operator freed the disk at once): fetch what is left in the mailbox now
            reason = "Abruf scheiterte an Speicher oder Datenbank, die wieder gehen"
            poll = True
        if reason is None:
            return None
        try:
            self.redrive(reason)
        except Exception as exc:  # a fault between probe and re-drive: next check again
            log.warning("recovery: re-drive (%s) failed: %s", reason, exc)
            return None
        if poll and not reason.startswith(DEAD_LETTERS):
            with contextlib.suppress(Exception):
                self.poll_now()
        self.fault, self.fault_since, self.started = None, None, True
        return reason

    def _poll_failed_on_our_side(self) -> bool:
        from datetime import timedelta

        from einvoice.services.fetch import failed_on_our_side

        try:
            return bool(failed_on_our_side(self.container.pipeline, timedelta(seconds=3)))
        except Exception:
            return False

    def _reason(self) -> str | None:
        if self.fault is not None:
            lasted = self.clock() - (self.fault_since or self.clock())
            return f"behoben nach {lasted:.0f} s: {self.fault}"
        if not self.started:
            return "Worker gestartet"
        if self._restarted.is_set():
            self._restarted.clear()
            return "Worker-Prozess neu gestartet"
        broker = self.container.pipeline.broker
        if broker is not None:
            try:
                dead = broker.counts()["dead_letters"]
            except Exception:
                return None
            if dead:
                return f"{DEAD_LETTERS}: {dead}"
        return None
