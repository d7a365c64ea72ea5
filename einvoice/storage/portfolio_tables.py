"""Tables of the digitalisation portfolio (Stabsstelle): projects and what belongs to them.

Quarters are stored as text ``2027-Q1`` (sorts correctly); person-days as
Numeric with one decimal. Offices are the portfolio's own list (the invoice
departments of the routing configuration plus units without invoices, such as
the Stabsstelle itself).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from einvoice.storage.tables import Base


class PortfolioOffice(Base):
    __tablename__ = "portfolio_offices"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # e.g. amt-12
    name: Mapped[str] = mapped_column(String(255))


class PortfolioProject(Base):
    __tablename__ = "portfolio_projects"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # e.g. e-rechnung
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[str] = mapped_column(String(16), index=True)  # portfolio.Phase
    lead_office: Mapped[str] = mapped_column(ForeignKey("portfolio_offices.key"))
    benefit: Mapped[int] = mapped_column(Integer)  # 1..5
    legal_obligation: Mapped[int] = mapped_column(Integer)  # 0..5
    urgency: Mapped[int] = mapped_column(Integer)  # 1..5
    legal_basis: Mapped[str] = mapped_column(String(512), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PortfolioParticipant(Base):
    """A participating office of a project (the lead office is on the project)."""

    __tablename__ = "portfolio_participants"
    project_key: Mapped[str] = mapped_column(ForeignKey("portfolio_projects.key"), primary_key=True)
    office: Mapped[str] = mapped_column(ForeignKey("portfolio_offices.key"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PortfolioPhaseChange(Base):
    __tablename__ = "portfolio_phase_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_key: Mapped[str] = mapped_column(ForeignKey("portfolio_projects.key"), index=True)
    from_phase: Mapped[str | None] = mapped_column(String(16))  # None: project created
    to_phase: Mapped[str] = mapped_column(String(16))
    changed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(255), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PortfolioDemand(Base):
    """Person-days a project needs from an office in a quarter."""

    __tablename__ = "portfolio_demands"
    __table_args__ = (
        UniqueConstraint("project_key", "office", "quarter", name="uq_portfolio_demand"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_key: Mapped[str] = mapped_column(ForeignKey("portfolio_projects.key"), index=True)
    office: Mapped[str] = mapped_column(ForeignKey("portfolio_offices.key"))
    quarter: Mapped[str] = mapped_column(String(7))  # 2027-Q1
    person_days: Mapped[Decimal] = mapped_column(Numeric(9, 1))


class PortfolioCapacity(Base):
    """Person-days an office can give to digitalisation projects in a quarter."""

    __tablename__ = "portfolio_capacities"
    office: Mapped[str] = mapped_column(ForeignKey("portfolio_offices.key"), primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), primary_key=True)
    person_days: Mapped[Decimal] = mapped_column(Numeric(9, 1))


class PortfolioNeed(Base):
    """A need raised by an office, and the project it became (if any)."""

    __tablename__ = "portfolio_needs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    office: Mapped[str] = mapped_column(ForeignKey("portfolio_offices.key"))
    raised_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    project_key: Mapped[str | None] = mapped_column(
        ForeignKey("portfolio_projects.key"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))  # portfolio.NeedStatus


class PortfolioRisk(Base):
    __tablename__ = "portfolio_risks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_key: Mapped[str] = mapped_column(ForeignKey("portfolio_projects.key"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    probability: Mapped[str] = mapped_column(String(8))  # niedrig, mittel, hoch
    impact: Mapped[str] = mapped_column(String(8))
    mitigation: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(255), default="")
    open: Mapped[bool] = mapped_column(default=True)


class PortfolioMilestone(Base):
    __tablename__ = "portfolio_milestones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_key: Mapped[str] = mapped_column(ForeignKey("portfolio_projects.key"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    planned_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class PortfolioDecision(Base):
    """A decision of the IV-Beirat, the Digitalbeirat, ... (project or whole portfolio)."""

    __tablename__ = "portfolio_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(String(32))  # portfolio.Body
    decided_on: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(255))
    outcome: Mapped[str] = mapped_column(Text)
    project_key: Mapped[str | None] = mapped_column(
        ForeignKey("portfolio_projects.key"), index=True
    )


class PortfolioWeight(Base):
    """The weight of a prioritisation criterion (absent: the default weight)."""

    __tablename__ = "portfolio_weights"
    criterion: Mapped[str] = mapped_column(String(32), primary_key=True)
    weight: Mapped[Decimal] = mapped_column(Numeric(7, 2))
