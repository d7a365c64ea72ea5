"""Prioritisation of the portfolio: a transparent score weighed against capacity (pure).

Scoring, criterion by criterion (each mapped to 0..1, then weighted)::

    benefit            1..5          (value - 1) / 4
    legal obligation   0..5          value / 5
    urgency            1..5          (value - 1) / 4
    offices            lead + participating offices, min(n, full_offices) / full_offices
    effort             sum of the planned person-days, 1 - min(days, max_effort) / max_effort

    score = 100 * sum(weight * value) / sum(weights)

The scale is absolute, so one project's score never depends on the others.
Capacity: projects already running (Konzeption, Testphase, Pilot, Rollout) are
commitments and reserve their capacity first (an overbooked office is flagged);
then the new projects (Bedarf) in the order of their score are planned when all
their demands in the planning quarters fit into what is left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from einvoice.domain.portfolio import (
    CLOSED_PHASES,
    CRITERIA,
    CRITERION_LABELS_DE,
    Portfolio,
    PortfolioError,
    Project,
    Quarter,
)


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the criteria (any non-negative numbers; shown as shares of their sum)."""

    benefit: Decimal = Decimal(30)
    legal_obligation: Decimal = Decimal(25)
    urgency: Decimal = Decimal(20)
    offices: Decimal = Decimal(15)
    effort: Decimal = Decimal(10)

    def __post_init__(self) -> None:
        values = [self.get(c) for c in CRITERIA]
        if any(v < 0 for v in values):
            raise PortfolioError("Gewichte dürfen nicht negativ sein.")
        if sum(values) <= 0:
            raise PortfolioError("Mindestens ein Gewicht muss größer als 0 sein.")

    def get(self, criterion: str) -> Decimal:
        return Decimal(getattr(self, criterion))

    @property
    def total(self) -> Decimal:
        return sum((self.get(c) for c in CRITERIA), Decimal(0))

    def share(self, criterion: str) -> Decimal:
        """The criterion's share of all weights (0..1)."""
        return self.get(criterion) / self.total

    @classmethod
    def from_mapping(cls, values: Mapping[str, Decimal | int | str]) -> Weights:
        unknown = set(values) - set(CRITERIA)
        if unknown:
            raise PortfolioError(
                f"Unbekannte Kriterien: {', '.join(sorted(unknown))} "
                f"(möglich: {', '.join(CRITERIA)})."
            )
        return cls(**{k: Decimal(str(v)) for k, v in values.items()})

    def as_dict(self) -> dict[str, Decimal]:
        return {c: self.get(c) for c in CRITERIA}


@dataclass(frozen=True, slots=True)
class Scale:
    """Where the open-ended criteria reach full (offices) or zero (effort) points."""

    full_offices: int = 10
    max_effort_days: Decimal = Decimal(800)


@dataclass(frozen=True, slots=True)
class ScorePart:
    criterion: str
    raw: str  # the project's value as shown, e.g. "4 von 5", "6 Ämter", "320 PT"
    value: Decimal  # 0..1
    weight_share: Decimal  # 0..1
    points: Decimal  # 100 * value * weight_share

    @property
    def label(self) -> str:
        return CRITERION_LABELS_DE[self.criterion]


@dataclass(frozen=True, slots=True)
class ScoreCard:
    project: str
    parts: tuple[ScorePart, ...]

    @property
    def total(self) -> Decimal:
        return sum((p.points for p in self.parts), Decimal(0)).quantize(Decimal("0.1"))


def _pd(value: Decimal) -> str:
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text} PT"


def score(
    project: Project, weights: Weights | None = None, scale: Scale | None = None
) -> ScoreCard:
    weights = weights or Weights()
    scale = scale or Scale()
    n_offices = len(project.all_offices)
    effort = project.effort
    values: dict[str, tuple[str, Decimal]] = {
        "benefit": (f"{project.benefit} von 5", Decimal(project.benefit - 1) / 4),
        "legal_obligation": (
            f"{project.legal_obligation} von 5",
            Decimal(project.legal_obligation) / 5,
        ),
        "urgency": (f"{project.urgency} von 5", Decimal(project.urgency - 1) / 4),
        "offices": (
            f"{n_offices} {'Amt' if n_offices == 1 else 'Ämter'}",
            Decimal(min(n_offices, scale.full_offices)) / scale.full_offices,
        ),
        "effort": (
            _pd(effort),
            1 - min(effort, scale.max_effort_days) / scale.max_effort_days,
        ),
    }
    parts = []
    for criterion in CRITERIA:
        raw, value = values[criterion]
        share = weights.share(criterion)
        points = (100 * value * share).quantize(Decimal("0.01"))
        parts.append(ScorePart(criterion, raw, value, share, points))
    return ScoreCard(project.key, tuple(parts))


