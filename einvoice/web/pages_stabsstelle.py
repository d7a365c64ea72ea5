"""The Stabsstelle's pages: live pilot metrics of E-Rechnung, the portfolio, the paper."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from einvoice.services.accounts import Role
from einvoice.web.deps import page_user, render
from einvoice.web.downloads import generated_file, spend_pdf_budget
from einvoice.web.security import require_role

router = APIRouter(include_in_schema=False)
READERS = (Role.STABSSTELLE,)
MAX_TRACED = 500


def _board(request: Request) -> object:
    """The dashboard, reused while the data are unchanged (a cheap fingerprint decides)."""
    from einvoice.services.metrics_cache import DashboardCache

    cache = getattr(request.app.state, "dashboard_cache", None)
    if cache is None:
        cache = request.app.state.dashboard_cache = DashboardCache(max_age=60)
    return cache.dashboard(request.app.state.container.pipeline, _today(request))


def _today(request: Request) -> date:
    """Today in the city (Europe/Berlin), not on the server's UTC clock: between midnight
    in Berlin and 01:00 UTC's date is yesterday's, and the board missed the new week."""
    from einvoice.services.workflow_base import now_local

    return now_local(request.app.state.container.pipeline).date()


@router.get("/stabsstelle")
def dashboard_page(request: Request) -> Response:
    user = page_user(request)
    require_role(user, READERS)
    board = _board(request)
    portfolio = _portfolio(request)
    return render(request, "stabsstelle.html", board=board, portfolio=portfolio)


def _portfolio(request: Request) -> object | None:
    """The ranked proposal, when a portfolio exists (else None: the page says how to seed)."""
    from einvoice.services import portfolio

    sessions = request.app.state.container.sessions
    loaded = portfolio.load(sessions)
    if not loaded.projects:
        return None
    quarters = portfolio.planning_quarters(_today(request))
    return {"portfolio": loaded, "proposal": portfolio.proposal(sessions, quarters)}


@router.get("/stabsstelle/beleg/{key}")
def trace_page(request: Request, key: str) -> Response:
    """The invoices behind one figure of the dashboard (every figure is traceable)."""
    from sqlalchemy import select

    from einvoice.services.metrics import trace, trace_label_de
    from einvoice.storage.tables import Invoice

    user = page_user(request)
    require_role(user, READERS)
    if len(key) > 100:
        raise HTTPException(404, "Unbekannte Kennzahl.")
    try:
        found = trace(request.app.state.container.pipeline, key, _today(request))
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from exc
    ids = found.invoice_ids[:MAX_TRACED]
    with request.app.state.container.sessions() as session:
        rows = session.execute(
            select(
                Invoice.id,
                Invoice.number,
                Invoice.seller_name,
                Invoice.total_with_vat,
                Invoice.currency,
                Invoice.issue_date,
                Invoice.recommendation,
            )
            .where(Invoice.id.in_(ids))
            .order_by(Invoice.id)
        ).all()
    label = trace_label_de(key, _office_names(request))
    return render(
        request, "stabsstelle_beleg.html", label=label, trace=found, rows=rows, limit=MAX_TRACED
    )


def _office_names(request: Request) -> dict[str, str]:
    try:
        config = request.app.state.container.pipeline.workflow.routing()
    except Exception:  # no routing configuration: the keys are better than no page
        return {}
    return {d.key: d.name for d in config.departments}


@router.get("/stabsstelle/kennzahlen.csv")
def metrics_csv(request: Request) -> Response:
    from einvoice.services.metrics import metrics_csv as rows_of

    user = page_user(request)
    require_role(user, READERS)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows_of(_board(request)):  # type: ignore[arg-type]
        writer.writerow(row)
    return generated_file(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        "e-rechnung-kennzahlen.csv",
        "text/csv; charset=utf-8",
    )


@router.get("/stabsstelle/entscheidungsvorlage.{kind}")
def decision_paper(request: Request, kind: str) -> Response:
    """The decision paper for the mayor, computed now (PDF printed by Chromium, or HTML)."""
    from einvoice.presentation import decision_paper as paper
    from einvoice.presentation.render.pdf import ChromiumNotFoundError
    from einvoice.services.decision_paper import paper_data

    user = page_user(request)
    require_role(user, READERS)
    if kind not in ("pdf", "html"):
        raise HTTPException(404, "Nur PDF oder HTML.")
    today = _today(request)
    data = paper_data(request.app.state.container.pipeline, today)
    name = f"entscheidungsvorlage-{today:%Y-%m-%d}.{kind}"
    if kind == "html":
        html = paper.render_html(data).encode("utf-8")
        return generated_file(html, name, "text/html; charset=utf-8")
    spend_pdf_budget(request, user)
    try:
        pdf = paper.render_pdf(data)
    except ChromiumNotFoundError as exc:
        raise HTTPException(503, str(exc)) from exc
    return generated_file(pdf, name, "application/pdf")
