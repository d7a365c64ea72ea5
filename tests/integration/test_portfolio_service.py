"""Portfolio services against SQLite and PostgreSQL: store, change, prioritise, seed; cache."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain.portfolio import (
    Body,
    Demand,
    Level,
    NeedStatus,
    Office,
    Phase,
    PortfolioError,
    Project,
    Quarter,
)
from einvoice.domain.prioritisation import Verdict, Weights
from einvoice.services import portfolio
from einvoice.services.demo_portfolio import seed_portfolio
from einvoice.services.metrics import Context
from einvoice.services.metrics_cache import DashboardCache, fingerprint
from einvoice.storage import db
from einvoice.storage.portfolio_tables import PortfolioPhaseChange
from einvoice.storage.tables import Workflow
from tests.integration import cityyear

Q1 = Quarter(2027, 1)
TODAY = date(2026, 11, 24)


@pytest.fixture
def sessions(tmp_path: Path, database_url: str | None) -> Iterator[sessionmaker[Session]]:
    url = database_url or f"sqlite:///{tmp_path / 'p.db'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    yield db.make_session_factory(engine)
    engine.dispose()


def _offices(sessions: sessionmaker[Session]) -> None:
    portfolio.save_offices(
        sessions, [Office("amt-12", "Amt 12 – ADV"), Office("amt-20", "Amt 20 – Kämmerei")]
    )


def test_project_life_cycle(sessions: sessionmaker[Session]) -> None:
    _offices(sessions)
    project = Project(
        "e-rechnung",
        "E-Rechnung",
        Phase.KONZEPTION,
        "amt-12",
        ("amt-20",),
        benefit=5,
        legal_obligation=5,
        urgency=4,
        demands=(Demand("amt-12", Q1, Decimal("30.5")), Demand("amt-20", Q1, Decimal(10))),
    )
    portfolio.add_project(sessions, project, date(2023, 11, 8), decided_by="IV-Beirat")
    with pytest.raises(PortfolioError, match="gibt es bereits"):
        portfolio.add_project(sessions, project, date(2023, 11, 8))
    change = portfolio.change_phase(
        sessions,
        "e-rechnung",
        Phase.TESTPHASE,
        date(2025, 12, 1),
        decided_by="IV-Beirat",
        now=datetime(2025, 12, 1, 9, tzinfo=UTC),
    )
    assert (change.from_phase, change.to_phase) == (Phase.KONZEPTION, Phase.TESTPHASE)
    with pytest.raises(PortfolioError, match="nur eine Phase zurück"):
        portfolio.change_phase(sessions, "e-rechnung", Phase.BEDARF, date(2026, 1, 1))
    with pytest.raises(PortfolioError, match="gibt es nicht"):
        portfolio.change_phase(sessions, "nope", Phase.PILOT, date(2026, 1, 1))
    loaded = portfolio.load(sessions)
    stored = loaded.project("e-rechnung")
    assert stored is not None
    assert stored.phase is Phase.TESTPHASE
    assert [c.to_phase for c in stored.history] == [Phase.KONZEPTION, Phase.TESTPHASE]
    assert stored.offices == ("amt-20",)
    assert stored.effort == Decimal("40.5")
    with sessions() as session:  # the history is in the table, with the time it was recorded
        rows = session.scalars(select(PortfolioPhaseChange)).all()
        assert {r.to_phase for r in rows} == {"konzeption", "testphase"}


def test_needs_risks_milestones_decisions_capacity_weights(
    sessions: sessionmaker[Session],
) -> None:
    _offices(sessions)
    portfolio.add_project(
        sessions,
        Project("p", "P", Phase.BEDARF, "amt-20", demands=(Demand("amt-20", Q1, Decimal(20)),)),
        date(2026, 1, 1),
    )
    need = portfolio.add_need(sessions, "Rechnungen digital", "amt-20", date(2025, 1, 1))
    portfolio.decide_need(sessions, need, NeedStatus.UEBERNOMMEN, "p")
    with pytest.raises(PortfolioError):
        portfolio.decide_need(sessions, need, NeedStatus.ABGELEHNT, "p")
    with pytest.raises(PortfolioError, match="Amt"):
        portfolio.add_need(sessions, "x", "amt-99", date(2025, 1, 1))
    risk = portfolio.add_risk(sessions, "p", "Schnittstelle", Level.HOCH, Level.HOCH)
    portfolio.close_risk(sessions, risk)
    milestone = portfolio.add_milestone(sessions, "p", "Start", date(2026, 3, 1))
    portfolio.complete_milestone(sessions, milestone, date(2026, 3, 2))
    portfolio.add_decision(sessions, Body.DIGITALBEIRAT, date(2026, 9, 23), "Sitzung", "ok")
    portfolio.set_capacity(sessions, "amt-20", Q1, Decimal(15))
    portfolio.set_capacity(sessions, "amt-20", Q1, Decimal(25))  # replaced, not added
    portfolio.set_demand(sessions, "p", "amt-20", Q1, Decimal(30))
    portfolio.set_weights(sessions, Weights(benefit=Decimal(50)))
    loaded = portfolio.load(sessions)
    assert loaded.needs_of("p")[0].status is NeedStatus.UEBERNOMMEN
    assert loaded.risks[0].open is False
    assert loaded.milestones[0].done_on == date(2026, 3, 2)
    assert loaded.decisions[0].project is None
    assert loaded.capacity("amt-20", Q1) == Decimal(25)
    assert portfolio.weights(sessions).benefit == Decimal(50)
    proposal = portfolio.proposal(sessions, (Q1,))
    assert proposal.ranked[0].verdict is Verdict.NOT_PLANNED  # 30 PT wanted, 25 available
    portfolio.set_demand(sessions, "p", "amt-20", Q1, Decimal(0))
    assert portfolio.proposal(sessions, (Q1,)).ranked[0].verdict is Verdict.PLANNED


def test_seeded_example_portfolio(sessions: sessionmaker[Session]) -> None:
    count = seed_portfolio(sessions, TODAY)
    loaded = portfolio.load(sessions)
    assert count == len(loaded.projects) >= 10
    pilot = loaded.project("e-rechnung")
    assert pilot is not None and pilot.phase is Phase.TESTPHASE
    assert len(loaded.offices) >= 16
    assert {n.project for n in loaded.needs} >= {"e-rechnung", None}
    proposal = portfolio.proposal(sessions, portfolio.planning_quarters(TODAY))
    verdicts = {r.verdict for r in proposal.ranked}
    assert verdicts == {Verdict.RESERVED, Verdict.PLANNED, Verdict.NOT_PLANNED}
    assert proposal.quarters[0] == Quarter(2027, 1)
    with pytest.raises(PortfolioError, match="bereits Projekte"):
        seed_portfolio(sessions, TODAY)


def test_dashboard_cache_follows_the_data(sessions: sessionmaker[Session]) -> None:
    engine = sessions.kw["bind"]
    year = cityyear.generate(seed=3, invoices=1_500)
    cityyear.insert_rows(engine, year)
    cache = DashboardCache()
    context = Context(cityyear.ZONE, {}, frozenset({cityyear.FALLBACK}))
    first = cache.dashboard(sessions, year.today, context=context)
    assert cache.dashboard(sessions, year.today, context=context) is first
    before = fingerprint(sessions)
    with sessions() as session:  # an invoice is rejected in the approval: a change
        session.execute(
            update(Workflow)
            .where(Workflow.status == "routed")
            .values(status="rejected", updated_at=datetime(2026, 11, 24, 17, tzinfo=UTC))
        )
        session.commit()
    assert fingerprint(sessions) != before
    second = cache.dashboard(sessions, year.today, context=context)
    assert second is not first
    assert second.metrics.overdue <= first.metrics.overdue
