"""The app factory: wires the container into FastAPI; no business logic here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from einvoice.services.accounts import User, get_user
from einvoice.web.security import SecurityHeaders, csrf_token

HERE = Path(__file__).parent


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    cookie_secure: bool = True
    max_upload_bytes: int = 20 * 1024 * 1024


class LoginRequired(Exception):
    pass


def templates() -> Jinja2Templates:
    engine = Jinja2Templates(directory=str(HERE / "templates"))
    engine.env.autoescape = True
    engine.env.globals["csrf_token"] = csrf_token
    engine.env.filters["money"] = format_money
    engine.env.filters["date_de"] = format_date
    engine.env.filters["percent"] = format_percent
    from einvoice.domain.terms import term_label

    engine.env.globals["term_label"] = term_label
    return engine


def format_money(value: Any, currency: str | None = "EUR") -> str:
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {'€' if currency in (None, 'EUR') else currency}"


def format_percent(value: Any) -> str:
    """``Decimal('2.0000')`` -> ``2``, ``Decimal('2.50')`` -> ``2,5``."""
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    return f"{number:f}".replace(".", ",")


def format_date(value: Any) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        from zoneinfo import ZoneInfo

        if value.tzinfo is None:  # SQLite hands back naive UTC
            from datetime import UTC

            value = value.replace(tzinfo=UTC)
        local: datetime = value.astimezone(ZoneInfo("Europe/Berlin"))
        return local.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    return "" if value is None else str(value)


def create_app(
    container: Any,
    settings: WebSettings,
    on_invoice: Callable[[int], None],
) -> FastAPI:
    app = FastAPI(
        title="E-Rechnung API",
        description="Rechnungseingang der Stadt: Einreichung, Prüfung, Freigabe.",
        version="1",
        docs_url=None,  # the interactive docs load scripts from a CDN: not here
        redoc_url=None,
    )
    app.state.container = container
    app.state.settings = settings
    app.state.on_invoice = on_invoice
    app.state.templates = templates()
    app.state.workflow_status = _workflow_status(container)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="einvoice_session",
        max_age=8 * 3600,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from einvoice.web import (
        api,
        pages_auth,
        pages_ops,
        pages_stabsstelle,
        pages_staff,
        pages_supplier,
    )

    app.include_router(pages_auth.router)
    app.include_router(pages_supplier.router)
    app.include_router(pages_ops.router)
    app.include_router(pages_staff.router)
    app.include_router(pages_stabsstelle.router)
    app.include_router(api.router)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return await http_exception_handler(request, exc)
        return render(
            request,
            "error.html",
            status_code=exc.status_code,
            status=exc.status_code,
            detail=exc.detail,
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return app


def _workflow_status(container: Any) -> Callable[[int], tuple[str, str | None] | None] | None:
    """The supplier-facing approval status, when the workflow is configured."""
    if getattr(container.pipeline, "workflow", None) is None:
        return None
    from einvoice.services.queues import supplier_status

    return lambda invoice_id: supplier_status(container.pipeline, invoice_id)


def optional_user(request: Request) -> User | None:
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        return None
    user: User | None = get_user(request.app.state.container.sessions, user_id)
    return user


def page_user(request: Request) -> User:
    """The logged-in user of an HTML page (else redirect to the login page)."""
    user = optional_user(request)
    if user is None:
        raise LoginRequired()
    return user


def api_user(request: Request) -> User:
    """The logged-in user of an API call (else 401)."""
    user = optional_user(request)
    if user is None:
        raise HTTPException(401, "Anmeldung erforderlich.")
    return user


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("user", optional_user(request))
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code
    )
    return response
