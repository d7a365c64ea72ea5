"""Assemble the Entscheidungsvorlage: portfolio, prioritisation and live pilot metrics.

:func:`paper_data` reads everything the paper shows; :func:`render` turns it into
HTML or PDF bytes (PDF printed by Chromium, see :mod:`einvoice.presentation.decision_paper`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from einvoice.domain.pilot_exit import ExitThresholds
from einvoice.domain.portfolio import Quarter
from einvoice.domain.prioritisation import Scale, Weights
from einvoice.presentation import decision_paper
from einvoice.services import metrics, portfolio
from einvoice.services.metrics import Context, SessionSource


def paper_data(
    source: SessionSource,
    today: date,
    *,
    thresholds: ExitThresholds | None = None,
    quarters: Sequence[Quarter] | None = None,
    weights: Weights | None = None,
    scale: Scale | None = None,
    city: str = "",
    context: Context | None = None,
) -> decision_paper.PaperData:
    """What the decision paper shows, as of ``today`` (metrics computed now)."""
    context = context or metrics.context_of(source)
    board = metrics.dashboard(source, today, thresholds, context=context)
    planned = tuple(quarters) if quarters else portfolio.planning_quarters(today)
    loaded = portfolio.load(source)
    proposal = portfolio.proposal(source, planned, weights, scale)
    charts = board.charts
    shown = {
        "weekly_volume": charts.weekly_volume,
        "weekly_formats": charts.weekly_formats,
        "accepted_share": charts.accepted_share,
        "time_to_order": charts.time_to_order,
        "formats": charts.formats,
        "rejection_rules": charts.rejection_rules,
        "offices": charts.offices,
    }
    return decision_paper.PaperData(
        city=city or "Stadtverwaltung",
        today=today,
        portfolio=loaded,
        proposal=proposal,
        metrics=board.metrics,
        exit=board.exit,
        thresholds=board.thresholds,
        figures=[(f.label, f.value, f.note) for f in board.figures],
        charts={name: chart.svg for name, chart in shown.items()},
        tables={name: chart.table for name, chart in shown.items()},
        payments=board.payments,
    )


def render(data: decision_paper.PaperData, fmt: str, *, timeout: float = 90.0) -> bytes:
    """``html`` or ``pdf`` bytes of the paper."""
    if fmt == "html":
        return decision_paper.render_html(data).encode("utf-8")
    if fmt == "pdf":
        return decision_paper.render_pdf(data, timeout=timeout)
    raise ValueError(f"Unbekanntes Format „{fmt}“ (html oder pdf).")
