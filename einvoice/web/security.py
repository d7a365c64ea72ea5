"""Sessions, CSRF tokens, security headers and role checks for the web app."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated, Any

from fastapi import HTTPException, Path, Request
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import Response

from einvoice.services.accounts import Role, User

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeaders(BaseHTTPMiddleware):
    def __init__(self, app: Any, hsts: bool = False) -> None:
        super().__init__(app)
        self.hsts = hsts

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        if self.hsts:  # over TLS (or behind a TLS-terminating proxy): EINVOICE_HSTS=1
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    given = submitted or request.headers.get(CSRF_HEADER)
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        raise HTTPException(403, "CSRF-Prüfung fehlgeschlagen: bitte die Seite neu laden.")


def require_role(user: User, roles: Iterable[Role]) -> None:
    if user.role not in set(roles):
        raise HTTPException(403, "Für diese Seite fehlt Ihnen die Berechtigung.")


STAFF = (Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN)

# Database ids in URLs: positive and within a 32-bit integer (larger ones are 422, not 500).
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647)]
