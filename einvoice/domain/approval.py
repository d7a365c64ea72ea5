"""The approval workflow of an invoice as a pure state machine.

::

    received -> validated -> routed -> sachlich_richtig -> rechnerisch_richtig
             -> angeordnet -> exported (handed to the cash system for payment)

    received / validated             -> rejected              (system: validation refused)
    routed / sachlich_richtig /
    rechnerisch_richtig              -> rejected              (comment required)
                                     -> returned_to_supplier  (comment required)
    routed                           -> routed (reassign: other department, comment required)

:func:`apply` takes the current :class:`ApprovalState`, an :class:`Action`,
the :class:`Actor`, the time and the policy (the routing configuration) and
returns either a :class:`Transition` - the new state and exactly one audit
entry describing it - or a :class:`Refusal` with a German reason. Nothing is
changed on a refusal.

Rules enforced here:

* **Roles** (:data:`ALLOWED_ROLES`): the pipeline (``system``) validates,
  routes and exports; clerks and approvers confirm *sachlich richtig* and
  *rechnerisch richtig*; only approvers order the payment (*Anordnung*);
  clerks and department admins reassign; clerks, approvers and department
  admins reject or return an invoice. A person's roles are those of their
  membership in the invoice's *current* department.
* **Four eyes**: whoever confirmed *sachlich richtig* or *rechnerisch richtig*
  may not order the payment.
* **Amount limits**: the order needs an approver whose limit covers the
  amount due (absolute value) and whose level is at least the level the
  thresholds require for it (higher level above the thresholds).
* **Deputies**: on the days of a deputyship the deputy acts with the roles,
  limit and level of the absent person (in that person's department); the
  audit entry names both. Four eyes applies to the natural person acting.
* **Comments** are required to reject, to return to the supplier and to reassign.
* **Holds** (``einvoice.domain.holds``): while any payment hold is open, nobody
  orders the payment and the system does not export it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from einvoice.domain.audit import AuditEntry
from einvoice.domain.holds import blocked_reason_de
from einvoice.domain.routing import Authority, Department, Role


class Status(StrEnum):
    RECEIVED = "received"
    VALIDATED = "validated"
    ROUTED = "routed"
    SACHLICH_RICHTIG = "sachlich_richtig"
    RECHNERISCH_RICHTIG = "rechnerisch_richtig"
    ANGEORDNET = "angeordnet"
    EXPORTED = "exported"
    REJECTED = "rejected"
    RETURNED_TO_SUPPLIER = "returned_to_supplier"
    REPLACED = "replaced"  # a corrected version arrived (see einvoice.domain.correction)


FINAL_STATES = frozenset(
    {Status.EXPORTED, Status.REJECTED, Status.RETURNED_TO_SUPPLIER, Status.REPLACED}
)

STATUS_LABELS_DE: dict[Status, str] = {
    Status.RECEIVED: "eingegangen",
    Status.VALIDATED: "geprüft",
    Status.ROUTED: "zugeordnet",
    Status.SACHLICH_RICHTIG: "sachlich richtig",
    Status.RECHNERISCH_RICHTIG: "rechnerisch richtig",
    Status.ANGEORDNET: "angeordnet",
    Status.EXPORTED: "an die Kasse übergeben",
    Status.REJECTED: "abgelehnt",
    Status.RETURNED_TO_SUPPLIER: "an den Lieferanten zurückgegeben",
    Status.REPLACED: "ersetzt",
}


class ActionKind(StrEnum):
    VALIDATE = "validate"
    ROUTE = "route"
    REASSIGN = "reassign"
    CONFIRM_SACHLICH = "confirm_sachlich"  # sachlich richtig
    CONFIRM_RECHNERISCH = "confirm_rechnerisch"  # rechnerisch richtig
    ORDER = "order"  # Anordnung
    EXPORT = "export"
    REJECT = "reject"
    RETURN_TO_SUPPLIER = "return_to_supplier"
    REPLACE = "replace"  # the supplier's corrected version replaces this one (system)


ACTION_LABELS_DE: dict[ActionKind, str] = {
    ActionKind.VALIDATE: "prüfen",
    ActionKind.ROUTE: "zuordnen",
    ActionKind.REASSIGN: "an anderes Amt weiterleiten",
    ActionKind.CONFIRM_SACHLICH: "sachlich richtig zeichnen",
    ActionKind.CONFIRM_RECHNERISCH: "rechnerisch richtig zeichnen",
    ActionKind.ORDER: "Zahlung anordnen",
    ActionKind.EXPORT: "an die Kasse übergeben",
    ActionKind.REJECT: "ablehnen",
    ActionKind.RETURN_TO_SUPPLIER: "an den Lieferanten zurückgeben",
    ActionKind.REPLACE: "durch die korrigierte Fassung ersetzen",
}

_REVIEW = frozenset({Status.ROUTED, Status.SACHLICH_RICHTIG, Status.RECHNERISCH_RICHTIG})

#: (action) -> (states it may start from, state it leads to)
MOVES: dict[ActionKind, tuple[frozenset[Status], Status | None]] = {
    ActionKind.VALIDATE: (frozenset({Status.RECEIVED}), Status.VALIDATED),
    ActionKind.ROUTE: (frozenset({Status.VALIDATED}), Status.ROUTED),
    ActionKind.REASSIGN: (frozenset({Status.ROUTED}), Status.ROUTED),
    ActionKind.CONFIRM_SACHLICH: (frozenset({Status.ROUTED}), Status.SACHLICH_RICHTIG),
    ActionKind.CONFIRM_RECHNERISCH: (
        frozenset({Status.SACHLICH_RICHTIG}),
        Status.RECHNERISCH_RICHTIG,
    ),
    ActionKind.ORDER: (frozenset({Status.RECHNERISCH_RICHTIG}), Status.ANGEORDNET),
    ActionKind.EXPORT: (frozenset({Status.ANGEORDNET}), Status.EXPORTED),
    ActionKind.REJECT: (
        frozenset({Status.RECEIVED, Status.VALIDATED}) | _REVIEW,
        Status.REJECTED,
    ),
    ActionKind.RETURN_TO_SUPPLIER: (_REVIEW, Status.RETURNED_TO_SUPPLIER),
    # from final states: only einvoice.domain.correction.replace() takes this step
    ActionKind.REPLACE: (
        frozenset({Status.REJECTED, Status.RETURNED_TO_SUPPLIER}),
        Status.REPLACED,
    ),
}

_PEOPLE = frozenset({Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN})
#: Who may do what. REJECT before routing is the system's (validation refused).
ALLOWED_ROLES: dict[ActionKind, frozenset[Role]] = {
    ActionKind.VALIDATE: frozenset({Role.SYSTEM}),
    ActionKind.ROUTE: frozenset({Role.SYSTEM}),
    ActionKind.REASSIGN: frozenset({Role.CLERK, Role.DEPARTMENT_ADMIN}),
    ActionKind.CONFIRM_SACHLICH: frozenset({Role.CLERK, Role.APPROVER}),
    ActionKind.CONFIRM_RECHNERISCH: frozenset({Role.CLERK, Role.APPROVER}),
    ActionKind.ORDER: frozenset({Role.APPROVER}),
    ActionKind.EXPORT: frozenset({Role.SYSTEM}),
    ActionKind.REJECT: _PEOPLE,
    ActionKind.RETURN_TO_SUPPLIER: _PEOPLE,
    ActionKind.REPLACE: frozenset({Role.SYSTEM}),
}
_SYSTEM_REJECT_STATES = frozenset({Status.RECEIVED, Status.VALIDATED})
#: Separation of duties on the money path: a hold's decision and the order are two people's.
HOLD_DECIDER_MAY_NOT_ORDER_DE = (
    "Vier-Augen-Prinzip: wer eine Zahlungssperre dieser Rechnung aufgehoben oder über sie "
    "entschieden hat, darf ihre Zahlung nicht selbst anordnen. Anordnen muss eine andere "
    "Person mit Anordnungsbefugnis des Amts."
)
#: What an open payment hold blocks.
HELD_ACTIONS = frozenset({ActionKind.ORDER, ActionKind.EXPORT})
_COMMENT_REQUIRED = frozenset(
    {ActionKind.REJECT, ActionKind.RETURN_TO_SUPPLIER, ActionKind.REASSIGN}
)


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    comment: str | None = None  # why (required for reject, return, reassign)
    department: str | None = None  # target department of ROUTE and REASSIGN


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a person (id = login name) or the pipeline itself."""

    id: str
    system: bool = False


