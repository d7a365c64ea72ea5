"""The Entscheidungsvorlage for the mayor: HTML (Jinja2, autoescaped) and PDF (Chromium).

:class:`PaperData` holds what the paper shows (the service layer assembles it
from the portfolio, the prioritisation and the live pilot metrics);
:func:`render_html` writes one standalone page with inline CSS and inline SVG
charts (nothing is loaded from outside), :func:`render_pdf` prints it with the
system's headless Chromium (see :mod:`einvoice.presentation.render.pdf`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from einvoice.domain.channels import channel_label
from einvoice.domain.payment_figures import PaymentReport
from einvoice.domain.pilot_exit import ExitStatus, ExitThresholds, Light, days_text, percent
from einvoice.domain.pilot_metrics import PilotMetrics
from einvoice.domain.portfolio import CRITERION_LABELS_DE, Portfolio, Project, Quarter
from einvoice.domain.prioritisation import Proposal, Verdict
from einvoice.presentation import charts
from einvoice.presentation.chart_table import DataTable
from einvoice.presentation.jinja import new_environment

TEMPLATE = "decision_paper.html"
AUTHOR = "Stabsstelle Zentrale Steuerung und Verwaltungsdigitalisierung"


@dataclass(frozen=True)
class PaperData:
    city: str
    today: date
    portfolio: Portfolio
    proposal: Proposal
    metrics: PilotMetrics
    exit: ExitStatus
    thresholds: ExitThresholds
    figures: Sequence[tuple[str, str, str]]  # label, value, note
    charts: Mapping[str, str]  # name -> SVG (weekly_volume, accepted_share, ...)
    tables: Mapping[str, DataTable] = field(default_factory=dict)  # name -> the chart's values
    pilot_project: str = "e-rechnung"
    author: str = AUTHOR
    extra: Mapping[str, Any] = field(default_factory=dict)
    payments: PaymentReport | None = None  # figures from real payments (issue 24)


def german_number(value: float | Decimal | int, digits: int = 0) -> str:
    return charts.number(float(value), digits)


def person_days(value: Decimal | float | int) -> str:
    number = Decimal(str(value))
    digits = 0 if number == number.to_integral_value() else 1
    return f"{german_number(number, digits)} PT"


def euro(value: Decimal) -> str:
    return f"{german_number(value, 2)} €"


_JOINT = re.compile(r"(?<=\w{4})(ungs(?=\w{3})|(?:tions|heits|keits|ens)(?=\w{5}))")


def soft_hyphens(text: str) -> str:
    """Soft hyphens at the joints of long German compounds (Verwaltungs-digitalisierung).

    Chromium prints without hyphenation dictionaries; without these, narrow table
    cells break long words at any letter.
    """
    return " ".join(
        _JOINT.sub(lambda m: m.group(1) + "\u00ad", word) if len(word) >= 14 else word
        for word in text.split(" ")
    )


def german_date(value: date | None) -> str:
    return "–" if value is None else f"{value:%d.%m.%Y}"


@cache
def environment() -> Environment:
    env = new_environment()
    env.filters.update(
        number=german_number,
        pd=person_days,
        euro=euro,
        date=german_date,
        percent=percent,
        days=days_text,
        channel=channel_label,
        soft=soft_hyphens,
    )
    return env


def _quarter_table(data: PaperData) -> list[dict[str, Any]]:
    """Rows office x quarters for the capacity table (offices with capacity or demand)."""
    names = data.portfolio.office_names()
    offices = sorted({u.office for u in data.proposal.capacity}, key=lambda o: names.get(o, o))
    rows = []
    for office in offices:
        cells = []
        for quarter in data.proposal.quarters:
            use = data.proposal.use(office, quarter)
            cells.append(use)
        planned = sum((c.planned for c in cells if c is not None), Decimal(0))
        capacity = sum((c.capacity for c in cells if c is not None), Decimal(0))
        rows.append(
            {
                "office": names.get(office, office),
                "cells": cells,
                "planned": planned,
                "capacity": capacity,
            }
        )
    return rows


def _capacity_chart(rows: list[dict[str, Any]]) -> str:
    used = [r for r in rows if r["planned"] > 0]
    return charts.capacity_bars(
        [charts.CapacityRow(r["office"], float(r["planned"]), float(r["capacity"])) for r in used],
        title="Auslastung im Planungszeitraum (Personentage, alle Quartale)",
    )


def _score_chart(data: PaperData) -> tuple[str, DataTable]:
    """Points per criterion and project: the chart and the table of the same values."""
    criteria = (
        [p.criterion for p in data.proposal.ranked[0].card.parts] if data.proposal.ranked else []
    )
    rows = [(r.project.name, [float(p.points) for p in r.card.parts]) for r in data.proposal.ranked]
    labels = [CRITERION_LABELS_DE[c] for c in criteria]
    title = "Punkte je Kriterium (Summe = Punktzahl, höchstens 100)"
    svg = charts.stacked_hbars(rows, labels, title=title, label_width=290)
    table = DataTable(
        caption=f"{title}: Werte",
        row_header="Projekt",
        columns=tuple(labels),
        rows=tuple((name, tuple(values)) for name, values in rows),
        digits=1,
    )
    return svg, table


def _decision_points(data: PaperData) -> list[str]:
    """The Beschlussvorschlag, derived from the proposal and the pilot's status."""
    ranked = data.proposal.ranked
    first, last = data.proposal.quarters[0], data.proposal.quarters[-1]
    span = f"{first.label} bis {last.label}" if first != last else first.label
    points = []
    running = [
        r.project.name for r in ranked if r.verdict in (Verdict.RESERVED, Verdict.OVERBOOKED)
    ]
    if running:
        points.append(
            f"Die laufenden Projekte ({', '.join(running)}) werden im Zeitraum {span} "
            "mit der geplanten Kapazität fortgeführt."
        )
    planned = [r.project.name for r in ranked if r.verdict is Verdict.PLANNED]
    if planned:
        points.append(f"Neu begonnen werden: {', '.join(planned)}.")
    waiting = [r.project.name for r in ranked if r.verdict is Verdict.NOT_PLANNED]
    if waiting:
        points.append(
            f"Zurückgestellt werden mangels Kapazität: {', '.join(waiting)}; sie werden zur "
            "nächsten Priorisierung erneut bewertet."
        )
    if not ranked:
        points.append(
            "Das Portfolio enthält keine zu priorisierenden Projekte; die Ämter werden um "
            "ihre Bedarfsmeldungen gebeten."
        )
    pilot = data.portfolio.project(data.pilot_project)
    if pilot is not None:
        if data.exit.light is Light.GRUEN:
            points.append(
                f"{pilot.name}: Die Ausstiegskriterien der Testphase sind erfüllt. Die "
                "Stabsstelle bereitet den Übergang in den Regelbetrieb zur Entscheidung im "
                "IV-Beirat vor."
            )
        else:
            points.append(
                f"{pilot.name}: Die Testphase wird fortgesetzt, bis die Ausstiegskriterien "
                "erfüllt sind (Stand der Ampel: " + data.exit.light.value + ")."
            )
    return points


