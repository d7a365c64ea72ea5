"""The supplier's files on the invoice page: the original PDF, BG-24 attachments.

A PDF is never handed to the browser's viewer (it would run the supplier's JavaScript,
issue 21, finding 2): the page shows server-rendered pictures of its pages
(:mod:`einvoice.presentation.page_images`, route ``/rechnungen/{id}/seiten/{n}``), and
the file itself is only a download (``Content-Disposition: attachment``, ``nosniff``,
a sandboxing Content-Security-Policy).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from einvoice.presentation.page_images import PageImages, PageSet
from einvoice.web.deps import check_invoice_access, page_user
from einvoice.web.security import RecordId

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PDF_CSP = "sandbox; default-src 'none'"  # should a browser show it anyway: nothing runs
MAX_ATTACHMENTS = 200


@dataclass(frozen=True, slots=True)
class AttachmentView:
    position: int  # 1-based, in document order
    filename: str
    description: str | None  # BT-123
    reference: str | None  # BT-122
    mime: str | None  # BT-125-1
    size: int | None  # bytes; None: only a link (BT-124, never fetched)
    link: str | None  # BT-124
    is_pdf: bool


def is_pdf(data: bytes) -> bool:
    return data[:5] == b"%PDF-"


def attachments(model: Any) -> list[AttachmentView]:
    found: list[AttachmentView] = []
    for n, doc in enumerate(getattr(model, "supporting_documents", ())[:MAX_ATTACHMENTS], 1):
        embedded = doc.attachment
        size: int | None = None
        pdf = False
        if embedded is not None:
            try:
                content = embedded.content
                size, pdf = len(content), is_pdf(content)
            except ValueError:
                size = None
        found.append(
            AttachmentView(
                n,
                (embedded.filename if embedded and embedded.filename else None)
                or doc.reference
                or f"Anlage {n}",
                doc.description,
                doc.reference,
                embedded.mime_code if embedded else None,
                size,
                doc.external_location,
                pdf,
            )
        )
    return found


def _safe(name: str, default: str) -> str:
    cleaned = "".join(c for c in name if c.isalnum() or c in "._-")[:120]
    return cleaned or default


@router.get("/rechnungen/{invoice_id}/pdf")
def original_pdf(request: Request, invoice_id: RecordId) -> Response:
    """The original ZUGFeRD/Factur-X PDF as a download (never shown by the browser)."""
    from einvoice.services import queues

    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    data = pipeline.blobs.get(detail.original_sha256)
    if not is_pdf(data):
        raise HTTPException(404, "Das Original dieser Rechnung ist kein PDF.")
    return _pdf(data, _safe(detail.original_filename, "rechnung.pdf"))


@router.get("/rechnungen/{invoice_id}/anlagen/{position}")
def attachment(
    request: Request, invoice_id: RecordId, position: RecordId, anzeigen: int = 0
) -> Response:
    """One attachment (BT-125) of the invoice, as a download (``anzeigen`` is ignored: a
    PDF attachment is shown as page pictures on the invoice page)."""
    from einvoice.formats.extract import extract
    from einvoice.services import queues

    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    model = extract(pipeline.blobs.get(detail.original_sha256), detail.original_filename)
    docs = getattr(model, "supporting_documents", ())
    if position > len(docs) or docs[position - 1].attachment is None:
        raise HTTPException(404, f"Die Rechnung hat keine Anlage Nr. {position} als Datei.")
    embedded = docs[position - 1].attachment
    try:
        content = embedded.content
    except ValueError as exc:
        raise HTTPException(422, "Die Anlage ist beschädigt (kein gültiges Base64).") from exc
    name = _safe(embedded.filename or f"anlage-{position}", f"anlage-{position}")
    if is_pdf(content):
        return _pdf(content, name)
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": PDF_CSP,
            "X-Content-Type-Options": "nosniff",
        },
    )


def _pdf(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": PDF_CSP,
            "X-Content-Type-Options": "nosniff",
        },
    )


# --- page pictures --------------------------------------------------------------------------


def page_store(request: Request) -> PageImages:
    return PageImages(request.app.state.container.settings.data_dir / "page-images")


@dataclass(frozen=True, slots=True)
class ShownPdf:
    """A PDF the invoice page shows as pictures: where they are and what to call it."""

    pages: PageSet
    base_url: str  # + "/{n}" gives page n
    download_url: str
    label: str  # "Original-PDF" or "PDF-Anlage ..."


def pdf_source(
    request: Request, invoice_id: int, sha256: str, model: Any, anlage: int = 0
) -> tuple[str, Callable[[], bytes]] | None:
    """(SHA-256, bytes reader) of the PDF shown: the original (``anlage=0``) or the
    attachment at that position; None when that is no embedded file."""
    blobs = request.app.state.container.pipeline.blobs
    if anlage == 0:
        return sha256, lambda: blobs.get(sha256)
    docs = getattr(model, "supporting_documents", ())
    if anlage > len(docs) or docs[anlage - 1].attachment is None:
        return None
    try:
        content: bytes = docs[anlage - 1].attachment.content
    except ValueError:
        return None
    return hashlib.sha256(content).hexdigest(), lambda: content


def shown_pdf(
    request: Request,
    invoice_id: int,
    sha256: str,
    original_is_pdf: bool,
    model: Any,
    files: list[AttachmentView],
) -> ShownPdf | None:
    """The PDF the invoice page shows as page pictures: the original when it is one,
    else the first PDF attachment (an XRechnung's visual copy)."""
    blobs = request.app.state.container.pipeline.blobs
    if original_is_pdf:
        anlage, label, download = 0, "PDF des Lieferanten", f"/rechnungen/{invoice_id}/pdf"
    else:
        first = next((f for f in files if f.is_pdf), None)
        if first is None:
            return None
        anlage, label = first.position, f"PDF-Anlage „{first.filename}“"
        download = f"/rechnungen/{invoice_id}/anlagen/{first.position}"
    source = pdf_source(request, invoice_id, sha256, model, anlage)
    if source is None:
        return None
    sha, read = source
    pages = page_store(request).ensure(sha, read, lambda: blobs.exists(sha256), sha256)
    if pages is None:
        return None
    base = f"/rechnungen/{invoice_id}/seiten" + (f"/anlage-{anlage}" if anlage else "")
    return ShownPdf(pages, base, download, label)


def picture_response(picture: bytes | None) -> Response:
    if picture is None:
        raise HTTPException(404, "Diese Seite gibt es nicht (oder sie ist nicht gezeichnet).")
    return Response(
        picture,
        media_type="image/png",
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": PDF_CSP},
    )


def _page_picture(request: Request, invoice_id: int, page: int, anlage: int) -> Response:
    from einvoice.services import queues

    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    sha = detail.original_sha256
    model = None
    if anlage:
        from einvoice.formats.extract import extract

        model = extract(pipeline.blobs.get(sha), detail.original_filename)
    source = pdf_source(request, invoice_id, sha, model, anlage)
    if source is None:
        raise HTTPException(404, f"Die Rechnung hat keine Anlage Nr. {anlage} als Datei.")
    pdf_sha, read = source
    store = page_store(request)
    if store.ensure(pdf_sha, read, lambda: pipeline.blobs.exists(sha), sha) is None:
        raise HTTPException(404, "Das Original dieser Rechnung ist kein PDF (mehr).")
    return picture_response(store.picture(pdf_sha, page))


@router.get("/rechnungen/{invoice_id}/seiten/{page}")
def original_page(request: Request, invoice_id: RecordId, page: RecordId) -> Response:
    """Page ``page`` of the original PDF as a picture (PNG) drawn on the server."""
    return _page_picture(request, invoice_id, page, 0)


@router.get("/rechnungen/{invoice_id}/seiten/anlage-{position}/{page}")
def attachment_page(
    request: Request, invoice_id: RecordId, position: RecordId, page: RecordId
) -> Response:
    """Page ``page`` of the PDF attachment at ``position`` as a picture (PNG)."""
    return _page_picture(request, invoice_id, page, position)
