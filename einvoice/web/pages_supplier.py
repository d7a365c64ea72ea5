"""Supplier pages: submit an invoice, see the report at once, follow the status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from einvoice.services import submissions, upload
from einvoice.services.accounts import Role
from einvoice.web.deps import do_submit, page_user, read_limited, render, workflow_status
from einvoice.web.security import RecordId, check_csrf, require_role

router = APIRouter(include_in_schema=False)


@router.get("/einreichen")
def upload_form(request: Request) -> Response:
    user = page_user(request)
    require_role(user, [Role.SUPPLIER])
    return render(request, "upload.html", error=None, limit_mb=_limit_mb(request))


def _limit_mb(request: Request) -> int:
    limit: int = request.app.state.settings.max_upload_bytes
    return limit // (1024 * 1024)


@router.post("/einreichen")
async def upload_file(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    user = page_user(request)
    require_role(user, [Role.SUPPLIER])
    check_csrf(request, csrf_token_field)
    data = await read_limited(file, request.app.state.settings.max_upload_bytes)
    if not data:
        return render(
            request,
            "upload.html",
            status_code=400,
            error="Bitte eine Rechnungsdatei (XML oder PDF) auswählen.",
            limit_mb=_limit_mb(request),
        )
    result = do_submit(request, user, data, file.filename or "rechnung")
    target = f"/einreichungen/{result.message_id}"
    if not result.new:
        target += "?erneut=1"
    return RedirectResponse(target, status_code=303)


@router.get("/einreichungen/{message_id}")
def submission_page(request: Request, message_id: RecordId, erneut: int = 0) -> Response:
    user = page_user(request)
    require_role(user, [Role.SUPPLIER])
    pipeline = request.app.state.container.pipeline
    if not upload.owns_message(pipeline, message_id, user.id):
        raise HTTPException(404, "Diese Einreichung gibt es nicht (oder sie gehört nicht Ihnen).")
    view = submissions.submission(pipeline, message_id, workflow_status(request))
    return render(request, "submission.html", submission=view, again=bool(erneut))


@router.get("/meine-rechnungen")
def my_invoices(request: Request) -> Response:
    user = page_user(request)
    require_role(user, [Role.SUPPLIER])
    views = submissions.list_submissions(
        request.app.state.container.pipeline, user.id, workflow_status(request)
    )
    return render(request, "my_invoices.html", submissions=views)
