"""Use cases of the digitalisation portfolio: read it, change it, prioritise it.

Each function owns its transaction (it commits); the rules live in the domain
(:mod:`einvoice.domain.portfolio`, :mod:`einvoice.domain.prioritisation`).
Errors are :class:`~einvoice.domain.portfolio.PortfolioError` with a German text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from einvoice.domain.portfolio import (
    CRITERIA,
    Body,
    Capacity,
    Decision,
    Demand,
    Level,
    Milestone,
    Need,
    NeedStatus,
    Office,
    Phase,
    PhaseChange,
    Portfolio,
    PortfolioError,
    Project,
    Quarter,
    Risk,
    quarters_from,
)
from einvoice.domain.portfolio import (
    change_phase as domain_change_phase,
)
from einvoice.domain.prioritisation import Proposal, Scale, Weights, prioritise
from einvoice.services.metrics import SessionSource, sessions_of
from einvoice.storage.portfolio_tables import (
    PortfolioCapacity,
    PortfolioDecision,
    PortfolioDemand,
    PortfolioMilestone,
    PortfolioNeed,
    PortfolioOffice,
    PortfolioParticipant,
    PortfolioPhaseChange,
    PortfolioProject,
    PortfolioRisk,
    PortfolioWeight,
)


def _now() -> datetime:
    return datetime.now(UTC)


# --- reading ------------------------------------------------------------------------------


def load(source: SessionSource) -> Portfolio:
    """The whole portfolio (a few hundred rows at most: read in one go)."""
    with sessions_of(source)() as session:
        return _load(session)


def _load(session: Session) -> Portfolio:
    participants: dict[str, list[str]] = {}
    for row in session.scalars(
        select(PortfolioParticipant).order_by(
            PortfolioParticipant.project_key, PortfolioParticipant.position
        )
    ):
        participants.setdefault(row.project_key, []).append(row.office)
    demands: dict[str, list[Demand]] = {}
    for d in session.scalars(select(PortfolioDemand).order_by(PortfolioDemand.id)):
        demands.setdefault(d.project_key, []).append(
            Demand(d.office, Quarter.parse(d.quarter), Decimal(d.person_days))
        )
    history: dict[str, list[PhaseChange]] = {}
    for c in session.scalars(
        select(PortfolioPhaseChange).order_by(
            PortfolioPhaseChange.changed_on, PortfolioPhaseChange.id
        )
    ):
        history.setdefault(c.project_key, []).append(
            PhaseChange(
                c.project_key,
                Phase(c.from_phase) if c.from_phase else None,
                Phase(c.to_phase),
                c.changed_on,
                c.note,
                c.decided_by,
            )
        )
    projects = tuple(
        Project(
            key=p.key,
            name=p.name,
            phase=Phase(p.phase),
            lead_office=p.lead_office,
            offices=tuple(participants.get(p.key, ())),
            description=p.description,
            benefit=p.benefit,
            legal_obligation=p.legal_obligation,
            urgency=p.urgency,
            legal_basis=p.legal_basis,
            demands=tuple(demands.get(p.key, ())),
            history=tuple(history.get(p.key, ())),
        )
        for p in session.scalars(select(PortfolioProject).order_by(PortfolioProject.name))
    )
    return Portfolio(
        projects=projects,
        offices=tuple(
            Office(o.key, o.name)
            for o in session.scalars(select(PortfolioOffice).order_by(PortfolioOffice.key))
        ),
        needs=tuple(
            Need(
                n.id,
                n.title,
                n.office,
                n.raised_on,
                n.description,
                n.project_key,
                NeedStatus(n.status),
            )
            for n in session.scalars(select(PortfolioNeed).order_by(PortfolioNeed.raised_on))
        ),
        risks=tuple(
            Risk(
                r.id,
                r.project_key,
                r.title,
                Level(r.probability),
                Level(r.impact),
                r.mitigation,
                r.owner,
                r.open,
            )
            for r in session.scalars(select(PortfolioRisk).order_by(PortfolioRisk.id))
        ),
        milestones=tuple(
            Milestone(m.id, m.project_key, m.title, m.planned_on, m.done_on)
            for m in session.scalars(
                select(PortfolioMilestone).order_by(PortfolioMilestone.planned_on)
            )
        ),
        decisions=tuple(
            Decision(d.id, Body(d.body), d.decided_on, d.subject, d.outcome, d.project_key)
            for d in session.scalars(
                select(PortfolioDecision).order_by(PortfolioDecision.decided_on)
            )
        ),
        capacities=tuple(
            Capacity(c.office, Quarter.parse(c.quarter), Decimal(c.person_days))
            for c in session.scalars(select(PortfolioCapacity))
        ),
    )


def weights(source: SessionSource) -> Weights:
    """The configured weights (defaults for criteria without a stored weight)."""
    with sessions_of(source)() as session:
        stored = {w.criterion: Decimal(w.weight) for w in session.scalars(select(PortfolioWeight))}
    defaults = Weights().as_dict()
    return Weights.from_mapping({c: stored.get(c, defaults[c]) for c in CRITERIA})


def planning_quarters(today: date, count: int = 4) -> tuple[Quarter, ...]:
    """The quarters to plan: the next ``count`` ones, starting with the next quarter."""
    return quarters_from(Quarter.of(today).shifted(1), count)


def proposal(
    source: SessionSource,
    quarters: Sequence[Quarter] | date,
    chosen: Weights | None = None,
    scale: Scale | None = None,
    *,
    running_first: bool = True,
) -> Proposal:
    """The ranked proposal with the stored (or the given) weights.

    ``quarters``: the quarters to plan, or a day (today): then the four quarters
    after the day's quarter (:func:`planning_quarters`).
    """
    planned = planning_quarters(quarters) if isinstance(quarters, date) else quarters
    return prioritise(
        load(source), planned, chosen or weights(source), scale, running_first=running_first
    )


# --- changing -----------------------------------------------------------------------------


def _require(session: Session, model: type, key: object, what: str) -> None:
    if session.get(model, key) is None:
        raise PortfolioError(f"{what} „{key}“ gibt es nicht.")


def save_offices(source: SessionSource, offices: Iterable[Office]) -> None:
    """Add the offices, or rename those that exist."""
    with sessions_of(source)() as session:
        for office in offices:
            row = session.get(PortfolioOffice, office.key)
            if row is None:
                session.add(PortfolioOffice(key=office.key, name=office.name))
            else:
                row.name = office.name
        session.commit()


def add_project(
    source: SessionSource,
    project: Project,
    created_on: date,
    *,
    decided_by: str = "",
    note: str = "",
    now: datetime | None = None,
) -> None:
    """A new project with its offices and demands; its history starts with its phase."""
    at = now or _now()
    with sessions_of(source)() as session:
        if session.get(PortfolioProject, project.key) is not None:
            raise PortfolioError(f"Das Projekt „{project.key}“ gibt es bereits.")
        for office in {project.lead_office, *project.offices, *(d.office for d in project.demands)}:
            _require(session, PortfolioOffice, office, "Das Amt")
        session.add(
            PortfolioProject(
                key=project.key,
                name=project.name,
                description=project.description,
                phase=project.phase.value,
                lead_office=project.lead_office,
                benefit=project.benefit,
                legal_obligation=project.legal_obligation,
                urgency=project.urgency,
                legal_basis=project.legal_basis,
                created_at=at,
                updated_at=at,
            )
        )
        session.flush()
        for position, office in enumerate(o for o in project.offices if o != project.lead_office):
            session.add(
                PortfolioParticipant(project_key=project.key, office=office, position=position)
            )
        for d in project.demands:
            session.add(
                PortfolioDemand(
                    project_key=project.key,
                    office=d.office,
                    quarter=str(d.quarter),
                    person_days=d.person_days,
                )
            )
        history = project.history or (
            PhaseChange(project.key, None, project.phase, created_on, note, decided_by),
        )
        for change in history:
            session.add(_change_row(change, at))
        session.commit()


def _change_row(change: PhaseChange, at: datetime) -> PortfolioPhaseChange:
    return PortfolioPhaseChange(
        project_key=change.project,
        from_phase=change.from_phase.value if change.from_phase else None,
        to_phase=change.to_phase.value,
        changed_on=change.on,
        note=change.note,
        decided_by=change.decided_by,
        recorded_at=at,
    )


def change_phase(
    source: SessionSource,
    key: str,
    target: Phase,
    on: date,
    *,
    note: str = "",
    decided_by: str = "",
    now: datetime | None = None,
) -> PhaseChange:
    """Move a project to ``target`` (the domain checks the step) and record it."""
    at = now or _now()
    with sessions_of(source)() as session:
        row = session.get(PortfolioProject, key, with_for_update=True)
        if row is None:
            raise PortfolioError(f"Das Projekt „{key}“ gibt es nicht.")
        project = next(p for p in _load(session).projects if p.key == key)
        _, change = domain_change_phase(project, target, on, note, decided_by)
        row.phase = target.value
        row.updated_at = at
        session.add(_change_row(change, at))
        session.commit()
        return change


def set_demand(
    source: SessionSource, project: str, office: str, quarter: Quarter, person_days: Decimal
) -> None:
    """Set (0: remove) the person-days ``project`` needs from ``office`` in ``quarter``."""
    if person_days < 0:
        raise PortfolioError("Personentage dürfen nicht negativ sein.")
    with sessions_of(source)() as session:
        _require(session, PortfolioProject, project, "Das Projekt")
        _require(session, PortfolioOffice, office, "Das Amt")
        session.execute(
            delete(PortfolioDemand).where(
                PortfolioDemand.project_key == project,
                PortfolioDemand.office == office,
                PortfolioDemand.quarter == str(quarter),
            )
        )
        if person_days > 0:
            session.add(
                PortfolioDemand(
                    project_key=project,
                    office=office,
                    quarter=str(quarter),
                    person_days=person_days,
                )
            )
        session.commit()


def set_capacity(
    source: SessionSource, office: str, quarter: Quarter, person_days: Decimal
) -> None:
    """Person-days ``office`` can give to projects in ``quarter``."""
    if person_days < 0:
        raise PortfolioError("Personentage dürfen nicht negativ sein.")
    with sessions_of(source)() as session:
        _require(session, PortfolioOffice, office, "Das Amt")
        row = session.get(PortfolioCapacity, (office, str(quarter)))
        if row is None:
            session.add(
                PortfolioCapacity(office=office, quarter=str(quarter), person_days=person_days)
            )
        else:
            row.person_days = person_days
        session.commit()


def set_weights(source: SessionSource, chosen: Weights) -> None:
    with sessions_of(source)() as session:
        for criterion, weight in chosen.as_dict().items():
            row = session.get(PortfolioWeight, criterion)
            if row is None:
                session.add(PortfolioWeight(criterion=criterion, weight=weight))
            else:
                row.weight = weight
        session.commit()


def add_need(
    source: SessionSource,
    title: str,
    office: str,
    raised_on: date,
    *,
    description: str = "",
    project: str | None = None,
) -> int:
    """Record a need; with ``project`` it is recorded as taken over into that project."""
    with sessions_of(source)() as session:
        _require(session, PortfolioOffice, office, "Das Amt")
        if project is not None:
            _require(session, PortfolioProject, project, "Das Projekt")
        row = PortfolioNeed(
            title=title,
            office=office,
            raised_on=raised_on,
            description=description,
            project_key=project,
            status=(NeedStatus.UEBERNOMMEN if project else NeedStatus.OFFEN).value,
        )
        session.add(row)
        session.commit()
        return row.id


def decide_need(
    source: SessionSource, need_id: int, status: NeedStatus, project: str | None = None
) -> None:
    """Turn a need into (part of) a project, or put it back / decline it."""
    if (status is NeedStatus.UEBERNOMMEN) != (project is not None):
        raise PortfolioError("Nur ein in ein Projekt überführter Bedarf nennt ein Projekt.")
    with sessions_of(source)() as session:
        row = session.get(PortfolioNeed, need_id)
        if row is None:
            raise PortfolioError(f"Den Bedarf {need_id} gibt es nicht.")
        if project is not None:
            _require(session, PortfolioProject, project, "Das Projekt")
        row.status = status.value
        row.project_key = project
        session.commit()


def add_risk(
    source: SessionSource,
    project: str,
    title: str,
    probability: Level,
    impact: Level,
    *,
    mitigation: str = "",
    owner: str = "",
) -> int:
    with sessions_of(source)() as session:
        _require(session, PortfolioProject, project, "Das Projekt")
        row = PortfolioRisk(
            project_key=project,
            title=title,
            probability=probability.value,
            impact=impact.value,
            mitigation=mitigation,
            owner=owner,
            open=True,
        )
        session.add(row)
        session.commit()
        return row.id


def close_risk(source: SessionSource, risk_id: int) -> None:
    with sessions_of(source)() as session:
        row = session.get(PortfolioRisk, risk_id)
        if row is None:
            raise PortfolioError(f"Das Risiko {risk_id} gibt es nicht.")
        row.open = False
        session.commit()


def add_milestone(
    source: SessionSource,
    project: str,
    title: str,
    planned_on: date,
    done_on: date | None = None,
) -> int:
    with sessions_of(source)() as session:
        _require(session, PortfolioProject, project, "Das Projekt")
        row = PortfolioMilestone(
            project_key=project, title=title, planned_on=planned_on, done_on=done_on
        )
        session.add(row)
        session.commit()
        return row.id


def complete_milestone(source: SessionSource, milestone_id: int, done_on: date) -> None:
    with sessions_of(source)() as session:
        row = session.get(PortfolioMilestone, milestone_id)
        if row is None:
            raise PortfolioError(f"Den Meilenstein {milestone_id} gibt es nicht.")
        row.done_on = done_on
        session.commit()


def add_decision(
    source: SessionSource,
    body: Body,
    decided_on: date,
    subject: str,
    outcome: str,
    project: str | None = None,
) -> int:
    with sessions_of(source)() as session:
        if project is not None:
            _require(session, PortfolioProject, project, "Das Projekt")
        row = PortfolioDecision(
            body=body.value,
            decided_on=decided_on,
            subject=subject,
            outcome=outcome,
            project_key=project,
        )
        session.add(row)
        session.commit()
        return row.id


def is_empty(source: SessionSource) -> bool:
    with sessions_of(source)() as session:
        return session.scalars(select(PortfolioProject.key).limit(1)).first() is None
