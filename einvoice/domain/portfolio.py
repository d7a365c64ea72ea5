"""The digitalisation portfolio of the Stabsstelle and its prioritisation (pure).

* **Projects** (E-Rechnung, Behördenpostfach, ...) move through the
  :class:`Phase` s Bedarf → Konzeption → Testphase → Pilot → Rollout →
  Regelbetrieb; any of them may be stopped (Eingestellt). Every change is a
  :class:`PhaseChange` in the project's history (:func:`change_phase`).
* **Needs** raised by the offices (:class:`Need`) say which project they became.
* **Risks**, **milestones** and **decisions** of the IV-Beirat / Digitalbeirat
  belong to a project (decisions may also concern the whole portfolio).
* **Prioritisation** (:func:`prioritise`): a transparent score of 0-100 points
  from five criteria (benefit, legal obligation, urgency, number of offices,
  effort) with weights that are configurable and shown, weighed against the
  capacity of the offices (person-days per office and quarter). The result is
  a ranked :class:`Proposal` saying which projects fit the capacity, which do
  not and why.

The prioritisation is in :mod:`einvoice.domain.prioritisation`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from einvoice.errors import PermanentError


class PortfolioError(PermanentError):
    """A portfolio change is not allowed (German message)."""


class Phase(StrEnum):
    BEDARF = "bedarf"
    KONZEPTION = "konzeption"
    TESTPHASE = "testphase"
    PILOT = "pilot"
    ROLLOUT = "rollout"
    REGELBETRIEB = "regelbetrieb"
    EINGESTELLT = "eingestellt"

    @property
    def label(self) -> str:
        return PHASE_LABELS_DE[self]

    @property
    def running(self) -> bool:
        """Started and not yet done: capacity is committed."""
        return self in RUNNING_PHASES


PHASE_LABELS_DE: dict[Phase, str] = {
    Phase.BEDARF: "Bedarf",
    Phase.KONZEPTION: "Konzeption",
    Phase.TESTPHASE: "Testphase",
    Phase.PILOT: "Pilot",
    Phase.ROLLOUT: "Rollout",
    Phase.REGELBETRIEB: "Regelbetrieb",
    Phase.EINGESTELLT: "Eingestellt",
}
#: The normal course of a project (Eingestellt is outside it).
PHASE_ORDER: tuple[Phase, ...] = (
    Phase.BEDARF,
    Phase.KONZEPTION,
    Phase.TESTPHASE,
    Phase.PILOT,
    Phase.ROLLOUT,
    Phase.REGELBETRIEB,
)
RUNNING_PHASES = frozenset({Phase.KONZEPTION, Phase.TESTPHASE, Phase.PILOT, Phase.ROLLOUT})
CLOSED_PHASES = frozenset({Phase.REGELBETRIEB, Phase.EINGESTELLT})


def phase_from_text(text: str) -> Phase:
    """A phase from its key or its German name (case-insensitive)."""
    wanted = text.strip().lower()
    for phase in Phase:
        if wanted in (phase.value, phase.label.lower()):
            return phase
    names = ", ".join(p.label for p in Phase)
    raise PortfolioError(f"Unbekannte Phase „{text}“ (möglich: {names}).")


# --- quarters -----------------------------------------------------------------------------

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    """A calendar quarter, written ``2027-Q1``."""

    year: int
    number: int  # 1..4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise PortfolioError(f"Quartal {self.number} gibt es nicht (1 bis 4).")

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.number}. Quartal {self.year}"

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text.strip().upper())
        if match is None:
            raise PortfolioError(f"„{text}“ ist kein Quartal (Form: 2027-Q1).")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def shifted(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)


def quarters_from(first: Quarter, count: int) -> tuple[Quarter, ...]:
    return tuple(first.shifted(i) for i in range(count))


# --- the portfolio ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Office:
    """An office (Amt) or unit of the administration, e.g. ``amt-12``."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class PhaseChange:
    project: str
    from_phase: Phase | None  # None: the project was created
    to_phase: Phase
    on: date
    note: str = ""
    decided_by: str = ""  # e.g. "IV-Beirat vom 12.03.2025"