SYSTEM = Actor("system", system=True)


@dataclass(frozen=True, slots=True)
class ApprovalState:
    """Where an invoice stands in the approval workflow."""

    invoice_id: str
    amount: Decimal  # BT-115 amount due; limits compare its absolute value
    status: Status = Status.RECEIVED
    department: str | None = None  # Department.key once routed
    sachlich_by: str | None = None  # person who confirmed sachlich richtig
    rechnerisch_by: str | None = None  # person who confirmed rechnerisch richtig
    ordered_by: str | None = None  # person who ordered the payment (Anordnung)
    ordered_for: str | None = None  # the absent approver, when ordered as deputy
    holds: frozenset[str] = frozenset()  # open payment holds (holds.HoldCode values)
    #: who cleared or decided a payment hold of this invoice (they may not order it)
    hold_deciders: frozenset[str] = frozenset()

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATES


class RefusalCode(StrEnum):
    FINAL = "final"  # the invoice is done
    STATE = "state"  # the action does not fit the current state
    ROLE = "role"  # the actor lacks the role in this department
    FOUR_EYES = "four_eyes"
    LIMIT = "limit"  # amount above the approver's limit
    LEVEL = "level"  # a higher approval level is required
    COMMENT = "comment"  # a required comment is missing
    DEPARTMENT = "department"  # unknown or unchanged target department
    HOLD = "hold"  # an open payment hold blocks the order and the export


