"""Portfolio (phases, history) and prioritisation (score, capacity) - pure domain."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from einvoice.domain.portfolio import (
    Capacity,
    Demand,
    Level,
    Milestone,
    Office,
    Phase,
    Portfolio,
    PortfolioError,
    Project,
    Quarter,
    Risk,
    change_phase,
    check_phase_change,
    phase_from_text,
    quarters_from,
)
from einvoice.domain.prioritisation import Scale, Verdict, Weights, prioritise, score

Q1, Q2, Q3, Q4 = quarters_from(Quarter(2027, 1), 4)
D = Decimal


def project(key: str, phase: Phase = Phase.BEDARF, **kw: object) -> Project:
    fields: dict[str, object] = {"name": key.upper(), "lead_office": "amt-12"}
    fields.update(kw)
    return Project(key=key, phase=phase, **fields)  # type: ignore[arg-type]


# --- quarters and phases ------------------------------------------------------------------


def test_quarters_parse_shift_and_order() -> None:
    assert Quarter.parse("2027-q3") == Quarter(2027, 3)
    assert str(Quarter(2027, 4).shifted(1)) == "2028-Q1"
    assert Quarter(2027, 1).shifted(-1) == Quarter(2026, 4)
    assert Quarter.of(date(2026, 11, 24)) == Quarter(2026, 4)
    assert Quarter(2027, 2).start == date(2027, 4, 1)
    assert Quarter(2026, 4) < Quarter(2027, 1)
    with pytest.raises(PortfolioError, match="kein Quartal"):
        Quarter.parse("2027/1")
    with pytest.raises(PortfolioError):
        Quarter(2027, 5)


def test_phase_names_in_german() -> None:
    assert phase_from_text("Testphase") is Phase.TESTPHASE
    assert phase_from_text("regelbetrieb") is Phase.REGELBETRIEB
    assert [p.label for p in Phase] == [
        "Bedarf",
        "Konzeption",
        "Testphase",
        "Pilot",
        "Rollout",
        "Regelbetrieb",
        "Eingestellt",
    ]
    with pytest.raises(PortfolioError, match="Unbekannte Phase"):
        phase_from_text("fertig")


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (Phase.BEDARF, Phase.KONZEPTION, True),
        (Phase.KONZEPTION, Phase.PILOT, True),  # a phase may be skipped
        (Phase.PILOT, Phase.TESTPHASE, True),  # one step back
        (Phase.ROLLOUT, Phase.KONZEPTION, False),  # not two back
        (Phase.TESTPHASE, Phase.EINGESTELLT, True),
        (Phase.REGELBETRIEB, Phase.EINGESTELLT, False),
        (Phase.EINGESTELLT, Phase.BEDARF, True),  # taken up again
        (Phase.EINGESTELLT, Phase.PILOT, False),
        (Phase.PILOT, Phase.PILOT, False),
    ],
)
def test_phase_changes(current: Phase, target: Phase, allowed: bool) -> None:
    assert (check_phase_change(current, target) is None) is allowed


def test_change_phase_records_history_and_refuses_going_back_in_time() -> None:
    p = project("e-rechnung", Phase.KONZEPTION)
    p, first = change_phase(p, Phase.TESTPHASE, date(2025, 12, 1), decided_by="IV-Beirat")
    assert p.phase is Phase.TESTPHASE
    assert first.from_phase is Phase.KONZEPTION and first.to_phase is Phase.TESTPHASE
    assert p.history == (first,)
    assert p.since() == date(2025, 12, 1)
    with pytest.raises(PortfolioError, match="vor dem letzten"):
        change_phase(p, Phase.PILOT, date(2025, 11, 1))
    with pytest.raises(PortfolioError, match="bereits in der Phase"):
        change_phase(p, Phase.TESTPHASE, date(2026, 1, 1))


def test_project_checks_its_ratings() -> None:
    with pytest.raises(PortfolioError, match="Nutzen"):
        project("x", benefit=6)
    with pytest.raises(PortfolioError, match="Rechtliche Verpflichtung"):
        project("x", legal_obligation=-1)


def test_risk_milestone_and_portfolio_lookups() -> None:
    risk = Risk(1, "p", "Schnittstelle", Level.HOCH, Level.MITTEL)
    assert risk.rating == 6 and risk.light == "rot"
    assert Risk(2, "p", "x", Level.NIEDRIG, Level.NIEDRIG).light == "grün"
    assert Risk(3, "p", "x", Level.HOCH, Level.NIEDRIG).light == "gelb"
    milestone = Milestone(1, "p", "Start", date(2026, 1, 1))
    assert milestone.status(date(2026, 2, 1)) == "überfällig"
    assert milestone.status(date(2025, 12, 1)) == "geplant"
    assert Milestone(2, "p", "x", date(2026, 1, 1), date(2026, 1, 5)).status(date(2027, 1, 1)) == (
        "erreicht"
    )
    portfolio = Portfolio(
        projects=(project("p"),),
        offices=(Office("amt-12", "Amt 12"),),
        capacities=(Capacity("amt-12", Q1, D(10)), Capacity("amt-12", Q1, D(5))),
    )
    assert portfolio.office_name("amt-12") == "Amt 12"
    assert portfolio.office_name("amt-99") == "amt-99"
    assert portfolio.capacity("amt-12", Q1) == D(15)
    assert portfolio.project("p") is not None and portfolio.project("q") is None


# --- scoring ------------------------------------------------------------------------------


def test_score_is_the_documented_weighted_sum() -> None:
    p = project(
        "p",
        benefit=4,
        legal_obligation=5,
        urgency=2,
        offices=("amt-10", "amt-20", "amt-12"),
        demands=(Demand("amt-12", Q1, D(100)), Demand("amt-10", Q2, D(100))),
    )
    card = score(p, Weights(), Scale(full_offices=10, max_effort_days=D(800)))
    # values: benefit 3/4, legal 1, urgency 1/4, offices 3/10 (lead counted once), effort 1-200/800
    values = [D(3) / 4, D(1), D(1) / 4, D(3) / 10, 1 - D(200) / D(800)]
    weights = [D(30), D(25), D(20), D(15), D(10)]
    expected = sum((100 * v * w / 100 for v, w in zip(values, weights, strict=True)), D(0))
    assert card.total == expected.quantize(D("0.1"))
    assert [part.raw for part in card.parts] == [
        "4 von 5",
        "5 von 5",
        "2 von 5",
        "3 Ämter",
        "200 PT",
    ]
    assert sum(part.weight_share for part in card.parts) == 1


def test_weights_are_configurable_and_checked() -> None:
    only_legal = Weights.from_mapping(
        {"benefit": 0, "legal_obligation": 1, "urgency": 0, "offices": 0, "effort": 0}
    )
    assert score(project("p", legal_obligation=5), only_legal).total == D(100)
    assert score(project("p", legal_obligation=0), only_legal).total == D(0)
    with pytest.raises(PortfolioError, match="Unbekannte Kriterien"):
        Weights.from_mapping({"popularity": 5})
    with pytest.raises(PortfolioError, match="negativ"):
        Weights(benefit=D(-1))
    with pytest.raises(PortfolioError, match="größer als 0"):
        Weights.from_mapping({c: 0 for c in Weights().as_dict()})


# --- prioritisation against capacity ------------------------------------------------------


def _portfolio(*projects: Project, capacity: int = 50) -> Portfolio:
    offices = ("amt-12", "amt-50", "stab")
    return Portfolio(
        projects=projects,
        offices=tuple(Office(o, f"Büro {o}") for o in offices),
        capacities=tuple(Capacity(o, q, D(capacity)) for o in offices for q in (Q1, Q2, Q3, Q4)),
    )


def test_running_projects_reserve_first_new_ones_fill_the_rest_by_score() -> None:
    running = project(
        "running", Phase.TESTPHASE, benefit=1, urgency=1, demands=(Demand("amt-12", Q1, D(30)),)
    )
    strong = project(
        "strong", benefit=5, legal_obligation=5, urgency=5, demands=(Demand("amt-12", Q1, D(15)),)
    )
    weak = project("weak", benefit=2, demands=(Demand("amt-12", Q1, D(10)),))
    done = project("done", Phase.REGELBETRIEB)
    proposal = prioritise(_portfolio(running, strong, weak, done), (Q1, Q2, Q3, Q4))
    ranked = {r.project.key: r for r in proposal.ranked}
    assert [r.project.key for r in proposal.ranked] == ["running", "strong", "weak"]
    assert ranked["running"].verdict is Verdict.RESERVED
    assert ranked["strong"].verdict is Verdict.PLANNED
    assert ranked["weak"].verdict is Verdict.NOT_PLANNED  # 50 - 30 - 15 = 5 < 10
    assert ranked["weak"].shortfalls[0].free == D(5)
    assert any(
        "Büro amt-12: 1. Quartal 2027 benötigt 10 PT, frei 5 PT" in r
        for r in ranked["weak"].reasons
    )
    assert proposal.closed == (done,)
    use = proposal.use("amt-12", Q1)
    assert use is not None and use.planned == D(45) and use.free == D(5)
    assert use.share == D("0.9")


def test_without_running_first_the_score_alone_decides() -> None:
    running = project(
        "running", Phase.PILOT, benefit=1, urgency=1, demands=(Demand("amt-12", Q1, D(40)),)
    )
    strong = project(
        "strong", benefit=5, legal_obligation=5, urgency=5, demands=(Demand("amt-12", Q1, D(40)),)
    )
    proposal = prioritise(_portfolio(running, strong), (Q1,), running_first=False)
    assert [(r.project.key, r.verdict) for r in proposal.ranked] == [
        ("strong", Verdict.PLANNED),
        ("running", Verdict.NOT_PLANNED),
    ]


def test_overbooked_running_project_is_flagged_not_dropped() -> None:
    running = project("running", Phase.ROLLOUT, demands=(Demand("amt-50", Q2, D(80)),))
    proposal = prioritise(_portfolio(running), (Q1, Q2))
    only = proposal.ranked[0]
    assert only.verdict is Verdict.OVERBOOKED and only.fits is False
    assert any(r.startswith("Überbuchung: Büro amt-50") for r in only.reasons)
    use = proposal.use("amt-50", Q2)
    assert use is not None and use.free == D(-30)


def test_a_project_that_fits_later_gets_a_suggestion() -> None:
    blocker = project("blocker", Phase.TESTPHASE, demands=(Demand("stab", Q1, D(45)),))
    later = project("later", demands=(Demand("stab", Q1, D(20)), Demand("stab", Q2, D(20))))
    proposal = prioritise(_portfolio(blocker, later), (Q1, Q2, Q3, Q4))
    waiting = proposal.ranked[1]
    assert waiting.verdict is Verdict.NOT_PLANNED
    assert waiting.shift_fits == 1
    assert any("Verschiebung um 1 Quartal (Beginn 2. Quartal 2027)" in r for r in waiting.reasons)


def test_demands_outside_the_horizon_and_offices_without_capacity() -> None:
    outside = project("outside", demands=(Demand("amt-12", Quarter(2028, 1), D(500)),))
    nowhere = project("nowhere", demands=(Demand("amt-99", Q1, D(1)),))
    proposal = prioritise(_portfolio(outside, nowhere), (Q1,))
    ranked = {r.project.key: r for r in proposal.ranked}
    assert ranked["outside"].verdict is Verdict.PLANNED
    assert any("außerhalb des Planungszeitraums" in r for r in ranked["outside"].reasons)
    assert ranked["nowhere"].verdict is Verdict.NOT_PLANNED
    assert any("Büro" not in r and "amt-99" in r for r in ranked["nowhere"].reasons)
