"""Operations page for system admins: queue depths, failures with retry, mailbox polls."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.services import arrival_rejections, outbox, process
from einvoice.services.accounts import Role
from einvoice.services.status import failures, status, unreadable
from einvoice.web.deps import page_user, render
from einvoice.web.security import RecordId, check_csrf, require_role

router = APIRouter(include_in_schema=False)


@router.get("/betrieb")
def operations(request: Request) -> Response:
    user = page_user(request)
    require_role(user, [Role.ADMIN])
    pipeline = request.app.state.container.pipeline
    return render(
        request,
        "ops.html",
        counts=status(pipeline),
        failures=failures(pipeline),
        unreadable=unreadable(pipeline),
        mail_problems=outbox.problems(pipeline),
        arrival_rejections=arrival_rejections.rejected_on_arrival(pipeline, limit=100),
        arrival_total=arrival_rejections.count(pipeline),
        retried=None,
    )


@router.post("/betrieb/wiederholen/{document_id}")
def retry(
    request: Request,
    document_id: RecordId,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    user = page_user(request)
    require_role(user, [Role.ADMIN])
    check_csrf(request, csrf_token_field)
    pipeline = request.app.state.container.pipeline
    if process.retry(pipeline, document_id):
        outcome = process.process(pipeline, document_id)
        if outcome.invoice_id is not None:
            request.app.state.on_invoice(outcome.invoice_id)
    return RedirectResponse("/betrieb", status_code=303)
