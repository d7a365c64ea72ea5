"""Error answers: German HTML pages for browsers, JSON for the API and other clients.

Every error a browser can meet - 403, 404 (also of unknown addresses), 422 (a
form or address parameter that does not fit), 500 - is a page in German with
a way back; ``/api/...`` and clients that do not ask for HTML get JSON, always
``{"detail": "<German text>"}`` (a 422 names the field or parameter by its own name).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from einvoice.presentation.render.pdf import RenderBusy
from einvoice.web.deps import render

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait when every PDF render slot is taken.
BUSY_RETRY_AFTER = 5

TITLES_DE = {
    400: "Ungültige Anfrage",
    401: "Anmeldung erforderlich",
    403: "Keine Berechtigung",
    404: "Nicht gefunden",
    405: "Nicht möglich",
    413: "Datei zu groß",
    422: "Eingabe nicht verständlich",
    429: "Zu viele Anfragen",
    500: "Interner Fehler",
    503: "Gerade nicht möglich",
}
DEFAULTS_DE = {
    400: "Die Anfrage ist unvollständig oder fehlerhaft.",
    401: "Bitte melden Sie sich an.",
    403: "Für diese Seite oder Aktion fehlt Ihnen die Berechtigung.",
    404: "Diese Seite gibt es nicht (mehr). Bitte prüfen Sie die Adresse.",
    405: "Diese Aktion ist auf dieser Seite nicht möglich.",
    413: "Die Datei ist zu groß.",
    422: "Die Eingabe passt nicht zum erwarteten Format.",
    429: "Bitte warten Sie einen Moment und versuchen Sie es dann erneut.",
    500: "Bei der Bearbeitung ist ein Fehler aufgetreten. Ihre Daten sind nicht verloren; "
    "bitte versuchen Sie es später erneut. Der Fehler wurde protokolliert.",
}
_ENGLISH_DEFAULTS = {"Not Found", "Method Not Allowed", "Internal Server Error", "Forbidden"}
_FIELDS_DE = {
    "path": "Adresse",
    "query": "Parameter",
    "body": "Formularfeld",
    "header": "Kopfzeile",
}


MULTIPART_DE = (
    "Die gesendeten Formulardaten konnten nicht gelesen werden (z. B. wegen eines sehr "
    "langen Dateinamens). Bitte geben Sie der Datei einen kürzeren Namen und laden Sie sie "
    "erneut hoch."
)
_MULTIPART_DETAILS_DE = {
    "Too many files": "zu viele Dateien auf einmal.",
    "Too many fields": "zu viele Formularfelder.",
    "Part exceeded maximum size": "ein Formularfeld ist zu groß.",
    "Field exceeded maximum size": "ein Formularfeld ist zu groß.",
    "Missing boundary": "die Trennzeile (boundary) der mehrteiligen Daten fehlt.",
}


def multipart_de(message: str) -> str:
    """The German text of a form parsing error (Starlette's English message left to the log)."""
    for start, text in _MULTIPART_DETAILS_DE.items():
        if message.startswith(start):
            return f"Die gesendeten Formulardaten konnten nicht gelesen werden: {text}"
    return MULTIPART_DE


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def page(request: Request, status: int, detail: Any) -> Response:
    text = detail if isinstance(detail, str) and detail not in _ENGLISH_DEFAULTS else None
    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        title=TITLES_DE.get(status, f"Fehler {status}"),
        detail=text or DEFAULTS_DE.get(status, "Die Anfrage konnte nicht bearbeitet werden."),
    )


#: What users call the fields and parameters they can meet in an address or a form.
_NAMES_DE = {
    "q": "Suche",
    "seite": "Seite",
    "comment": "Kommentar",
    "how": "Begründung",
    "reason": "Begründung",
    "display_name": "Name",
    "organisation": "Firma",
    "vat_id": "USt-IdNr.",
    "email": "E-Mail-Adresse",
    "username": "Benutzername",
    "password": "Passwort",
    "iban": "IBAN",
    "bic": "BIC",
    "holder": "Kontoinhaber",
    "creditor": "Kreditorennummer",
}


