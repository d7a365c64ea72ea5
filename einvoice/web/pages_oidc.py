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
from einvoice.web.oidc_tokens import IdTokenRefused

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


#: What a user reads when the sign-on is refused; the reason goes to the security log.
REFUSED_DE = (
    "Die städtische Anmeldung konnte nicht bestätigt werden. Bitte melden Sie sich erneut an; "
    "wenn es wieder nicht gelingt, wenden Sie sich an die Systemverwaltung."
)
PROVIDER_ERRORS_DE = {
    "mismatching_state": (
        "Die Anmeldung ist abgelaufen oder wurde in einem anderen Fenster begonnen. Bitte "
        "melden Sie sich erneut an."
    ),
    "access_denied": "Die Anmeldung wurde beim städtischen Anmeldedienst abgebrochen.",
    "login_required": "Bitte melden Sie sich beim städtischen Anmeldedienst an.",
}


def _refuse(request: Request, reason: str, text: str = REFUSED_DE) -> Response:
    """A German refusal page (403) and a ``login_failed`` event with the reason."""
    log.warning("single sign-on refused: %s", reason)
    sec.record(
        request.app.state.container.sessions,
        sec.Kind.LOGIN_FAILED,
        address=client_address(request),
        detail=f"sso: {reason}"[:500],
    )
    return render(
        request, "message.html", status_code=403, title="Anmeldung nicht möglich", text=text
    )


@router.get("/login/sso")
async def sso_start(request: Request) -> Response:
    client = _client(request)
    redirect_uri = request.app.state.settings.base_url.rstrip("/") + CALLBACK
    try:
        response: Response = await client.authorize_redirect(request, redirect_uri)
    except IdTokenRefused as exc:  # the discovery document does not fit the configuration
        return _refuse(request, exc.reason)
    except Exception as exc:
        log.exception("OpenID provider not reachable")
        raise HTTPException(
            502, "Die städtische Anmeldung ist gerade nicht erreichbar. Bitte später erneut."
        ) from exc
    return response


async def _staff(request: Request) -> tuple[oidc.StaffClaims, str | None]:
    """The checked claims of this sign-in and the raw ID token; IdTokenRefused otherwise."""
    from authlib.integrations.base_client.errors import OAuthError

    try:
        token = await _client(request).authorize_access_token(request)
    except OAuthError as exc:
        text = PROVIDER_ERRORS_DE.get(str(exc.error), REFUSED_DE)
        raise IdTokenRefused(f"provider: {exc.error}: {exc.description or ''}", text) from exc
    claims = token.get("userinfo")
    if not claims:  # no ID token, or a sign-in this session never started (no nonce)
        raise IdTokenRefused("no verified id token in the answer")
    return oidc.staff_claims(request.app.state.settings.oidc, dict(claims)), token.get("id_token")


@router.get(CALLBACK)
async def sso_callback(request: Request) -> Response:
    import httpx

    _client(request)
    sessions = request.app.state.container.sessions
    try:
        staff, id_token = await _staff(request)
        user = account_admin.sso_account(
            sessions,
            subject=staff.subject,
            username=staff.username,
            display_name=staff.display_name,
            email=staff.email,
            role=staff.role,
            department=staff.department,
            routing_people=_routing_people(request),
        )
    except IdTokenRefused as exc:
        return _refuse(request, exc.reason, exc.text_de or REFUSED_DE)
    except AccountError as exc:
        return _refuse(request, str(exc), str(exc))
    except httpx.HTTPError as exc:
        log.exception("OpenID provider not reachable")
        sec.record(
            sessions,
            sec.Kind.LOGIN_FAILED,
            address=client_address(request),
            detail=f"sso: provider not reachable: {type(exc).__name__}",
        )
        raise HTTPException(
            502, "Die städtische Anmeldung ist gerade nicht erreichbar. Bitte später erneut."
        ) from exc
    sec.record(
        sessions,
        sec.Kind.LOGIN_OK,
        account_id=user.id,
        username=user.username,
        address=client_address(request),
        detail="sso",
    )
    response = RedirectResponse(HOME[user.role], status_code=303)
    start_session(request, response, user, via="oidc", id_token=id_token)
    return response


def _routing_people(request: Request) -> frozenset[str]:
    """The ids of the people in the routing rules (their names are never taken from SSO)."""
    from einvoice.services.workflow_base import ports_of

    pipeline = request.app.state.container.pipeline
    if getattr(pipeline, "workflow", None) is None:
        return frozenset()
    return frozenset(p.id for p in ports_of(pipeline).routing().people)
