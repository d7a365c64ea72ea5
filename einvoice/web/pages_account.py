"""One's own account: change the password, see the active sessions, sign out everywhere."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.services import account_lifecycle, web_sessions
from einvoice.services import security_log as sec
from einvoice.services.accounts import AccountError
from einvoice.web.deps import client_address, current_session, end_session, page_user, render
from einvoice.web.security import check_csrf

router = APIRouter(include_in_schema=False)


def _page(request: Request, status: int = 200, **context: object) -> Response:
    user = page_user(request)
    live = current_session(request)
    context.setdefault("error", None)
    context.setdefault("message", None)
    return render(
        request,
        "account.html",
        status_code=status,
        sessions=web_sessions.active(
            request.app.state.container.sessions, user.id, request.app.state.settings.session_policy
        ),
        current=live.id if live else None,
        local_password=live is not None and live.via == "password",
        **context,
    )


@router.get("/konto")
def account_page(request: Request) -> Response:
    page_user(request)
    return _page(request)


@router.post("/konto/passwort")
def change_password(
    request: Request,
    current: Annotated[str, Form(max_length=1000)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    user = page_user(request)
    check_csrf(request, csrf_token_field)
    live = current_session(request)
    try:
        account_lifecycle.change_password(
            request.app.state.container.sessions,
            user.id,
            current,
            password,
            keep_session=live.id if live else None,
        )
    except AccountError as exc:
        return _page(request, 400, error=str(exc))
    return _page(request, message="Das Passwort ist geändert; Ihre anderen Sitzungen sind beendet.")


@router.post("/konto/abmelden-ueberall")
def sign_out_everywhere(
    request: Request, csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None
) -> Response:
    user = page_user(request)
    check_csrf(request, csrf_token_field)
    ended = web_sessions.revoke_all(request.app.state.container.sessions, user.id, "everywhere")
    sec.record(
        request.app.state.container.sessions,
        sec.Kind.SESSION_REVOKED,
        account_id=user.id,
        username=user.username,
        address=client_address(request),
        detail=f"sign out everywhere: {ended} session(s)",
    )
    response = RedirectResponse("/login?hinweis=abgemeldet", status_code=303)
    end_session(request, response, "everywhere")
    return response
