"""The app factory: wires the container into FastAPI; no business logic here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from einvoice.domain.throttle import ThrottlePolicy
from einvoice.presentation.render import pdf
from einvoice.services.web_sessions import SessionPolicy
from einvoice.web import (
    api,
    api_invoice_entry,
    errors,
    favicon,
    invoice_files,
    pages_account,
    pages_admin,
    pages_arrival,
    pages_auth,
    pages_creditor_entry,
    pages_creditors,
    pages_info,
    pages_invoice_entry,
    pages_kontierung,
    pages_oidc,
    pages_ops,
    pages_payments,
    pages_stabsstelle,
    pages_staff,
    pages_supplier,
)
from einvoice.web.body_limit import BodyLimit, form_limit
from einvoice.web.deps import LoginRequired, client_address, optional_user
from einvoice.web.oidc import OidcSettings
from einvoice.web.security import SecurityHeaders
from einvoice.web.templating import templates
from einvoice.web.text_input import refuse_control_characters

HERE = Path(__file__).parent


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    cookie_secure: bool = True
    max_upload_bytes: int = 20 * 1024 * 1024  # per file
    max_upload_files: int = 20  # files in one upload of the supplier portal
    session_policy: SessionPolicy = field(default_factory=SessionPolicy)
    throttle_policy: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    base_url: str = "http://127.0.0.1:8000"  # EINVOICE_BASE_URL: links in e-mails
    hsts: bool = False  # EINVOICE_HSTS: served over TLS (directly or behind a proxy)
    oidc: OidcSettings | None = None  # staff single sign-on
    staff_password_login: bool = True  # False once SSO is set up (suppliers keep passwords)
    admin_password_login: bool = True  # the administrators' fallback; can be switched off
    max_pdf_renders: int = 2  # EINVOICE_MAX_PDF_RENDERS: Chromium processes at once
    pdf_budget: int = 60  # PDF downloads per account and PDF_BUDGET_WINDOW (web.downloads)


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
        # a NUL or other control character in any text input: a German 400, never a 500
        dependencies=[Depends(refuse_control_characters)],
    )
    app.state.container = container
    app.state.settings = settings
    app.state.on_invoice = on_invoice
    app.state.templates = templates()
    app.state.workflow_status = _workflow_status(container)
    pdf.SLOTS.resize(settings.max_pdf_renders)  # one bound per process, every PDF download
    # every request body: a 413 before it is read (the innermost middleware, so the answer
    # has the session's page and the security headers)
    app.add_middleware(
        BodyLimit, form_bytes=form_limit(settings.max_upload_bytes, settings.max_upload_files)
    )
    app.add_middleware(SecurityHeaders, hsts=settings.hsts)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="einvoice_session",
        max_age=None,  # CSRF token and OIDC state only; the login lives server-side
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    app.include_router(pages_auth.router)
    app.include_router(pages_account.router)
    app.include_router(pages_admin.router)
    app.include_router(pages_oidc.router)
    app.include_router(pages_supplier.router)
    app.include_router(pages_invoice_entry.router)
    app.include_router(pages_ops.router)
    app.include_router(pages_arrival.router)
    app.include_router(pages_staff.router)
    app.include_router(invoice_files.router)
    app.include_router(pages_info.router)
    app.include_router(favicon.router)
    app.include_router(pages_creditor_entry.router)  # before /kreditoren/{id}
    app.include_router(pages_creditors.router)
    app.include_router(pages_payments.router)
    app.include_router(pages_kontierung.router)
    app.include_router(pages_stabsstelle.router)
    app.include_router(api.router)
    app.include_router(api_invoice_entry.router)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    errors.install(app)  # German error pages for browsers, JSON for the API
    _log_denials(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        from einvoice.ops.health import readiness

        checks = readiness(container)
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ok" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    return app


def _workflow_status(container: Any) -> Callable[[int], tuple[str, str | None] | None] | None:
    """The supplier-facing approval status, when the workflow is configured."""
    if getattr(container.pipeline, "workflow", None) is None:
        return None
    from einvoice.services.queues import supplier_status

    return lambda invoice_id: supplier_status(container.pipeline, invoice_id)


def _log_denials(app: FastAPI) -> None:
    """Wrap the HTTP error handler: every 403 (CSRF or role) also goes to the security log."""
    from starlette.exceptions import HTTPException as StarletteHTTPException

    answer = app.exception_handlers[StarletteHTTPException]

    async def _http(request: Request, exc: Exception) -> Response:
        if isinstance(exc, StarletteHTTPException) and exc.status_code == 403:
            _log_denied(request, str(exc.detail))
        response: Response = await answer(request, exc)  # type: ignore[misc]
        return response

    app.add_exception_handler(StarletteHTTPException, _http)


def _log_denied(request: Request, detail: str) -> None:
    """CSRF failures and denied requests go to the security log."""
    from einvoice.services import security_log as sec

    try:
        user = optional_user(request)
        kind = sec.Kind.CSRF_FAILED if detail.startswith("CSRF") else sec.Kind.PERMISSION_DENIED
        sec.record(
            request.app.state.container.sessions,
            kind,
            account_id=user.id if user else None,
            username=user.username if user else "",
            address=client_address(request),
            detail=f"{request.method} {request.url.path}"[:500],
        )
    except Exception:  # the answer (403) goes out even when the log cannot be written
        import logging

        logging.getLogger(__name__).exception("security event could not be recorded")