def _reason_de(error: Any) -> str:
    """Why a value does not fit, in German (pydantic's error type and limits)."""
    kind = str(error.get("type", ""))
    limits = error.get("ctx") or {}
    if kind == "string_too_long" and "max_length" in limits:
        return f"ist zu lang (höchstens {limits['max_length']} Zeichen)"
    if kind in ("int_parsing", "float_parsing", "decimal_parsing"):
        return "ist keine Zahl"
    if kind == "greater_than_equal" and "ge" in limits:
        return f"muss mindestens {limits['ge']} sein"
    if kind == "less_than_equal" and "le" in limits:
        return f"darf höchstens {limits['le']} sein"
    if kind == "missing":
        return "fehlt"
    return "hat keinen gültigen Wert"


def _validation_de(exc: RequestValidationError, *, for_people: bool = True) -> str:
    """What does not fit, in German. For people (pages) in their words ("Suche ist zu
    lang"); for programs (the API) with the field's own name ("Parameter „limit“ ...")."""
    parts = []
    for error in exc.errors()[:5]:
        location = [str(p) for p in error.get("loc", ())]
        if for_people and location[:1] == ["path"]:  # an id the user typed or edited
            parts.append("die Nummer in der Adresse ist ungültig")
            continue
        where = _FIELDS_DE.get(location[0], location[0]) if location else "Eingabe"
        name = location[-1] if len(location) > 1 else ""
        if not name:
            parts.append(f"{where} {_reason_de(error)}")
        elif for_people and name in _NAMES_DE:
            parts.append(f"{_NAMES_DE[name]} {_reason_de(error)}")
        else:
            parts.append(f"{where} „{name}“ {_reason_de(error)}")
    return "Die Eingabe passt nicht: " + "; ".join(parts) + "."


#: The API's error answers in the OpenAPI description: always ``{"detail": "..."}``.
_ERROR_SCHEMA = {
    "title": "HTTPValidationError",
    "type": "object",
    "properties": {
        "detail": {
            "title": "Detail",
            "type": "string",
            "description": "Was nicht passt, auf Deutsch, mit dem Namen des Feldes oder "
            "Parameters (z. B. „Formularfeld „file“ fehlt“)",
        }
    },
    "required": ["detail"],
}


def _describe_errors(app: FastAPI) -> None:
    """The OpenAPI description says what a 422 of the API is: German ``detail`` text."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schemas = original().get("components", {}).get("schemas", {})
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = _ERROR_SCHEMA
                schemas.pop("ValidationError", None)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI) -> None:
    from fastapi.exception_handlers import http_exception_handler

    _describe_errors(app)

    @app.exception_handler(MultiPartException)
    async def _multipart(request: Request, exc: MultiPartException) -> Response:
        return _form_unreadable(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc.__context__, MultiPartException):  # raised by Request.form()
            return _form_unreadable(request, exc.__context__)
        if not wants_html(request):
            return await http_exception_handler(request, exc)
        response = page(request, exc.status_code, exc.detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RenderBusy)
    async def _busy(request: Request, exc: RenderBusy) -> Response:
        headers = {"Retry-After": str(BUSY_RETRY_AFTER)}
        if not wants_html(request):
            return JSONResponse({"detail": str(exc)}, status_code=503, headers=headers)
        response = page(request, 503, str(exc))
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if not wants_html(request):  # German like every API error, naming the field
            where = [(e.get("loc"), e.get("type")) for e in exc.errors()[:5]]  # not the input
            log.info("invalid request %s %s: %s", request.method, request.url.path, where)
            return JSONResponse({"detail": _validation_de(exc, for_people=False)}, 422)
        return page(request, 422, _validation_de(exc))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        if not wants_html(request):
            return JSONResponse({"detail": "Interner Fehler"}, status_code=500)
        try:
            return page(request, 500, None)
        except Exception:  # the error page itself failed (e.g. no session): plain German text
            log.exception("error page failed")
            return Response(
                DEFAULTS_DE[500], status_code=500, media_type="text/plain; charset=utf-8"
            )


def _form_unreadable(request: Request, exc: MultiPartException) -> Response:
    log.info("unreadable form data on %s %s: %s", request.method, request.url.path, exc.message)
    text = multipart_de(exc.message)
    if wants_html(request):
        return page(request, 400, text)
    return JSONResponse({"detail": text}, status_code=400)
