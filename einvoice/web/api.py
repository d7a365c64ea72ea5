"""The JSON API (same services as the pages and the CLI); described at /openapi.json."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from pydantic import BaseModel

from einvoice.services import submissions, upload
from einvoice.services.accounts import Role, User
from einvoice.services.status import status
from einvoice.web.app import api_user
from einvoice.web.pages_supplier import do_submit, read_limited, workflow_status
from einvoice.web.security import RecordId, check_csrf, require_role

router = APIRouter(prefix="/api", tags=["api"])


class Finding(BaseModel):
    rule: str
    severity: str
    layer: str
    message: str
    location: str
    terms: list[str]


class DocumentOut(BaseModel):
    document_id: int
    filename: str
    status: str
    reason: str | None
    recommendation: str | None
    invoice_id: int | None
    number: str | None
    amount: Decimal | None
    currency: str | None
    findings: list[Finding]


class SubmissionOut(BaseModel):
    message_id: int
    received_at: str
    file: str
    documents: list[DocumentOut]


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    department: str | None


def _document(view: submissions.DocumentView) -> DocumentOut:
    return DocumentOut(
        document_id=view.document_id,
        filename=view.filename,
        status=view.status,
        reason=view.reason,
        recommendation=view.recommendation,
        invoice_id=view.invoice_id,
        number=view.number,
        amount=view.amount,
        currency=view.currency,
        findings=[
            Finding(
                rule=f.rule,
                severity=f.severity,
                layer=f.layer,
                message=f.message,
                location=f.location,
                terms=list(f.terms),
            )
            for f in view.findings
        ],
    )


def _submission(view: submissions.SubmissionView) -> SubmissionOut:
    return SubmissionOut(
        message_id=view.message_id,
        received_at=view.received_at.isoformat(),
        file=view.source,
        documents=[_document(d) for d in view.documents],
    )


@router.get("/me", response_model=Me)
def me(user: Annotated[User, Depends(api_user)]) -> Me:
    return Me(
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        department=user.department,
    )


@router.get("/submissions", response_model=list[SubmissionOut])
def my_submissions(request: Request, user: Annotated[User, Depends(api_user)]) -> Any:
    require_role(user, [Role.SUPPLIER])
    views = submissions.list_submissions(
        request.app.state.container.pipeline, user.id, workflow_status(request)
    )
    return [_submission(v) for v in views]


@router.get("/submissions/{message_id}", response_model=SubmissionOut)
def one_submission(
    request: Request, message_id: RecordId, user: Annotated[User, Depends(api_user)]
) -> Any:
    require_role(user, [Role.SUPPLIER])
    pipeline = request.app.state.container.pipeline
    if not upload.owns_message(pipeline, message_id, user.id):
        raise HTTPException(404, "Einreichung nicht gefunden.")
    view = submissions.submission(pipeline, message_id, workflow_status(request))
    assert view is not None
    return _submission(view)


@router.post("/submissions", response_model=SubmissionOut, status_code=201)
async def submit(
    request: Request,
    user: Annotated[User, Depends(api_user)],
    file: Annotated[UploadFile, File()],
) -> Any:
    """Eine Rechnung (XML oder PDF) einreichen; Antwort: der Prüfbericht. CSRF-Kopfzeile
    ``X-CSRF-Token`` (aus ``GET /api/csrf``) ist Pflicht."""
    require_role(user, [Role.SUPPLIER])
    check_csrf(request, None)
    data = await read_limited(file, request.app.state.settings.max_upload_bytes)
    if not data:
        raise HTTPException(400, "Leere Datei.")
    result = do_submit(request, user, data, file.filename or "rechnung")
    view = submissions.submission(
        request.app.state.container.pipeline, result.message_id, workflow_status(request)
    )
    assert view is not None
    return _submission(view)


class Csrf(BaseModel):
    csrf_token: str


@router.get("/csrf", response_model=Csrf)
def csrf(request: Request, user: Annotated[User, Depends(api_user)]) -> Csrf:
    from einvoice.web.security import csrf_token

    return Csrf(csrf_token=csrf_token(request))


@router.get("/status")
def pipeline_status(request: Request, user: Annotated[User, Depends(api_user)]) -> Any:
    require_role(user, [Role.ADMIN])
    return status(request.app.state.container.pipeline)