@dataclass(frozen=True, slots=True)
class Refusal:
    code: RefusalCode
    reason_de: str


@dataclass(frozen=True, slots=True)
class Transition:
    """The new state and the one audit entry that records the step."""

    state: ApprovalState
    event: AuditEntry


class ApprovalPolicy(Protocol):
    """What the state machine needs to know (``RoutingConfig`` provides it)."""

    def department(self, key: str) -> Department | None: ...

    def required_level(self, amount: Decimal) -> int: ...


def receive(invoice_id: str, amount: Decimal, at: datetime) -> Transition:
    """The first step: an invoice was received (state ``received``, first audit entry)."""
    _require_aware(at)
    state = ApprovalState(invoice_id=invoice_id, amount=amount)
    entry = AuditEntry(
        invoice_id=invoice_id,
        action="receive",
        actor=SYSTEM.id,
        at=at,
        from_state=None,
        to_state=state.status.value,
        details=(("amount", format(amount, "f")),),
    )
    return Transition(state, entry)


def apply(
    state: ApprovalState,
    action: Action,
    actor: Actor,
    at: datetime,
    policy: ApprovalPolicy,
) -> Transition | Refusal:
    """One step of the workflow: the new state with its audit entry, or a refusal."""
    _require_aware(at)
    refusal = _check_move(state, action)
    if refusal is not None:
        return refusal
    comment = (action.comment or "").strip()
    if action.kind in _COMMENT_REQUIRED and not comment:
        return Refusal(
            RefusalCode.COMMENT,
            f"Für „{ACTION_LABELS_DE[action.kind]}“ ist eine Begründung erforderlich.",
        )
    outcome = _authorise(state, action, actor, at, policy)
    if isinstance(outcome, Refusal):
        return outcome
    return _transition(state, action, actor, at, outcome, comment or None)


