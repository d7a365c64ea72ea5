"""Login, logout, supplier registration with e-mail verification, password reset."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.background import BackgroundTask

from einvoice.services import account_lifecycle, login_throttle, tokens
from einvoice.services import security_log as sec
from einvoice.services.accounts import AccountError, Role, authenticate
from einvoice.web.deps import (
    HOME,
    client_address,
    end_session,
    mail_links,
    optional_user,
    render,
    start_session,
)
from einvoice.web.security import check_csrf, csrf_token

router = APIRouter(include_in_schema=False)

STAFF_ROLES = frozenset(
    {Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN, Role.STABSSTELLE, Role.CREDITOR_ACCOUNTING}
)


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def spend_budget(request: Request) -> None:
    """The per-address request budget of login, registration and reset (429 beyond it)."""
    settings = request.app.state.settings
    address = client_address(request)
    if not login_throttle.spend(
        request.app.state.container.sessions, address, settings.throttle_policy
    ):
        sec.record(
            request.app.state.container.sessions,
            sec.Kind.THROTTLED,
            address=address,
            detail=f"request budget: {request.url.path}",
        )
        raise HTTPException(
            429, "Zu viele Anfragen von Ihrer Adresse. Bitte in einigen Minuten erneut versuchen."
        )


def password_roles(request: Request) -> frozenset[Role]:
    settings = request.app.state.settings
    allowed = {Role.SUPPLIER}
    if settings.staff_password_login:
        allowed |= STAFF_ROLES
    if settings.admin_password_login:
        allowed.add(Role.ADMIN)
    return frozenset(allowed)


@router.get("/")
def home(request: Request) -> Response:
    user = optional_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOME[user.role], status_code=303)


def _login_page(request: Request, status: int = 200, **context: object) -> Response:
    context.setdefault("next", "")
    context.setdefault("error", None)
    context.setdefault("info", None)
    return render(
        request,
        "login.html",
        status_code=status,
        sso=request.app.state.settings.oidc is not None,
        **context,
    )


@router.get("/login")
def login_form(request: Request, next: str | None = None, hinweis: str | None = None) -> Response:
    csrf_token(request)
    info = {
        "abgemeldet": "Sie sind abgemeldet.",
        "passwort": "Ihr Passwort wurde geändert. Bitte melden Sie sich neu an.",
        "bestaetigt": "Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden.",
    }.get(hinweis or "")
    return _login_page(request, next=_safe_next(next) or "", info=info)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=300)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
    next: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token_field)
    spend_budget(request)
    try:
        user = authenticate(
            request.app.state.container.sessions,
            username,
            password,
            client_address(request),
            request.app.state.settings.throttle_policy,
            password_roles=password_roles(request),
        )
    except AccountError as exc:
        return _login_page(request, 401, next=_safe_next(next) or "", error=str(exc))
    response = RedirectResponse(_safe_next(next) or HOME[user.role], status_code=303)
    start_session(request, response, user)
    return response


@router.post("/logout")
def logout(
    request: Request, csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None
) -> Response:
    check_csrf(request, csrf_token_field)
    from einvoice.web.deps import current_session

    live = current_session(request)
    user = optional_user(request)
    provider_url = None
    if live is not None and live.via == "oidc":
        from einvoice.web.oidc import provider_logout_url

        provider_url = provider_logout_url(request, live.id_token)
    response: Response
    if provider_url:
        # The city's provider ends its session too; a page that moves on by itself (a form's
        # redirect to another origin would break the form-action policy).
        response = render(request, "logout_sso.html", provider_url=provider_url, user=None)
    else:
        response = RedirectResponse("/login?hinweis=abgemeldet", status_code=303)
    end_session(request, response)
    if user is not None:
        sec.record(
            request.app.state.container.sessions,
            sec.Kind.LOGOUT,
            account_id=user.id,
            username=user.username,
            address=client_address(request),
        )
    return response


@router.get("/registrieren")
def register_form(request: Request) -> Response:
    csrf_token(request)
    return render(request, "register.html", error=None, values={})


@router.post("/registrieren")
def register(
    request: Request,
    password: Annotated[str, Form(max_length=1000)],
    organisation: Annotated[str, Form(max_length=250)],
    display_name: Annotated[str, Form(max_length=250)],
    email: Annotated[str, Form(max_length=300)],
    vat_id: Annotated[str, Form(max_length=40)] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    check_csrf(request, csrf_token_field)
    spend_budget(request)
    values = {
        "organisation": organisation,
        "display_name": display_name,
        "email": email,
        "vat_id": vat_id,
    }
    links = mail_links(request)
    form = {
        "email": email,
        "password": password,
        "organisation": organisation,
        "display_name": display_name,
        "vat_id": vat_id,
    }
    try:  # what can be said at once is the same for every address ...
        normalised = account_lifecycle.check_registration(links, **form)
    except AccountError as exc:
        return render(request, "register.html", status_code=400, error=str(exc), values=values)
    page = render(
        request,
        "message.html",
        title="Fast geschafft",
        text=(
            f"Wir haben eine E-Mail an {normalised} geschickt. Bitte öffnen Sie den "
            "Link darin, um Ihre E-Mail-Adresse zu bestätigen; danach melden Sie sich mit "
            "dieser Adresse und Ihrem Passwort an."
        ),
    )
    # ... the rest (a new account, or a note to the owner of a taken address) afterwards
    page.background = BackgroundTask(
        account_lifecycle.register_later,
        request.app.state.container.pipeline,
        links,
        client_address(request),
        **form,
    )
    return page


@router.get("/email-bestaetigen")
def verify_email(request: Request, token: str = "") -> Response:
    try:
        account_lifecycle.verify_email(
            request.app.state.container.sessions, mail_links(request).signer, token
        )
    except tokens.TokenError as exc:
        return render(
            request, "message.html", status_code=400, title="Link ungültig", text=str(exc)
        )
    return RedirectResponse("/login?hinweis=bestaetigt", status_code=303)


@router.get("/passwort-vergessen")
def forgot_form(request: Request) -> Response:
    csrf_token(request)
    return render(request, "password_forgot.html")


@router.post("/passwort-vergessen")
def forgot(
    request: Request,
    email: Annotated[str, Form(max_length=300)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    check_csrf(request, csrf_token_field)
    spend_budget(request)
    page = render(
        request,
        "message.html",
        title="E-Mail unterwegs",
        text=(
            "Wenn zu dieser Adresse ein Zugang gehört, haben wir einen Link zum Zurücksetzen "
            "des Passworts geschickt (gültig 1 Stunde)."
        ),
    )
    # looked up and sent after the response: the same time for every address
    page.background = BackgroundTask(
        account_lifecycle.reset_later,
        request.app.state.container.pipeline,
        mail_links(request),
        email,
        client_address(request),
    )
    return page


@router.get("/passwort-neu")
def reset_form(request: Request, token: str = "") -> Response:
    csrf_token(request)
    try:
        account_lifecycle.check_reset_token(
            request.app.state.container.sessions, mail_links(request).signer, token
        )
    except tokens.TokenError as exc:
        return render(
            request, "message.html", status_code=400, title="Link ungültig", text=str(exc)
        )
    return render(request, "password_new.html", token=token, error=None)


@router.post("/passwort-neu")
def reset(
    request: Request,
    token: Annotated[str, Form(max_length=2000)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    check_csrf(request, csrf_token_field)
    spend_budget(request)
    try:
        account_lifecycle.reset_password(
            request.app.state.container.sessions, mail_links(request).signer, token, password
        )
    except tokens.TokenError as exc:
        return render(
            request, "message.html", status_code=400, title="Link ungültig", text=str(exc)
        )
    except AccountError as exc:
        return render(request, "password_new.html", status_code=400, token=token, error=str(exc))
    response = RedirectResponse("/login?hinweis=passwort", status_code=303)
    end_session(request, response, "password_reset")
    return response
