"""Kontierung on the invoice page, the payment order as PDF, the chart of accounts import.

* ``POST /rechnungen/{id}/kontierung`` - the clerk saves Buchungsstellen, amounts and year;
* ``POST /rechnungen/{id}/kontierung/vorschlag`` - takes a suggestion (one key: the first
  suggestion's button has the focus and ``accesskey="1"``);
* ``GET /rechnungen/{id}/anordnung.pdf`` - the Auszahlungsanordnung, printable;
* ``GET /kontenplan``, ``POST /kontenplan/einlesen`` - creditor accounting (Kämmerei)
  imports the chart of accounts from the finance system (one transaction per file).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from einvoice.services.accounts import Role
from einvoice.web.deps import check_invoice_access, page_user, read_limited, render, uploaded_name
from einvoice.web.downloads import spend_pdf_budget
from einvoice.web.security import STAFF, RecordId, check_csrf, require_role

router = APIRouter(include_in_schema=False)
KEEPERS = (Role.CREDITOR_ACCOUNTING,)
MAX_FILE = 50 * 1024 * 1024
MAX_ROWS = 20


def _back(invoice_id: int, notice: str) -> Response:
    return RedirectResponse(f"/rechnungen/{invoice_id}?hinweis={notice}#kontierung", 303)


def _error(request: Request, user: object, invoice_id: int, text: str, code: int) -> Response:
    from einvoice.web.pages_staff import _invoice_response

    return _invoice_response(request, user, invoice_id, error=text, status_code=code)


@router.post("/rechnungen/{invoice_id}/kontierung")
def save_kontierung(
    request: Request,
    invoice_id: RecordId,
    stelle: Annotated[list[str] | None, Form()] = None,
    art: Annotated[list[str] | None, Form()] = None,
    wert: Annotated[list[str] | None, Form()] = None,
    jahr: Annotated[str | None, Form()] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.domain.kontierung import Basis, SplitRequest
    from einvoice.services import kontierung
    from einvoice.services.workflow_base import Refused

    user = page_user(request)
    require_role(user, STAFF)
    check_csrf(request, csrf_token_field)
    check_invoice_access(request, user, invoice_id)
    keys, kinds, values = stelle or [], art or [], wert or []
    if len(keys) > MAX_ROWS or len(kinds) > MAX_ROWS or len(values) > MAX_ROWS:
        raise HTTPException(422, f"Höchstens {MAX_ROWS} Aufteilungen.")
    requests: list[SplitRequest] = []
    for index, key in enumerate(keys):
        key = key.strip()[:200]
        if not key:
            continue
        kind = kinds[index] if index < len(kinds) else Basis.AMOUNT.value
        try:
            basis = Basis(kind)
        except ValueError:
            return _error(request, user, invoice_id, f"Unbekannte Aufteilungsart „{kind}“.", 422)
        value = (values[index] if index < len(values) else "").strip()[:255]
        requests.append(SplitRequest(key, basis, value))
    year_text = (jahr or "").strip()
    if year_text and not (year_text.isdigit() and len(year_text) == 4):
        return _error(request, user, invoice_id, f"„{year_text[:20]}“ ist kein Jahr.", 422)
    try:
        kontierung.assign(
            request.app.state.container.pipeline,
            invoice_id,
            user.username,
            requests,
            int(year_text) if year_text else None,
        )
    except Refused as exc:
        return _error(request, user, invoice_id, exc.reason_de, 403 if exc.code == "role" else 422)
    return _back(invoice_id, "kontiert")


@router.post("/rechnungen/{invoice_id}/kontierung/vorschlag")
def accept_suggestion(
    request: Request,
    invoice_id: RecordId,
    nr: Annotated[int, Form(ge=1, le=20)] = 1,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import kontierung
    from einvoice.services.workflow_base import Refused

    user = page_user(request)
    require_role(user, STAFF)
    check_csrf(request, csrf_token_field)
    check_invoice_access(request, user, invoice_id)
    try:
        kontierung.accept_suggestion(
            request.app.state.container.pipeline, invoice_id, user.username, nr
        )
    except Refused as exc:
        return _error(request, user, invoice_id, exc.reason_de, 403 if exc.code == "role" else 422)
    return _back(invoice_id, "vorschlag-uebernommen")


@router.get("/rechnungen/{invoice_id}/anordnung.pdf")
def order_pdf(request: Request, invoice_id: RecordId) -> Response:
    from einvoice.errors import PermanentError
    from einvoice.services.auszahlungsanordnung import render_pdf
    from einvoice.services.workflow_base import NotFound

    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    spend_pdf_budget(request, user)
    try:
        data = render_pdf(request.app.state.container.pipeline, invoice_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except PermanentError as exc:
        raise HTTPException(503, str(exc)) from exc
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="auszahlungsanordnung-{invoice_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )


def _chart_page(
    request: Request,
    status: int = 200,
    error: str | None = None,
    problems: tuple[str, ...] = (),
    notice: str | None = None,
) -> Response:
    from einvoice.storage.kontierung_tables import BuchungsstelleRow, ChartImportRow, FundsRow

    pipeline = request.app.state.container.pipeline
    query = (request.query_params.get("q") or "").strip()[:100]
    with pipeline.sessions() as session:
        count = session.scalar(select(func.count()).select_from(BuchungsstelleRow)) or 0
        funds = session.scalar(select(func.count()).select_from(FundsRow)) or 0
        imports = session.scalars(
            select(ChartImportRow).order_by(ChartImportRow.id.desc()).limit(10)
        ).all()
        listing = select(BuchungsstelleRow).order_by(BuchungsstelleRow.key).limit(100)
        if query:
            like = f"%{query.replace('%', '').replace('_', '')}%"
            listing = listing.where(
                BuchungsstelleRow.key.ilike(like) | BuchungsstelleRow.name.ilike(like)
            )
        stellen = session.scalars(listing).all()
    return render(
        request,
        "kontenplan.html",
        status_code=status,
        count=count,
        funds=funds,
        imports=imports,
        stellen=stellen,
        q=query,
        error=error,
        problems=problems,
        notice=notice,
    )


@router.get("/kontenplan")
def chart_page(request: Request) -> Response:
    user = page_user(request)
    require_role(user, KEEPERS)
    return _chart_page(request)


@router.post("/kontenplan/einlesen")
async def import_chart(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services.chart_import import ChartImportError, load_mapping
    from einvoice.services.chart_import import import_chart as run_import
    from einvoice.services.workflow_base import WorkflowError

    user = page_user(request)
    require_role(user, KEEPERS)
    check_csrf(request, csrf_token_field)
    data = await read_limited(file, MAX_FILE)
    name = uploaded_name(file, "kontenplan.csv")
    container = request.app.state.container
    try:
        mapping = load_mapping(container.settings.workflow.chart_columns)
        result = run_import(container.pipeline, data, name, user.username, mapping)
    except ChartImportError as exc:
        return _chart_page(request, 400, exc.message_de, exc.problems)
    except WorkflowError as exc:
        return _chart_page(request, 400, str(exc))
    notice = (
        f"{result.filename}: {result.lines} Zeilen eingelesen – {result.created} Buchungsstellen "
        f"neu, {result.changed} geändert, {result.unchanged} unverändert, {result.funds} Angaben "
        "zu verfügbaren Mitteln."
    )
    return _chart_page(request, notice=notice)