@dataclass(frozen=True, slots=True)
class Demand:
    """Person-days a project needs from an office in a quarter."""

    office: str
    quarter: Quarter
    person_days: Decimal


@dataclass(frozen=True, slots=True)
class Project:
    key: str  # e.g. "e-rechnung"
    name: str
    phase: Phase
    lead_office: str
    offices: tuple[str, ...] = ()  # participating offices (without the lead office)
    description: str = ""
    benefit: int = 3  # 1..5
    legal_obligation: int = 0  # 0 none .. 5 statutory with a near deadline
    urgency: int = 3  # 1..5
    legal_basis: str = ""  # e.g. "E-Rechnungsverordnung, OZG"
    demands: tuple[Demand, ...] = ()
    history: tuple[PhaseChange, ...] = ()

    def __post_init__(self) -> None:
        for name, low, high in (("benefit", 1, 5), ("legal_obligation", 0, 5), ("urgency", 1, 5)):
            value = getattr(self, name)
            if not low <= value <= high:
                raise PortfolioError(
                    f"{CRITERION_LABELS_DE[name]} von „{self.name}“ muss zwischen {low} und "
                    f"{high} liegen (ist {value})."
                )

    @property
    def all_offices(self) -> tuple[str, ...]:
        """Lead office first, then the participating offices (each once)."""
        seen = [self.lead_office]
        seen.extend(o for o in self.offices if o not in seen)
        return tuple(seen)

    @property
    def effort(self) -> Decimal:
        """The planned effort: all person-days of all offices and quarters."""
        return sum((d.person_days for d in self.demands), Decimal(0))

    def since(self) -> date | None:
        """The day the project entered its current phase."""
        days = [c.on for c in self.history if c.to_phase is self.phase]
        return max(days) if days else None


class NeedStatus(StrEnum):
    OFFEN = "offen"
    UEBERNOMMEN = "uebernommen"  # turned into (part of) a project
    ZURUECKGESTELLT = "zurueckgestellt"
    ABGELEHNT = "abgelehnt"

    @property
    def label(self) -> str:
        return {
            NeedStatus.OFFEN: "offen",
            NeedStatus.UEBERNOMMEN: "in Projekt überführt",
            NeedStatus.ZURUECKGESTELLT: "zurückgestellt",
            NeedStatus.ABGELEHNT: "abgelehnt",
        }[self]


@dataclass(frozen=True, slots=True)
class Need:
    """A need an office raised; ``project`` is the project it became."""

    id: int
    title: str
    office: str
    raised_on: date
    description: str = ""
    project: str | None = None
    status: NeedStatus = NeedStatus.OFFEN


class Level(StrEnum):
    NIEDRIG = "niedrig"
    MITTEL = "mittel"
    HOCH = "hoch"

    @property
    def weight(self) -> int:
        return {Level.NIEDRIG: 1, Level.MITTEL: 2, Level.HOCH: 3}[self]


@dataclass(frozen=True, slots=True)
class Risk:
    id: int
    project: str
    title: str
    probability: Level
    impact: Level
    mitigation: str = ""
    owner: str = ""
    open: bool = True

    @property
    def rating(self) -> int:
        """Probability x impact, 1..9."""
        return self.probability.weight * self.impact.weight

    @property
    def light(self) -> str:
        return "rot" if self.rating >= 6 else "gelb" if self.rating >= 3 else "grün"


@dataclass(frozen=True, slots=True)
class Milestone:
    id: int
    project: str
    title: str
    planned_on: date
    done_on: date | None = None

    def status(self, today: date) -> str:
        if self.done_on is not None:
            return "erreicht"
        return "überfällig" if self.planned_on < today else "geplant"


class Body(StrEnum):
    IV_BEIRAT = "iv-beirat"
    DIGITALBEIRAT = "digitalbeirat"
    VERWALTUNGSVORSTAND = "verwaltungsvorstand"
    OBERBUERGERMEISTER = "oberbuergermeister"

    @property
    def label(self) -> str:
        return {
            Body.IV_BEIRAT: "IV-Beirat",
            Body.DIGITALBEIRAT: "Digitalbeirat",
            Body.VERWALTUNGSVORSTAND: "Verwaltungsvorstand",
            Body.OBERBUERGERMEISTER: "Oberbürgermeister/in",
        }[self]


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    body: Body
    decided_on: date
    subject: str
    outcome: str
    project: str | None = None  # None: the whole portfolio


