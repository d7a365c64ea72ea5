"""Login, logout, supplier registration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.services.accounts import AccountError, Role, authenticate, create_account
from einvoice.web.deps import optional_user, render
from einvoice.web.security import check_csrf, csrf_token

router = APIRouter(include_in_schema=False)

HOME = {
    Role.SUPPLIER: "/meine-rechnungen",
    Role.CLERK: "/eingang",
    Role.APPROVER: "/eingang",
    Role.DEPARTMENT_ADMIN: "/eingang",
    Role.STABSSTELLE: "/stabsstelle",
    Role.CREDITOR_ACCOUNTING: "/kreditoren",
    Role.ADMIN: "/betrieb",
}


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@router.get("/")
def home(request: Request) -> Response:
    user = optional_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOME[user.role], status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    csrf_token(request)
    return render(request, "login.html", next=_safe_next(next) or "", error=None)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
    next: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token_field)
    client = request.client.host if request.client else "unbekannt"
    try:
        user = authenticate(request.app.state.container.sessions, username, password, client)
    except AccountError as exc:
        return render(
            request, "login.html", status_code=401, next=_safe_next(next) or "", error=str(exc)
        )
    request.session.clear()  # new session id content on login (no fixation)
    request.session["uid"] = user.id
    csrf_token(request)
    return RedirectResponse(_safe_next(next) or HOME[user.role], status_code=303)


@router.post("/logout")
def logout(
    request: Request, csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None
) -> Response:
    check_csrf(request, csrf_token_field)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/registrieren")
def register_form(request: Request) -> Response:
    csrf_token(request)
    return render(request, "register.html", error=None, values={})


@router.post("/registrieren")
def register(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    organisation: Annotated[str, Form()],
    display_name: Annotated[str, Form()],
    email: Annotated[str, Form()],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    check_csrf(request, csrf_token_field)
    values = {
        "username": username,
        "organisation": organisation,
        "display_name": display_name,
        "email": email,
    }
    try:
        user = create_account(
            request.app.state.container.sessions,
            username,
            password,
            Role.SUPPLIER,
            display_name,
            organisation=organisation,
            email=email,
        )
    except AccountError as exc:
        return render(request, "register.html", status_code=400, error=str(exc), values=values)
    request.session.clear()
    request.session["uid"] = user.id
    csrf_token(request)
    return RedirectResponse("/einreichen", status_code=303)
