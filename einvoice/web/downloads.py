"""Safe file downloads: a clean name, the extension from the content, no sniffing, sandboxed."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import Response

from einvoice.domain.throttle import ThrottlePolicy

# Content-Security-Policy of a download: should a browser render it anyway, nothing runs.
DOWNLOAD_CSP = "sandbox; default-src 'none'"
#: The window of an account's PDF budget (WebSettings.pdf_budget downloads in it).
PDF_BUDGET_WINDOW = timedelta(minutes=10)
PDF_BUDGET_DE = (
    "Sie haben in kurzer Zeit sehr viele PDF-Dateien abgerufen. Bitte versuchen Sie es in "
    "einigen Minuten noch einmal."
)


def spend_pdf_budget(request: Request, user: Any) -> None:
    """Count one PDF download (a Chromium run) of the account; a German 429 beyond
    ``pdf_budget`` in PDF_BUDGET_WINDOW. The counter is in the database: every server
    process counts into the same one."""
    from einvoice.services import login_throttle

    policy = ThrottlePolicy(
        request_budget=request.app.state.settings.pdf_budget, budget_window=PDF_BUDGET_WINDOW
    )
    sessions = request.app.state.container.sessions
    if not login_throttle.spend_budget(sessions, f"pdf:{user.id}", policy):
        seconds = int(PDF_BUDGET_WINDOW.total_seconds())
        raise HTTPException(429, PDF_BUDGET_DE, headers={"Retry-After": str(seconds)})


def kind_of(data: bytes) -> tuple[str, str]:
    """(extension, media type) from the bytes, never from the uploaded name."""
    if data[:5] == b"%PDF-":
        return ".pdf", "application/pdf"
    return ".xml", "application/xml"


def clean_stem(filename: str, fallback: str = "rechnung") -> str:
    """The name without its extension, stripped of control, format (bidi) and path characters."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        c
        for c in name
        if unicodedata.category(c)[0] not in ("C", "Z") or c == " "  # Cc, Cf (bidi), Zl, Zp ...
    )
    kept = "".join(c for c in kept if c not in '"<>:|?*;').strip(" .")
    stem = kept.rsplit(".", 1)[0] if "." in kept else kept
    return stem[:120].strip(" .") or fallback


def attachment(data: bytes, filename: str) -> Response:
    """A supplier's file as an attachment: RFC 6266/5987 name (ASCII fallback + UTF-8),
    extension by content, ``nosniff`` and a sandboxing CSP."""
    extension, media_type = kind_of(data)
    return generated_file(data, clean_stem(filename) + extension, media_type)


def generated_file(data: bytes, filename: str, media_type: str) -> Response:
    """A file the city's system made (CSV, the decision paper) as an attachment, with the
    same protections as a supplier's file; ``filename`` is the full name with extension."""
    stem, dot, extension = filename.rpartition(".")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = "".join(c if c.isalnum() or c in "._- " else "_" for c in ascii_stem).strip()
    fallback = (ascii_stem or "rechnung") + dot + extension
    disposition = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": DOWNLOAD_CSP,
        },
    )
