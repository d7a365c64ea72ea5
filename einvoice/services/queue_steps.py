"""The views of "Wartet auf mich" by step, with counts that say what they count.

What waits for one person's sachlich richtig, rechnerisch richtig, Kontierung or payment
order (the approver saw invoices still waiting for sachlich richtig and held ones among "his"
eight, and, with a chart of accounts, ones he could not order for want of a Kontierung),
and how many open invoices of the office a payment hold blocks. The counts are one query
over the same conditions as the lists (:func:`einvoice.services.worklist.waiting_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select

from einvoice.domain.approval import FINAL_STATES
from einvoice.services import worklist
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import now_local, ports_of
from einvoice.storage.tables import Workflow


@dataclass(frozen=True, slots=True)
class StepCounts:
    """What waits for one person, per step (the views of "Wartet auf mich"), and the open
    invoices of the office held by a payment hold: each count says what it counts."""

    steps: tuple[str, ...]  # the steps this person can take (worklist.STEPS)
    mine: int  # everything the person can act on now
    per_step: dict[str, int]  # step -> count
    held: int  # open invoices of the office with an open payment hold


def step_counts(
    pipeline: Pipeline, department: str | None, person: str, today: date | None = None
) -> StepCounts:
    """The counts of the step views for ``person`` in ``department`` (one query, and one
    to know whether a chart of accounts is kept)."""
    config = ports_of(pipeline).routing()
    today = today or now_local(pipeline).date()

    def counted(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    with pipeline.sessions() as session:
        steps = worklist.steps_of(config, person, today)
        if not session.scalar(select(worklist.chart_kept())):
            # no chart of accounts: no Kontierung to wait for, no view of it
            steps = tuple(s for s in steps if s != "kontierung")
        columns = [counted(worklist.waiting_for(config, person, today))]
        columns += [counted(worklist.waiting_for(config, person, today, s)) for s in steps]
        open_held = and_(Workflow.holds != "", Workflow.status.notin_(_final_states()))
        columns.append(counted(open_held))
        query = select(*columns).select_from(Workflow)
        if department is not None:
            query = query.where(Workflow.department == department)
        row = session.execute(query).one()
    values = [int(v) for v in row]
    return StepCounts(steps, values[0], dict(zip(steps, values[1:-1], strict=True)), values[-1])


def _final_states() -> tuple[str, ...]:
    return tuple(s.value for s in FINAL_STATES)
