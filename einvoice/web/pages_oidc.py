"""Staff single sign-on: /login/sso -> the city's OpenID provider -> /login/sso/antwort."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.services import account_admin
from einvoice.services import security_log as sec
from einvoice.services.accounts import AccountError
from einvoice.web import oidc
from einvoice.web.deps import HOME, client_address, render, start_session

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
CALLBACK = "/login/sso/antwort"


def _client(request: Request) -> Any:
    settings = request.app.state.settings.oidc
    if settings is None:
        raise HTTPException(
            404, "Die städtische Anmeldung (Single Sign-on) ist nicht eingerichtet."
        )
    if getattr(request.app.state, "oidc_client", None) is None:
        request.app.state.oidc_client = oidc.client(settings)
    return request.app.state.oidc_client


@router.get("/login/sso")
async def sso_start(request: Request) -> Response:
    client = _client(request)
    redirect_uri = request.app.state.settings.base_url.rstrip("/") + CALLBACK
    try:
        response: Response = await client.authorize_redirect(request, redirect_uri)
    except Exception as exc:
        log.exception("OpenID provider not reachable")
        raise HTTPException(
            502, "Die städtische Anmeldung ist gerade nicht erreichbar. Bitte später erneut."
        ) from exc
    return response


@router.get(CALLBACK)
async def sso_callback(request: Request) -> Response:
    from authlib.integrations.base_client.errors import OAuthError

    client = _client(request)
    settings = request.app.state.settings
    sessions = request.app.state.container.sessions
    try:
        token = await client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        staff = oidc.staff_claims(settings.oidc, claims)
        user = account_admin.sso_account(
            sessions,
            subject=staff.subject,
            username=staff.username,
            display_name=staff.display_name,
            email=staff.email,
            role=staff.role,
            department=staff.department,
        )
    except (OAuthError, AccountError) as exc:
        sec.record(
            sessions,
            sec.Kind.LOGIN_FAILED,
            address=client_address(request),
            detail=f"sso: {exc}"[:500],
        )
        return render(
            request, "message.html", status_code=403, title="Anmeldung nicht möglich", text=str(exc)
        )
    sec.record(
        sessions,
        sec.Kind.LOGIN_OK,
        account_id=user.id,
        username=user.username,
        address=client_address(request),
        detail="sso",
    )
    response = RedirectResponse(HOME[user.role], status_code=303)
    start_session(request, response, user, via="oidc", id_token=token.get("id_token"))
    return response