def allowed_actions(
    state: ApprovalState, actor: Actor, at: datetime, policy: ApprovalPolicy
) -> tuple[ActionKind, ...]:
    """The actions ``actor`` could take now (comments and target departments aside).

    For the user interface: which buttons to show. :func:`apply` still decides.
    """
    _require_aware(at)
    possible: list[ActionKind] = []
    for kind in ActionKind:
        probe = Action(kind, comment="-")
        if _check_move(state, probe) is not None:
            continue
        if isinstance(_authorise(state, probe, actor, at, policy, probe_only=True), Refusal):
            continue
        possible.append(kind)
    return tuple(possible)


def _check_move(state: ApprovalState, action: Action) -> Refusal | None:
    if state.is_final:
        return Refusal(
            RefusalCode.FINAL,
            f"Die Rechnung ist bereits abgeschlossen ({STATUS_LABELS_DE[state.status]}).",
        )
    sources, _ = MOVES[action.kind]
    if state.status not in sources:
        return Refusal(
            RefusalCode.STATE,
            f"„{ACTION_LABELS_DE[action.kind]}“ ist im Status "
            f"„{STATUS_LABELS_DE[state.status]}“ nicht möglich.",
        )
    if action.kind in HELD_ACTIONS and state.holds:
        return Refusal(RefusalCode.HOLD, blocked_reason_de(state.holds))
    return None


@dataclass(frozen=True, slots=True)
class _Granted:
    authority: Authority | None  # None for the system
    target: str | None  # department after the step


def _authorise(
    state: ApprovalState,
    action: Action,
    actor: Actor,
    at: datetime,
    policy: ApprovalPolicy,
    *,
    probe_only: bool = False,
) -> _Granted | Refusal:
    """May ``actor`` do this? ``probe_only``: leave the target department unchecked."""
    kind = action.kind
    if actor.system:
        return _authorise_system(state, action, policy, probe_only)
    if state.status in _SYSTEM_REJECT_STATES or Role.SYSTEM in ALLOWED_ROLES[kind]:
        return Refusal(
            RefusalCode.ROLE,
            f"„{ACTION_LABELS_DE[kind]}“ erledigt das System selbst, nicht eine Person.",
        )
    dept = policy.department(state.department or "")
    if dept is None:
        return Refusal(RefusalCode.DEPARTMENT, "Die Rechnung ist keinem Amt zugeordnet.")
    candidates = [
        a
        for a in dept.authorities(actor.id, at.date())
        if a.membership.roles & (ALLOWED_ROLES[kind] - {Role.SYSTEM})
    ]
    if not candidates:
        return Refusal(
            RefusalCode.ROLE,
            f"{actor.id} darf in {dept.name} nicht „{ACTION_LABELS_DE[kind]}“ "
            "(fehlende Rolle oder keine gültige Vertretung).",
        )
    if kind is ActionKind.ORDER:
        return _authorise_order(state, actor, candidates, policy)
    if kind is ActionKind.REASSIGN and not probe_only:
        target = policy.department(action.department or "")
        if target is None:
            return Refusal(
                RefusalCode.DEPARTMENT,
                f"Das Amt '{action.department or ''}' ist nicht bekannt.",
            )
        if target.key == dept.key:
            return Refusal(
                RefusalCode.DEPARTMENT,
                f"Die Rechnung liegt bereits bei {dept.name}.",
            )
        return _Granted(candidates[0], target.key)
    return _Granted(candidates[0], state.department)


def _authorise_system(
    state: ApprovalState, action: Action, policy: ApprovalPolicy, probe_only: bool
) -> _Granted | Refusal:
    kind = action.kind
    allowed = Role.SYSTEM in ALLOWED_ROLES[kind] or (
        kind is ActionKind.REJECT and state.status in _SYSTEM_REJECT_STATES
    )
    if not allowed:
        return Refusal(
            RefusalCode.ROLE,
            f"„{ACTION_LABELS_DE[kind]}“ muss eine berechtigte Person erledigen, nicht das System.",
        )
    if kind is ActionKind.ROUTE and not probe_only:
        target = policy.department(action.department or "")
        if target is None:
            return Refusal(
                RefusalCode.DEPARTMENT,
                f"Das Amt '{action.department or ''}' ist nicht bekannt.",
            )
        return _Granted(None, target.key)
    return _Granted(None, state.department)