@dataclass(frozen=True, slots=True)
class Capacity:
    """Person-days an office can give to digitalisation projects in a quarter."""

    office: str
    quarter: Quarter
    person_days: Decimal


@dataclass(frozen=True, slots=True)
class Portfolio:
    projects: tuple[Project, ...] = ()
    offices: tuple[Office, ...] = ()
    needs: tuple[Need, ...] = ()
    risks: tuple[Risk, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    decisions: tuple[Decision, ...] = ()
    capacities: tuple[Capacity, ...] = ()

    def project(self, key: str) -> Project | None:
        return next((p for p in self.projects if p.key == key), None)

    def office_name(self, key: str) -> str:
        return next((o.name for o in self.offices if o.key == key), key)

    def office_names(self) -> dict[str, str]:
        return {o.key: o.name for o in self.offices}

    def needs_of(self, project: str) -> tuple[Need, ...]:
        return tuple(n for n in self.needs if n.project == project)

    def risks_of(self, project: str) -> tuple[Risk, ...]:
        return tuple(r for r in self.risks if r.project == project)

    def milestones_of(self, project: str) -> tuple[Milestone, ...]:
        return tuple(
            sorted((m for m in self.milestones if m.project == project), key=lambda m: m.planned_on)
        )

    def decisions_of(self, project: str) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.project == project)

    def capacity(self, office: str, quarter: Quarter) -> Decimal:
        return sum(
            (c.person_days for c in self.capacities if c.office == office and c.quarter == quarter),
            Decimal(0),
        )


CRITERIA: tuple[str, ...] = ("benefit", "legal_obligation", "urgency", "offices", "effort")
CRITERION_LABELS_DE: dict[str, str] = {
    "benefit": "Nutzen",
    "legal_obligation": "Rechtliche Verpflichtung",
    "urgency": "Dringlichkeit",
    "offices": "Anzahl beteiligter Ämter",
    "effort": "Aufwand (geringer ist besser)",
}


# --- phase changes ------------------------------------------------------------------------


def check_phase_change(current: Phase, target: Phase) -> str | None:
    """Why ``current`` -> ``target`` is not allowed (German), or None if it is.

    Allowed: forward along :data:`PHASE_ORDER` (phases may be skipped), one step
    back (e.g. Pilot back to Testphase), stopping from any phase but Regelbetrieb,
    and taking up a stopped project again as Bedarf.
    """
    if current is target:
        return f"Das Projekt ist bereits in der Phase {target.label}."
    if current is Phase.EINGESTELLT:
        if target is Phase.BEDARF:
            return None
        return "Ein eingestelltes Projekt kann nur als Bedarf wieder aufgenommen werden."
    if target is Phase.EINGESTELLT:
        if current is Phase.REGELBETRIEB:
            return "Ein Projekt im Regelbetrieb wird nicht eingestellt, sondern abgelöst."
        return None
    step = PHASE_ORDER.index(target) - PHASE_ORDER.index(current)
    if step < -1:
        return (
            f"Von {current.label} kann nur eine Phase zurückgegangen werden "
            f"(nicht bis {target.label})."
        )
    return None


def change_phase(
    project: Project, target: Phase, on: date, note: str = "", decided_by: str = ""
) -> tuple[Project, PhaseChange]:
    """The project in its new phase and the change for its history."""
    problem = check_phase_change(project.phase, target)
    if problem is not None:
        raise PortfolioError(f"{project.name}: {problem}")
    last = max((c.on for c in project.history), default=None)
    if last is not None and on < last:
        raise PortfolioError(
            f"{project.name}: der Phasenwechsel am {on:%d.%m.%Y} liegt vor dem letzten "
            f"({last:%d.%m.%Y})."
        )
    change = PhaseChange(project.key, project.phase, target, on, note, decided_by)
    return replace(project, phase=target, history=(*project.history, change)), change


def offices_in(projects: Iterable[Project]) -> tuple[str, ...]:
    seen: list[str] = []
    for p in projects:
        seen.extend(o for o in p.all_offices if o not in seen)
    return tuple(seen)
