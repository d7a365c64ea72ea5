"""One limit on the size of every request body, applied before anything reads it.

Starlette reads a form to its end before a route can look at a file's size
(``read_limited`` only sees what is already stored), and a JSON body is read whole into
memory. :class:`BodyLimit` (ASGI middleware, the innermost of the app) therefore answers
413 at once when the declared ``Content-Length`` is over the limit - nothing of the body is
read - and counts the bytes of a body without one (chunked), stopping the request with 413
as soon as they pass it. Two limits:

* ``multipart/form-data`` to the pages (uploads, the Weberfassung with its attachment,
  payment and chart imports) and to the API's upload (:data:`API_UPLOADS`):
  :func:`form_limit` - every file of an upload at its largest (``max_upload_bytes`` x
  ``max_upload_files``) plus room for the form fields. The parser keeps files on disk.
* every other body (JSON, plain forms, and anything to the rest of ``/api/``, which takes
  JSON: FastAPI reads a JSON route's body into memory whatever type it is labelled) is read
  into memory: :data:`MAX_BODY_BYTES`, the largest JSON invoice of ``/api/invoice-entry/``
  (10 MB of attachments as base64).

Browsers get the German error page, ``/api/`` and other clients ``{"detail": ...}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from einvoice.domain.entry_fields import MAX_ATTACHMENTS_BYTES
from einvoice.web.text_input import MAX_FORM_FIELDS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MB = 1024 * 1024
#: The largest body read into memory (JSON, plain forms): a JSON invoice of the API with all
#: its attachments (MAX_ATTACHMENTS_BYTES) as base64 and room for the invoice itself.
MAX_BODY_BYTES = 16 * MB
#: Room for one form field of a multipart post: the longest row field of the Weberfassung
#: (250 characters) at four UTF-8 bytes each, percent-encoded three times that, plus the
#: part's own header lines.
FIELD_ROOM = 4096
#: Room beyond the fields: the few long header fields (note: 2000 characters) and boundaries.
FORM_ROOM = 1 * MB
_ENTRY_API = "/api/invoice-entry/"
#: The API's routes that take a multipart upload; every other ``/api/`` route takes JSON.
API_UPLOADS = frozenset({"/api/submissions"})


def form_limit(max_upload_bytes: int, max_upload_files: int) -> int:
    """The largest multipart body: every file of one upload at its largest, plus every
    form field the largest form (the Weberfassung, MAX_FORM_FIELDS) may have."""
    return max_upload_bytes * max_upload_files + MAX_FORM_FIELDS * FIELD_ROOM + FORM_ROOM


def _megabytes(size: int) -> str:
    text = f"{size / MB:.1f}".removesuffix(".0")
    return text.replace(".", ",")


def _text_de(path: str, multipart: bool, limit: int) -> str:
    if multipart:
        return (
            f"Die gesendeten Daten sind zu groß (höchstens {_megabytes(limit)} MB auf "
            "einmal). Bitte weniger oder kleinere Dateien auf einmal senden."
        )
    text = f"Die Anfrage ist zu groß (höchstens {_megabytes(limit)} MB)."
    if path.startswith(_ENTRY_API):
        text += (
            f" Anlagen dürfen zusammen höchstens {_megabytes(MAX_ATTACHMENTS_BYTES)} MB "
            "haben (als Base64 ein Drittel mehr)."
        )
    return text


class BodyTooLarge(HTTPException):
    """The body passed the limit while it was read: the German 413 of the error handlers."""

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail)


class BodyLimit:
    """ASGI middleware: the request body limit of the whole app (see the module text)."""

    def __init__(self, app: App, form_bytes: int, other_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.form_bytes = form_bytes
        self.other_bytes = other_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        path = str(scope.get("path", ""))
        multipart = kind == b"multipart/form-data" and (
            not path.startswith("/api/") or path in API_UPLOADS
        )
        limit = self.form_bytes if multipart else self.other_bytes
        detail = _text_de(path, multipart, limit)
        declared = headers.get(b"content-length", b"").strip()
        received = 0
        over = False

        async def counted() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise BodyTooLarge(detail)  # the rest is never read
            return message

        async def closing(message: Message) -> None:
            if over and message["type"] == "http.response.start":
                # the server closes the connection after the 413 instead of reading on
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        if declared.isdigit() and int(declared) > limit:
            over = True
            await _refuse(scope, receive, closing, detail)  # before a byte of it is read
            return
        await self.app(scope, counted, closing)


async def _refuse(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
    from einvoice.web.errors import page, wants_html

    request = Request(scope, receive)
    if wants_html(request):
        response = page(request, 413, detail)
    else:
        response = JSONResponse({"detail": detail}, status_code=413)
    await response(scope, receive, send)