class Verdict(StrEnum):
    RESERVED = "reserviert"  # running project: capacity reserved first
    OVERBOOKED = "überbucht"  # running project that exceeds the capacity
    PLANNED = "eingeplant"  # new project that fits
    NOT_PLANNED = "nicht eingeplant"  # new project that does not fit


@dataclass(frozen=True, slots=True)
class Shortfall:
    office: str
    quarter: Quarter
    needed: Decimal
    free: Decimal  # what was left before this project (may be negative)

    @property
    def missing(self) -> Decimal:
        return self.needed - max(self.free, Decimal(0))


@dataclass(frozen=True, slots=True)
class RankedProject:
    rank: int
    project: Project
    card: ScoreCard
    verdict: Verdict
    reasons: tuple[str, ...]
    shortfalls: tuple[Shortfall, ...] = ()
    shift_fits: int | None = None  # quarters later the project would fit, if any

    @property
    def fits(self) -> bool:
        return self.verdict in (Verdict.RESERVED, Verdict.PLANNED)


@dataclass(frozen=True, slots=True)
class CapacityUse:
    office: str
    quarter: Quarter
    capacity: Decimal
    planned: Decimal  # by the reserved and planned projects

    @property
    def free(self) -> Decimal:
        return self.capacity - self.planned

    @property
    def share(self) -> Decimal | None:
        return None if self.capacity == 0 else self.planned / self.capacity


@dataclass(frozen=True, slots=True)
class Proposal:
    quarters: tuple[Quarter, ...]
    weights: Weights
    scale: Scale
    ranked: tuple[RankedProject, ...]
    capacity: tuple[CapacityUse, ...]
    closed: tuple[Project, ...] = field(default=())  # Regelbetrieb / Eingestellt: not ranked

    def use(self, office: str, quarter: Quarter) -> CapacityUse | None:
        return next((u for u in self.capacity if u.office == office and u.quarter == quarter), None)


def _demand_in(project: Project, quarters: Sequence[Quarter]) -> dict[tuple[str, Quarter], Decimal]:
    """The project's person-days per (office, quarter) inside the planning quarters."""
    wanted: dict[tuple[str, Quarter], Decimal] = {}
    for d in project.demands:
        if d.quarter in quarters:
            key = (d.office, d.quarter)
            wanted[key] = wanted.get(key, Decimal(0)) + d.person_days
    return wanted


