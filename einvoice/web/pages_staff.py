"""Pages for clerks and approvers: their department's queue and the invoice page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.services.notifications import OPEN_STATUSES
from einvoice.web.deps import check_invoice_access, page_user, render
from einvoice.web.security import STAFF, RecordId, check_csrf, require_role

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
SORTS_DE = {
    "deadline": "nächste Frist",
    "due": "Fälligkeit",
    "skonto": "Skonto-Frist",
    "amount": "Betrag",
    "supplier": "Lieferant",
    "status": "Status",
    "received": "Eingang",
}
STATUS_FILTERS_DE = {
    "": "offene",
    "routed": "zugeordnet",
    "sachlich_richtig": "sachlich richtig",
    "rechnerisch_richtig": "rechnerisch richtig",
    "angeordnet": "angeordnet",
    "exported": "exportiert",
    "rejected": "abgelehnt",
    "returned_to_supplier": "zurück an Lieferant",
}


@dataclass(frozen=True, slots=True)
class Listing:
    status: str
    sort: str
    supplier: str
    deadline: str


def _amount(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation as exc:
        raise HTTPException(400, f"Betrag {text!r} ist keine Zahl.") from exc


@router.get("/eingang")
def queue_page(
    request: Request,
    status: str = "",
    sort: str = "deadline",
    supplier: str = "",
    deadline: str = "",
    min_amount: str | None = None,
    max_amount: str | None = None,
    seite: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    from einvoice.services import queues

    user = page_user(request)
    require_role(user, STAFF)
    if sort.lstrip("-") not in SORTS_DE or status not in STATUS_FILTERS_DE:
        raise HTTPException(400, "Unbekannte Sortierung oder unbekannter Status.")
    if deadline not in ("", "ok", "soon", "overdue", "none"):
        raise HTTPException(400, "Unbekannter Fristfilter.")
    filters = queues.QueueFilters(
        statuses=(status,) if status else OPEN_STATUSES,
        deadline=deadline or None,
        supplier=supplier.strip() or None,
        min_amount=_amount(min_amount),
        max_amount=_amount(max_amount),
    )
    view = queues.queue(
        request.app.state.container.pipeline, user.department, filters, sort, date.today()
    )
    pages = max(1, -(-len(view.items) // PAGE_SIZE))
    page = min(seite, pages)
    shown = view.items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render(
        request,
        "queue.html",
        view=view,
        shown=shown,
        page=page,
        pages=pages,
        listing=Listing(status, sort, supplier, deadline),
        sorts=SORTS_DE,
        statuses=STATUS_FILTERS_DE,
        min_amount=min_amount or "",
        max_amount=max_amount or "",
    )


@router.get("/rechnungen/{invoice_id}")
def invoice_page(request: Request, invoice_id: RecordId) -> Response:
    from einvoice.services import queues, workflow

    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    actions: tuple[str, ...] = ()
    if user.role in STAFF and detail.status is not None:
        actions = workflow.allowed_actions_for(pipeline, invoice_id, user.username)
    return render(
        request,
        "invoice.html",
        detail=detail,
        actions=actions,
        rendering=_rendering(request, detail.original_sha256, detail.original_filename),
        departments=_departments(request),
        message=request.query_params.get("hinweis"),
    )


def _rendering(request: Request, sha256: str, filename: str) -> str | None:
    """The readable rendering (escaped HTML fragment of the project's renderer)."""
    from einvoice.formats.extract import extract
    from einvoice.presentation.render import render_html

    pipeline = request.app.state.container.pipeline
    try:
        invoice = extract(pipeline.blobs.get(sha256), filename)
    except Exception:  # an unreadable original: the page shows the findings instead
        log.warning("invoice original %s cannot be rendered", sha256[:12], exc_info=True)
        return None
    html: str = render_html(invoice, embed=True, inline_css=False)
    return html


def _departments(request: Request) -> list[tuple[str, str]]:
    from einvoice.services.workflow_base import ports_of

    config = ports_of(request.app.state.container.pipeline).routing()
    return [(d.key, d.name) for d in config.departments]


@router.post("/rechnungen/{invoice_id}/aktion")
def invoice_action(
    request: Request,
    invoice_id: RecordId,
    action: Annotated[str, Form()],
    comment: Annotated[str | None, Form()] = None,
    department: Annotated[str | None, Form()] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import workflow
    from einvoice.services.workflow_base import Refused, WorkflowError

    user = page_user(request)
    require_role(user, STAFF)
    check_csrf(request, csrf_token_field)
    check_invoice_access(request, user, invoice_id)
    try:
        workflow.act(
            request.app.state.container.pipeline,
            invoice_id,
            action,
            user.username,
            comment=(comment or "").strip() or None,
            department=department or None,
        )
    except Refused as exc:
        raise HTTPException(403, exc.reason_de) from exc
    except WorkflowError as exc:
        raise HTTPException(400, str(exc)) from exc
    if action == "reassign":  # no longer this department's invoice
        return RedirectResponse("/eingang?hinweis=weitergeleitet", status_code=303)
    return RedirectResponse(f"/rechnungen/{invoice_id}", status_code=303)


@router.get("/rechnungen/{invoice_id}/original")
def original(request: Request, invoice_id: RecordId) -> Response:
    from einvoice.services import queues

    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    data = pipeline.blobs.get(detail.original_sha256)
    is_pdf = data[:5] == b"%PDF-"
    safe_name = "".join(c for c in detail.original_filename if c.isalnum() or c in "._-")
    return Response(
        data,
        media_type="application/pdf" if is_pdf else "application/xml",
        headers={"Content-Disposition": f'attachment; filename="{safe_name or "rechnung"}"'},
    )


@router.get("/darstellung/rechnung.css", include_in_schema=False)
def invoice_css() -> Response:
    from einvoice.presentation.render import invoice_css as css

    return Response(css(), media_type="text/css")
