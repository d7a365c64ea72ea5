"""Keep the last dashboard while the pipeline's data is unchanged (opt-in, per process).

:func:`einvoice.services.metrics.dashboard` computes everything from the tables
(under a second for a year of a mid-size city). A page that many people open,
or that reloads itself, need not compute it again when nothing happened: a
:class:`DashboardCache` first reads a cheap :func:`fingerprint` of the data
(newest message, document change, workflow change, audit event, deadline and
finding) and returns the stored dashboard while the fingerprint is the same and
the entry is younger than ``max_age`` seconds. The figures stay live: any new
receipt, verdict, approval step or deadline changes the fingerprint.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from einvoice.domain.pilot_exit import ExitThresholds
from einvoice.services.metrics import (
    DEFAULT_WEEKS,
    Context,
    Dashboard,
    SessionSource,
    context_of,
    dashboard,
    sessions_of,
)
from einvoice.storage.tables import (
    AuditEventRow,
    DeadlineRow,
    Document,
    FindingRow,
    Message,
    Workflow,
)

Key = tuple[Any, ...]


def fingerprint(source: SessionSource) -> Key:
    """What changes whenever a figure of the dashboard can change (one small query)."""
    parts = (
        select(func.max(Message.id)).scalar_subquery(),
        select(func.max(Document.updated_at)).scalar_subquery(),
        select(func.max(Workflow.updated_at)).scalar_subquery(),
        select(func.max(AuditEventRow.id)).scalar_subquery(),
        select(func.max(DeadlineRow.id)).scalar_subquery(),
        select(func.max(FindingRow.id)).scalar_subquery(),
    )
    with sessions_of(source)() as session:
        row = session.execute(select(*parts)).one()
    return tuple(row)


@dataclass
class DashboardCache:
    max_age: float = 60.0  # seconds an unchanged dashboard is reused at most
    max_entries: int = 8
    _entries: dict[Key, tuple[Key, float, Dashboard]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def dashboard(
        self,
        source: SessionSource,
        today: date,
        thresholds: ExitThresholds | None = None,
        *,
        weeks: int = DEFAULT_WEEKS,
        context: Context | None = None,
    ) -> Dashboard:
        """Like :func:`einvoice.services.metrics.dashboard`, reused while nothing changed."""
        thresholds = thresholds or ExitThresholds()
        context = context or context_of(source)
        key: Key = (
            today,
            weeks,
            thresholds,
            str(context.zone),
            tuple(sorted(context.office_names.items())),
            context.not_offices,
        )
        stamp = fingerprint(source)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] == stamp and now - entry[1] < self.max_age:
            return entry[2]
        board = dashboard(source, today, thresholds, weeks=weeks, context=context)
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (stamp, now, board)
        return board

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
