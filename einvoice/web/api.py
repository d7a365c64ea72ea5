"""The JSON API (same services as the pages and the CLI); described at /openapi.json."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, Response, UploadFile
from pydantic import AwareDatetime, BaseModel, Field

from einvoice.domain.values import amount_text
from einvoice.services import submissions, upload
from einvoice.services.accounts import Role, User
from einvoice.services.status import status
from einvoice.web.deps import (
    api_user,
    check_invoice_access,
    do_submit,
    read_limited,
    workflow_status,
)
from einvoice.web.security import STAFF, RecordId, check_csrf, require_role

router = APIRouter(prefix="/api", tags=["api"])

#: An amount as a decimal string with the currency's places ("123.45" for EUR).
Amount = Annotated[
    str,
    Field(
        pattern=r"^-?[0-9]+(\.[0-9]+)?$",
        description="Betrag als Dezimalzahl-Text mit den Nachkommastellen der Währung "
        '(EUR: 2, z. B. "123.45")',
        examples=["123.45"],
    ),
]
#: A moment with its offset (ISO 8601, UTC: ``Z``).
Moment = Annotated[
    AwareDatetime, Field(description="Zeitpunkt nach ISO 8601 mit Zeitzone (UTC: Z)")
]


def _amount(value: Decimal | None, currency: str | None) -> str | None:
    return None if value is None else amount_text(value, currency)


def _moment(value: datetime) -> datetime:
    """The stored moment in UTC (SQLite hands back naive UTC values)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
    amount: Amount | None
    currency: str | None
    findings: list[Finding]


class SubmissionOut(BaseModel):
    message_id: int
    received_at: Moment
    file: str
    documents: list[DocumentOut]


class SubmissionPageOut(BaseModel):
    """One page of the own submissions, newest first; ``next``: the address of the next
    page (also in the ``Link`` header, ``rel="next"``), ``null`` on the last one."""

    total: int
    limit: int
    offset: int
    next: str | None
    items: list[SubmissionOut]


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
        amount=_amount(view.amount, view.currency),
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
        received_at=_moment(view.received_at),
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