def _shortfalls(
    wanted: Mapping[tuple[str, Quarter], Decimal], free: Mapping[tuple[str, Quarter], Decimal]
) -> list[Shortfall]:
    found = []
    for (office, quarter), needed in sorted(wanted.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        left = free.get((office, quarter), Decimal(0))
        if needed > left:
            found.append(Shortfall(office, quarter, needed, left))
    return found


def _shortfall_texts(shortfalls: Sequence[Shortfall], names: Mapping[str, str]) -> list[str]:
    """One line per office: in which quarters how many person-days are missing."""
    by_office: dict[str, list[Shortfall]] = {}
    for s in shortfalls:
        by_office.setdefault(s.office, []).append(s)
    lines = []
    for office, found in by_office.items():
        gaps = "; ".join(
            f"{s.quarter.label} benötigt {_pd(s.needed)}, frei {_pd(max(s.free, Decimal(0)))}"
            for s in found
        )
        lines.append(f"{names.get(office, office)}: {gaps}")
    return lines


def _shift_that_fits(
    project: Project, quarters: Sequence[Quarter], free: Mapping[tuple[str, Quarter], Decimal]
) -> int | None:
    """The smallest delay (in quarters) after which all demands fit inside the horizon."""
    inside = [d for d in project.demands if d.quarter in quarters]
    if not inside:
        return None
    last = max(quarters)
    for shift in range(1, len(quarters)):
        if any(d.quarter.shifted(shift) > last for d in inside):
            return None
        wanted: dict[tuple[str, Quarter], Decimal] = {}
        for d in inside:
            key = (d.office, d.quarter.shifted(shift))
            wanted[key] = wanted.get(key, Decimal(0)) + d.person_days
        if not _shortfalls(wanted, free):
            return shift
    return None


def prioritise(
    portfolio: Portfolio,
    quarters: Sequence[Quarter],
    weights: Weights | None = None,
    scale: Scale | None = None,
    *,
    running_first: bool = True,
) -> Proposal:
    """Rank the open projects and plan them against the capacity of ``quarters``."""
    weights = weights or Weights()
    scale = scale or Scale()
    horizon = tuple(sorted(set(quarters)))
    names = portfolio.office_names()
    cards = {p.key: score(p, weights, scale) for p in portfolio.projects}
    open_projects = [p for p in portfolio.projects if p.phase not in CLOSED_PHASES]

    def order(p: Project) -> tuple[bool, Decimal, int, int, str]:
        committed = running_first and p.phase.running
        return (not committed, -cards[p.key].total, -p.legal_obligation, -p.urgency, p.name)

    capacity: dict[tuple[str, Quarter], Decimal] = {}
    for c in portfolio.capacities:
        if c.quarter in horizon:
            key = (c.office, c.quarter)
            capacity[key] = capacity.get(key, Decimal(0)) + c.person_days
    free = dict(capacity)
    planned: dict[tuple[str, Quarter], Decimal] = {}
    ranked: list[RankedProject] = []
    for rank, project in enumerate(sorted(open_projects, key=order), 1):
        card = cards[project.key]
        wanted = _demand_in(project, horizon)
        shortfalls = _shortfalls(wanted, free)
        committed = running_first and project.phase.running
        reasons = [f"{card.total:f} Punkte".replace(".", ",")]
        outside = [d for d in project.demands if d.quarter not in horizon]
        if committed:
            verdict = Verdict.OVERBOOKED if shortfalls else Verdict.RESERVED
            reasons.append(
                f"laufendes Projekt (Phase {project.phase.label}): Kapazität wird vorab reserviert"
            )
            reasons.extend("Überbuchung: " + t for t in _shortfall_texts(shortfalls, names))
        elif not wanted:
            verdict = Verdict.PLANNED
            reasons.append("im Planungszeitraum kein Aufwand geplant")
        elif shortfalls:
            verdict = Verdict.NOT_PLANNED
            reasons.extend("passt nicht: " + t for t in _shortfall_texts(shortfalls, names))
        else:
            verdict = Verdict.PLANNED
            reasons.append(
                f"passt in die freie Kapazität ({_pd(sum(wanted.values(), Decimal(0)))} "
                f"in {_quarters(len({q for _, q in wanted}))})"
            )
        shift = None
        if verdict is Verdict.NOT_PLANNED:
            shift = _shift_that_fits(project, horizon, free)
            if shift is not None:
                start = min(d.quarter for d in project.demands if d.quarter in horizon)
                begin = start.shifted(shift).label
                reasons.append(f"passt bei Verschiebung um {_quarters(shift)} (Beginn {begin})")
            else:
                reasons.append("auch mit späterem Beginn nicht im Planungszeitraum unterzubringen")
        if outside:
            reasons.append(
                f"{_pd(sum((d.person_days for d in outside), Decimal(0)))} außerhalb des "
                "Planungszeitraums nicht berücksichtigt"
            )
        if verdict in (Verdict.RESERVED, Verdict.OVERBOOKED, Verdict.PLANNED):
            for key, days in wanted.items():
                free[key] = free.get(key, Decimal(0)) - days
                planned[key] = planned.get(key, Decimal(0)) + days
        ranked.append(
            RankedProject(rank, project, card, verdict, tuple(reasons), tuple(shortfalls), shift)
        )
    keys = sorted(set(capacity) | set(planned), key=lambda k: (k[0], k[1]))
    uses = tuple(
        CapacityUse(o, q, capacity.get((o, q), Decimal(0)), planned.get((o, q), Decimal(0)))
        for o, q in keys
    )
    closed = tuple(p for p in portfolio.projects if p.phase in CLOSED_PHASES)
    return Proposal(horizon, weights, scale, tuple(ranked), uses, closed)


def _quarters(count: int) -> str:
    return f"{count} Quartal" if count == 1 else f"{count} Quartale"