def _project_rows(data: PaperData) -> list[dict[str, Any]]:
    names = data.portfolio.office_names()
    rows = []
    for p in sorted(data.portfolio.projects, key=lambda p: (p.phase.running is False, p.name)):
        upcoming = [m for m in data.portfolio.milestones_of(p.key) if m.done_on is None]
        risks = sorted(
            (r for r in data.portfolio.risks_of(p.key) if r.open), key=lambda r: -r.rating
        )
        rows.append(
            {
                "project": p,
                "since": p.since(),
                "lead": names.get(p.lead_office, p.lead_office),
                "offices": len(p.all_offices),
                "next": upcoming[0] if upcoming else None,
                "risk": risks[0] if risks else None,
                "needs": len(data.portfolio.needs_of(p.key)),
            }
        )
    return rows


def render_html(data: PaperData) -> str:
    """The decision paper as one standalone HTML page."""
    capacity_rows = _quarter_table(data)
    pilot: Project | None = data.portfolio.project(data.pilot_project)
    names = data.portfolio.office_names()
    svg = {name: Markup(value) for name, value in data.charts.items()}
    svg["capacity"] = Markup(_capacity_chart(capacity_rows))
    scores, score_table = _score_chart(data)
    svg["scores"] = Markup(scores)
    tables = {**data.tables, "scores": score_table}
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            d=data,
            m=data.metrics,
            pilot=pilot,
            names=names,
            svg=svg,
            tables=tables,
            capacity_rows=capacity_rows,
            decision_points=_decision_points(data),
            project_rows=_project_rows(data),
            criteria=[
                (CRITERION_LABELS_DE[c], w, data.proposal.weights.share(c))
                for c, w in data.proposal.weights.as_dict().items()
            ],
            decisions=sorted(data.portfolio.decisions, key=lambda d: d.decided_on, reverse=True),
            open_needs=[n for n in data.portfolio.needs if n.project is None],
            Verdict=Verdict,
            Light=Light,
            quarter_label=lambda q: q.label if isinstance(q, Quarter) else str(q),
        )
    )


def render_pdf(
    data: PaperData,
    *,
    chromium: str | os.PathLike[str] | None = None,
    timeout: float = 90.0,
) -> bytes:
    """The decision paper printed to PDF (A4) by headless Chromium."""
    from einvoice.presentation.render.pdf import ChromiumNotFoundError, html_to_pdf

    html = render_html(data)
    try:
        return html_to_pdf(html, chromium=chromium, timeout=timeout)
    except ChromiumNotFoundError as exc:
        raise ChromiumNotFoundError(
            "Für die PDF-Ausgabe der Entscheidungsvorlage wird der Browser Chromium benötigt, "
            "er wurde aber nicht gefunden. Bitte Chromium installieren (Debian/Ubuntu: "
            "apt-get install chromium) oder die Vorlage als HTML ausgeben "
            "(--out vorlage.html)."
        ) from exc