@router.get("/submissions", response_model=SubmissionPageOut)
def my_submissions(
    request: Request,
    response: Response,
    user: Annotated[User, Depends(api_user)],
    limit: Annotated[int, Query(ge=1, le=submissions.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    """Die eigenen Einreichungen, neueste zuerst, seitenweise (``limit`` höchstens 200)."""
    require_role(user, [Role.SUPPLIER])
    found = submissions.list_submissions(
        request.app.state.container.pipeline, user.id, workflow_status(request), limit, offset
    )
    following = None
    if offset + len(found.items) < found.total:
        following = str(request.url.include_query_params(limit=limit, offset=offset + limit))
        response.headers["Link"] = f'<{following}>; rel="next"'
    return SubmissionPageOut(
        total=found.total,
        limit=limit,
        offset=offset,
        next=following,
        items=[_submission(v) for v in found.items],
    )


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


# --- staff: the department's invoices -------------------------------------------------------


class HoldOut(BaseModel):
    """A payment hold (issue 12): open while ``cleared_at`` is empty (``holds.HOLD_KEYS``)."""

    code: str
    title: str
    message: str
    since: str
    cleared_by: str | None
    cleared_at: str | None
    clear_reason: str | None


class SupplierOut(BaseModel):
    """The matched creditor of the master data, how it matched, channel and sender
    (``holds.SUPPLIER_KEYS``; ``creditor_id`` ``null``: none matched)."""

    creditor_id: int | None
    creditor_number: str | None
    creditor_name: str | None
    matched_by: str | None
    channel: str | None
    sender: str | None


def _holds_out(holds: Any) -> list[HoldOut]:
    return [HoldOut.model_validate(h.as_json()) for h in holds]


def _supplier_out(c: Any) -> SupplierOut:
    from einvoice.services.holds import SUPPLIER_KEYS

    return SupplierOut.model_validate(c.as_json() if c else dict.fromkeys(SUPPLIER_KEYS))


class QueueItemOut(BaseModel):
    invoice_id: int
    number: str
    seller_name: str  # BT-27
    amount: Amount
    currency: str | None
    status: str
    status_label: str
    received_on: str
    due_date: str | None
    skonto_deadline: str | None
    deadline_status: str
    holds: list[HoldOut]
    supplier: SupplierOut


class InvoiceOut(BaseModel):
    invoice_id: int
    number: str
    seller_name: str  # BT-27
    amount_due: Amount | None
    currency: str | None
    leitweg_id: str | None
    status: str | None
    status_label: str
    department: str | None
    allowed_actions: list[str]
    findings: list[Finding]
    holds: list[HoldOut]
    supplier: SupplierOut


class ActionIn(BaseModel):
    action: str
    comment: str | None = None
    department: str | None = None


def _staff_queue(
    request: Request, user: User, status: str | None, sort: str, held: bool | None = None
) -> Any:
    from einvoice.services import queues
    from einvoice.services.notifications import OPEN_STATUSES
    from einvoice.services.workflow_base import BadRequest

    require_role(user, STAFF)
    filters = queues.QueueFilters(statuses=(status,) if status else OPEN_STATUSES, held=held)
    try:
        return queues.queue(request.app.state.container.pipeline, user.department, filters, sort)
    except BadRequest as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get("/invoices", response_model=list[QueueItemOut])
def invoices(
    request: Request,
    user: Annotated[User, Depends(api_user)],
    status: str | None = None,
    sort: str = "deadline",
    held: bool | None = None,
) -> Any:
    """Die Rechnungen im Eingang des eigenen Amts (Sachbearbeitung, Anordnung);
    ``held=true``: nur mit Zahlungssperre, ``false``: nur ohne; ``sort=held``: gesperrte zuerst."""
    view = _staff_queue(request, user, status, sort, held)
    return [
        QueueItemOut(
            invoice_id=i.invoice_id,
            number=i.number,
            seller_name=i.supplier,
            amount=amount_text(i.amount, i.currency),
            currency=i.currency,
            status=i.status,
            status_label=i.status_label_de,
            received_on=i.received_on.isoformat(),
            due_date=i.due_date.isoformat() if i.due_date else None,
            skonto_deadline=i.skonto_deadline.isoformat() if i.skonto_deadline else None,
            deadline_status=i.deadline_status,
            holds=_holds_out(i.holds),
            supplier=_supplier_out(i.creditor),
        )
        for i in view.items
    ]


@router.get("/invoices/{invoice_id}", response_model=InvoiceOut)
def invoice(
    request: Request, invoice_id: RecordId, user: Annotated[User, Depends(api_user)]
) -> Any:
    check_invoice_access(request, user, invoice_id)
    return _invoice_out(request, user, invoice_id)


def _invoice_out(request: Request, user: User, invoice_id: int) -> InvoiceOut:
    from einvoice.services import queues, workflow

    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    actions: tuple[str, ...] = ()
    if user.role in STAFF and detail.status is not None:
        actions = workflow.allowed_actions_for(pipeline, invoice_id, user.username)
    return InvoiceOut(
        invoice_id=detail.invoice_id,
        number=detail.number,
        seller_name=detail.supplier,
        amount_due=_amount(detail.amount_due, detail.currency),
        currency=detail.currency,
        leitweg_id=detail.leitweg_id,
        status=detail.status,
        status_label=detail.status_label_de,
        department=detail.department,
        allowed_actions=list(actions),
        holds=_holds_out(detail.holds),
        supplier=_supplier_out(detail.creditor),
        findings=[
            Finding(
                rule=f.rule,
                severity=f.severity,
                layer=f.layer,
                message=f.message_de,
                location=f.location,
                terms=list(f.terms),
            )
            for f in detail.findings
        ],
    )


@router.post("/invoices/{invoice_id}/actions", response_model=InvoiceOut)
def invoice_action(
    request: Request,
    invoice_id: RecordId,
    body: ActionIn,
    user: Annotated[User, Depends(api_user)],
) -> Any:
    """Einen Schritt ausführen (confirm_sachlich, confirm_rechnerisch, order, reject,
    return_to_supplier, reassign, comment). CSRF-Kopfzeile ``X-CSRF-Token`` ist Pflicht;
    nicht erlaubte Schritte: 403 mit dem Grund."""
    from einvoice.services import workflow
    from einvoice.services.workflow_base import Refused, WorkflowError

    require_role(user, STAFF)
    check_csrf(request, None)
    check_invoice_access(request, user, invoice_id)
    try:
        workflow.act(
            request.app.state.container.pipeline,
            invoice_id,
            body.action,
            user.username,
            comment=(body.comment or "").strip() or None,
            department=body.department or None,
        )
    except Refused as exc:
        raise HTTPException(403, exc.reason_de) from exc
    except WorkflowError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _invoice_out(request, user, invoice_id)
