"""The supplier's files on the invoice page: the original PDF shown inline, BG-24 attachments.

The PDF is answered with its own, stricter Content-Security-Policy: nothing may
load from it (``default-src 'none'``), and only our own pages may frame it
(``frame-ancestors 'self'``), so the browser's built-in viewer shows it in the
invoice page's ``<iframe>``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from einvoice.web.deps import check_invoice_access, page_user
from einvoice.web.security import RecordId

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PDF_CSP = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
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
    """The original ZUGFeRD/Factur-X PDF, inline for the browser's viewer."""
    from einvoice.services import queues

    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    data = pipeline.blobs.get(detail.original_sha256)
    if not is_pdf(data):
        raise HTTPException(404, "Das Original dieser Rechnung ist kein PDF.")
    return _pdf(data, _safe(detail.original_filename, "rechnung.pdf"), inline=True)


@router.get("/rechnungen/{invoice_id}/anlagen/{position}")
def attachment(
    request: Request, invoice_id: RecordId, position: RecordId, anzeigen: int = 0
) -> Response:
    """One attachment (BT-125) of the invoice; PDFs may be shown inline (``anzeigen=1``)."""
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
        return _pdf(content, name, inline=bool(anzeigen))
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def _pdf(data: bytes, name: str, *, inline: bool) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{name}"',
            "Content-Security-Policy": PDF_CSP,
            "X-Frame-Options": "SAMEORIGIN",
        },
    )
