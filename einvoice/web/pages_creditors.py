"""Pages of creditor accounting (Kreditorenbuchhaltung): held invoices, creditors, bank
account verification; and clearing a payment hold from the invoice page (issue 12)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.services.accounts import Role
from einvoice.web.deps import check_invoice_access, page_user, render
from einvoice.web.security import STAFF, RecordId, check_csrf, require_role

router = APIRouter(include_in_schema=False)
KEEPERS = (Role.CREDITOR_ACCOUNTING, Role.ADMIN)


@router.get("/kreditoren")
def creditors_page(request: Request, suche: str = "") -> Response:
    from einvoice.services import creditors, queues

    user = page_user(request)
    require_role(user, KEEPERS)
    pipeline = request.app.state.container.pipeline
    held = queues.queue(pipeline, None, queues.QueueFilters(held=True), "received")
    listing = creditors.list_creditors(pipeline, suche.strip()[:100] or None, limit=50)
    pending = creditors.bindings(pipeline, "pending")
    return render(
        request, "creditors.html", held=held, listing=listing, search=suche, pending=pending
    )


@router.get("/kreditoren/{creditor_id}")
def creditor_page(request: Request, creditor_id: RecordId) -> Response:
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound

    user = page_user(request)
    require_role(user, KEEPERS)
    pipeline = request.app.state.container.pipeline
    try:
        creditor = creditors.find(pipeline, str(creditor_id))
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return render(
        request,
        "creditor.html",
        creditor=creditor,
        history=creditors.history(pipeline, creditor.id),
        message=request.query_params.get("hinweis"),
    )


@router.post("/kreditoren/{creditor_id}/konto-pruefen")
def verify_account(
    request: Request,
    creditor_id: RecordId,
    iban: Annotated[str, Form(max_length=64)],
    how: Annotated[str, Form(max_length=2000)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound, WorkflowError

    user = page_user(request)
    require_role(user, KEEPERS)
    check_csrf(request, csrf_token_field)
    try:
        _, released = creditors.verify_account(
            request.app.state.container.pipeline, creditor_id, iban, user.username, how
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except WorkflowError as exc:
        raise HTTPException(400, str(exc)) from exc
    note = f"geprüft; Sperre aufgehoben bei {len(released.released)} Rechnung(en)"
    if released.kept:
        note += f"; {len(released.kept)} bleiben gesperrt (Vier-Augen-Prinzip)"
    return RedirectResponse(f"/kreditoren/{creditor_id}?hinweis={note}", status_code=303)


@router.post("/rechnungen/{invoice_id}/sperre")
def clear_hold(
    request: Request,
    invoice_id: RecordId,
    code: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=2000)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import holds
    from einvoice.services.workflow_base import NotFound, Refused, WorkflowError

    user = page_user(request)
    require_role(user, (*STAFF, *KEEPERS))
    check_csrf(request, csrf_token_field)
    if user.role is not Role.ADMIN:
        check_invoice_access(request, user, invoice_id)
    try:
        holds.clear(
            request.app.state.container.pipeline,
            invoice_id,
            code,
            user.username,
            reason,
            creditor_accounting=user.role.keeps_creditors,
        )
    except Refused as exc:
        raise HTTPException(403, exc.reason_de) from exc
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except WorkflowError as exc:
        raise HTTPException(400, str(exc)) from exc
    return RedirectResponse(f"/rechnungen/{invoice_id}", status_code=303)