def _authorise_order(
    state: ApprovalState,
    actor: Actor,
    candidates: list[Authority],
    policy: ApprovalPolicy,
) -> _Granted | Refusal:
    if actor.id in (state.sachlich_by, state.rechnerisch_by):
        return Refusal(
            RefusalCode.FOUR_EYES,
            "Vier-Augen-Prinzip: wer sachlich oder rechnerisch richtig gezeichnet hat, "
            "darf die Zahlung nicht selbst anordnen.",
        )
    if actor.id in state.hold_deciders:
        return Refusal(
            RefusalCode.FOUR_EYES,
            HOLD_DECIDER_MAY_NOT_ORDER_DE,
        )
    size = abs(state.amount)
    level = policy.required_level(state.amount)
    within_limit = [a for a in candidates if a.membership.limit >= size]
    if not within_limit:
        highest = max(a.membership.limit for a in candidates)
        return Refusal(
            RefusalCode.LIMIT,
            f"Der Betrag {_euro(size)} übersteigt die Anordnungsgrenze von {_euro(highest)}.",
        )
    at_level = [a for a in within_limit if a.membership.level >= level]
    if not at_level:
        return Refusal(
            RefusalCode.LEVEL,
            f"Für {_euro(size)} muss die Zahlung auf Ebene {level} angeordnet werden "
            "(höhere Anordnungsebene erforderlich).",
        )
    # prefer the person's own authority over a deputyship when both suffice
    own = [a for a in at_level if a.acting_for is None]
    return _Granted((own or at_level)[0], state.department)


def _transition(
    state: ApprovalState,
    action: Action,
    actor: Actor,
    at: datetime,
    granted: _Granted,
    comment: str | None,
) -> Transition:
    _, target_status = MOVES[action.kind]
    assert target_status is not None
    new = replace(state, status=target_status, department=granted.target)
    details: list[tuple[str, str]] = []
    acting_for = granted.authority.acting_for if granted.authority else None
    if action.kind is ActionKind.CONFIRM_SACHLICH:
        new = replace(new, sachlich_by=actor.id)
    elif action.kind is ActionKind.CONFIRM_RECHNERISCH:
        new = replace(new, rechnerisch_by=actor.id)
    elif action.kind is ActionKind.ORDER:
        assert granted.authority is not None
        membership = granted.authority.membership
        new = replace(new, ordered_by=actor.id, ordered_for=acting_for)
        details += [
            ("amount", format(state.amount, "f")),
            ("limit", format(membership.limit, "f")),
            ("level", str(membership.level)),
        ]
    elif action.kind is ActionKind.REASSIGN and state.department is not None:
        details.append(("from_department", state.department))
    entry = AuditEntry(
        invoice_id=state.invoice_id,
        action=action.kind.value,
        actor=actor.id,
        at=at,
        from_state=state.status.value,
        to_state=new.status.value,
        reason=comment,
        department=new.department,
        acting_for=acting_for,
        details=tuple(details),
    )
    return Transition(new, entry)


def _euro(amount: Decimal) -> str:
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} €"


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("approval times need a time zone")


__all__ = [
    "ACTION_LABELS_DE",
    "ALLOWED_ROLES",
    "FINAL_STATES",
    "HELD_ACTIONS",
    "HOLD_DECIDER_MAY_NOT_ORDER_DE",
    "MOVES",
    "STATUS_LABELS_DE",
    "SYSTEM",
    "Action",
    "ActionKind",
    "Actor",
    "ApprovalPolicy",
    "ApprovalState",
    "Refusal",
    "RefusalCode",
    "Status",
    "Transition",
    "allowed_actions",
    "apply",
    "receive",
]
