"""Supplier pages: submit invoices (several at once), see each report, follow the status,
download one's own originals and reports. Only one's own: another supplier's is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from einvoice.presentation.page_images import PageSet
from einvoice.services import submissions, supplier_portal, upload
from einvoice.services.accounts import Role, User
from einvoice.web import invoice_files
from einvoice.web.deps import do_submit, page_user, read_limited, render, workflow_status
from einvoice.web.downloads import attachment, spend_pdf_budget
from einvoice.web.security import RecordId, check_csrf, require_role

router = APIRouter(include_in_schema=False)


@router.get("/einreichen")
def upload_form(request: Request) -> Response:
    _supplier(request)
    return _form(request)


def _supplier(request: Request) -> User:
    user = page_user(request)
    require_role(user, [Role.SUPPLIER])
    return user


def _form(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    settings = request.app.state.settings
    return render(
        request,
        "upload.html",
        status_code=status_code,
        error=error,
        limit_mb=settings.max_upload_bytes // (1024 * 1024),
        max_files=settings.max_upload_files,
    )


@dataclass(frozen=True, slots=True)
class FileResult:
    """One file of a multi-file upload: its own submission and verdict, or why it was refused."""

    filename: str
    submission: submissions.SubmissionView | None
    again: bool
    refused: str | None = None


@router.post("/einreichen")
async def upload_files(
    request: Request,
    files: Annotated[list[UploadFile] | None, File()] = None,
    file: Annotated[UploadFile | None, File()] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    user = _supplier(request)
    check_csrf(request, csrf_token_field)
    settings = request.app.state.settings
    chosen = [f for f in [*(files or []), *([file] if file else [])] if f.filename or f.size]
    if not chosen:
        return _form(request, "Bitte mindestens eine Rechnungsdatei (XML oder PDF) auswählen.", 400)
    if len(chosen) > settings.max_upload_files:
        return _form(
            request,
            f"Sie haben {len(chosen)} Dateien ausgewählt; auf einmal gehen höchstens "
            f"{settings.max_upload_files}. Bitte in mehreren Schritten einreichen.",
            413,
        )
    results = [await _one(request, user, f) for f in chosen]
    if len(results) == 1:
        (only,) = results
        if only.refused is not None:
            return _form(request, only.refused, 413 if "zu groß" in only.refused else 400)
        assert only.submission is not None
        target = f"/einreichungen/{only.submission.message_id}"
        return RedirectResponse(target + ("?erneut=1" if only.again else ""), status_code=303)
    return render(request, "upload_result.html", results=results)


async def _one(request: Request, user: User, file: UploadFile) -> FileResult:
    name = file.filename or "rechnung"
    try:
        data = await read_limited(file, request.app.state.settings.max_upload_bytes)
    except HTTPException as exc:
        return FileResult(name, None, False, f"{name}: {exc.detail}")
    if not data:
        return FileResult(name, None, False, f"{name}: Die Datei ist leer.")
    result = do_submit(request, user, data, name)
    view = submissions.submission(
        request.app.state.container.pipeline, result.message_id, workflow_status(request)
    )
    return FileResult(name, view, not result.new)


@router.get("/einreichungen/{message_id}")
def submission_page(request: Request, message_id: RecordId, erneut: int = 0) -> Response:
    user = _supplier(request)
    pipeline = request.app.state.container.pipeline
    if not upload.owns_message(pipeline, message_id, user.id):
        raise HTTPException(404, "Diese Einreichung gibt es nicht (oder sie gehört nicht Ihnen).")
    view = submissions.submission(pipeline, message_id, workflow_status(request))
    pictures = {}  # a PDF as pictures drawn on the server: nothing of it runs in the browser
    for d in view.documents if view is not None else ():
        own = supplier_portal.own_document(pipeline, user.id, d.document_id)
        if own is None:
            continue
        pages = _pictures(request, own.sha256)
        if pages is not None:
            base = f"/meine-rechnungen/{d.document_id}"
            pictures[d.document_id] = invoice_files.ShownPdf(
                pages, base + "/seiten", base + "/original", "Ihre PDF-Datei"
            )
    return render(
        request, "submission.html", submission=view, again=bool(erneut), pictures=pictures
    )


@router.get("/meine-rechnungen")
def my_invoices(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    stand: Annotated[str, Query(max_length=32)] = "",
    seite: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> Response:
    user = _supplier(request)
    query = supplier_portal.SubmissionQuery(q.strip(), stand, seite)
    page = supplier_portal.search(
        request.app.state.container.pipeline, user.id, query, workflow_status(request)
    )
    return render(
        request,
        "my_invoices.html",
        page=page,
        query=query,
        state_filters=supplier_portal.STATE_FILTERS,
    )


def _own(request: Request, document_id: int) -> supplier_portal.OwnDocument:
    user = _supplier(request)
    found = supplier_portal.own_document(request.app.state.container.pipeline, user.id, document_id)
    if found is None:
        raise HTTPException(404, "Diese Datei gibt es nicht (oder sie gehört nicht Ihnen).")
    return found


@router.get("/meine-rechnungen/{document_id}/original")
def own_original(request: Request, document_id: RecordId) -> Response:
    own = _own(request, document_id)
    data = request.app.state.container.pipeline.blobs.get(own.sha256)
    return attachment(data, own.filename)


@router.get("/meine-rechnungen/{document_id}/seiten/{page}")
def own_page(request: Request, document_id: RecordId, page: RecordId) -> Response:
    """Page ``page`` of one's own PDF as a picture (PNG) drawn on the server."""
    own = _own(request, document_id)
    if _pictures(request, own.sha256) is None:
        raise HTTPException(404, "Diese Datei ist kein PDF (mehr).")
    return invoice_files.picture_response(
        invoice_files.page_store(request).picture(own.sha256, page)
    )


def _pictures(request: Request, sha: str) -> PageSet | None:
    blobs = request.app.state.container.pipeline.blobs
    return invoice_files.page_store(request).ensure(
        sha, lambda: blobs.get(sha), lambda: blobs.exists(sha)
    )


def _issuer(request: Request) -> Any:
    """The city that issues a supplier's report and its invoice receipt's address."""
    import os

    from einvoice.formats.report_output import Issuer

    try:
        config = request.app.state.container.pipeline.workflow.routing()
        central = config.department(config.fallback_department)
        city, contact = config.name or "Stadtverwaltung", central.email if central else None
    except Exception:  # no routing configuration: the report still says who issues it
        city, contact = "Stadtverwaltung", None
    base = os.environ.get("EINVOICE_BASE_URL", "").rstrip("/")
    return Issuer(city, contact or None, f"{base}/meine-rechnungen" if base else None)


@router.get("/meine-rechnungen/{document_id}/pruefbericht.pdf")
def own_report_pdf(request: Request, document_id: RecordId) -> Response:
    """The validation report as given on arrival, printed to PDF by Chromium."""
    from einvoice.formats.report_output import to_supplier_html
    from einvoice.presentation.render.pdf import RenderError, html_to_pdf

    own = _own(request, document_id)
    report = supplier_portal.stored_report(request.app.state.container.pipeline, own.document_id)
    spend_pdf_budget(request, page_user(request))
    try:
        pdf = html_to_pdf(to_supplier_html(report, _issuer(request)), timeout=60.0)
    except RenderError as exc:
        raise HTTPException(
            503, f"Der Prüfbericht kann gerade nicht als PDF erzeugt werden: {exc}"
        ) from exc
    return attachment(pdf, f"Pruefbericht {own.number or own.filename}")
