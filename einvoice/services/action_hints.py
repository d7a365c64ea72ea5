"""Why an action is not offered to someone, and who could take it instead (for the invoice page).

A button that silently disappears confuses: the approver who signed *sachlich
richtig* himself, or whose limit is too low, is told so - and whom to ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from einvoice.domain import approval
from einvoice.domain.approval import Action, ActionKind, Actor, Refusal, RefusalCode
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import now_local, ports_of, state_of, workflow_row

#: the steps of the sign-off, in order
SIGN_OFF = (ActionKind.CONFIRM_SACHLICH, ActionKind.CONFIRM_RECHNERISCH, ActionKind.ORDER)


@dataclass(frozen=True, slots=True)
class ActionHint:
    action: str
    label_de: str
    reason_de: str  # why this person cannot take the step now
    who_de: tuple[str, ...]  # names of the people who could
    held: bool = False  # a payment hold blocks it for everyone until it is cleared (issue 12)


def hints(pipeline: Pipeline, invoice_id: int, actor_id: str) -> tuple[ActionHint, ...]:
    """For the next sign-off step the person may *not* take: the reason and who may."""
    config = ports_of(pipeline).routing()
    at = now_local(pipeline)
    with pipeline.sessions() as session:
        state = state_of(workflow_row(session, invoice_id))
    if state.is_final:
        return ()
    found: list[ActionHint] = []
    for kind in SIGN_OFF:
        sources, _ = approval.MOVES[kind]
        if state.status not in sources:
            continue
        outcome = approval.apply(state, Action(kind), Actor(actor_id), at, config)
        if not isinstance(outcome, Refusal):
            continue
        dept = config.department(state.department or "")
        candidates = [m.person for m in dept.members] if dept else []
        if dept:
            candidates += [d.deputy for d in dept.deputies if d.covers(at.date())]
        able = [
            person
            for person in dict.fromkeys(candidates)
            if person != actor_id
            and not isinstance(
                approval.apply(state, Action(kind), Actor(person), at, config), Refusal
            )
        ]
        names = tuple(
            (p.name if (p := config.person(person)) is not None else person) for person in able
        )
        reason = outcome.reason_de
        if outcome.code is RefusalCode.ROLE:
            reason = "Dafür fehlt Ihnen in diesem Amt die Rolle."
        held = outcome.code is RefusalCode.HOLD
        found.append(
            ActionHint(
                kind.value, approval.ACTION_LABELS_DE[kind], reason, () if held else names, held
            )
        )
    return tuple(found)


__all__ = ["ActionHint", "hints"]
