"""Administrators: accounts (list, create, deactivate, unlock, role and Amt) and the
security log with filters."""

from __future__ import annotations

import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.errors import ConfigurationError
from einvoice.services import account_admin, account_lifecycle, login_throttle
from einvoice.services import security_log as sec
from einvoice.services.accounts import AccountError, Role, create_account
from einvoice.web.deps import mail_links, page_user, render, send_after_response
from einvoice.web.security import check_csrf, require_role

logger = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
ROLE_CHOICES = [(r.value, r.label_de) for r in Role]


@router.get("/verwaltung/zugaenge")
def accounts_page(
    request: Request, rolle: str = "", suche: str = "", hinweis: str = "", fehler: str = ""
) -> Response:
    user = page_user(request)
    require_role(user, [Role.ADMIN])
    sessions = request.app.state.container.sessions
    policy = request.app.state.settings.throttle_policy
    offices = _offices(request)
    return render(
        request,
        "admin_accounts.html",
        accounts=account_admin.list_accounts(
            sessions,
            policy,
            role=rolle if rolle in {r.value for r in Role} else None,
            search=suche[:100] or None,
        ),
        holds=[h for h in login_throttle.holds(sessions, policy) if h.wait.total_seconds() > 0],
        roles=ROLE_CHOICES,
        offices=offices,
        office_keys={key for key, _ in offices},
        role=rolle,
        search=suche,
        message=hinweis[:300] or None,
        error=fehler[:300] or None,
    )


def _offices(request: Request) -> list[tuple[str, str]]:
    """The offices of the routing configuration as (key, name), for the Amt choices; empty
    without a configuration (the form then takes the key as text)."""
    workflow = request.app.state.container.pipeline.workflow
    if workflow is None:
        return []
    try:
        routing = workflow.routing()
    except ConfigurationError:
        logger.warning("accounts page without office names: routing configuration unreadable")
        return []
    return [(d.key, d.name) for d in routing.departments]


@router.post("/verwaltung/zugaenge/aktion")
def account_action(
    request: Request,
    username: Annotated[str, Form(max_length=254)],
    action: Annotated[str, Form(max_length=20)],
    role: Annotated[str | None, Form(max_length=32)] = None,
    department: Annotated[str | None, Form(max_length=64)] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from urllib.parse import urlencode

    user = page_user(request)
    require_role(user, [Role.ADMIN])
    check_csrf(request, csrf_token_field)
    sessions = request.app.state.container.sessions
    try:
        if action == "deactivate":
            account_admin.set_active(sessions, username, False, actor=user.username)
            text = f"{username} ist gesperrt; seine Sitzungen sind beendet."
        elif action == "activate":
            account_admin.set_active(sessions, username, True, actor=user.username)
            text = f"{username} ist entsperrt."
        elif action == "unlock":
            account_admin.unlock(sessions, username, actor=user.username)
            text = f"Die Anmeldebremse für {username} ist aufgehoben."
        elif action == "role":
            account_admin.change_role(
                sessions,
                username,
                role=Role(role or ""),
                department=department or "",
                actor=user.username,
            )
            text = f"Rolle/Amt von {username} geändert; seine Sitzungen sind beendet."
        else:
            raise HTTPException(400, "Unbekannte Aktion.")
    except (AccountError, ValueError) as exc:
        query = urlencode({"fehler": str(exc)})
        return RedirectResponse(f"/verwaltung/zugaenge?{query}", status_code=303)
    return RedirectResponse(f"/verwaltung/zugaenge?{urlencode({'hinweis': text})}", status_code=303)


@router.post("/verwaltung/zugaenge/neu")
def account_create(
    request: Request,
    username: Annotated[str, Form(max_length=254)],
    role: Annotated[str, Form(max_length=32)],
    display_name: Annotated[str, Form(max_length=250)],
    department: Annotated[str | None, Form(max_length=64)] = None,
    email: Annotated[str | None, Form(max_length=254)] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from urllib.parse import urlencode

    user = page_user(request)
    require_role(user, [Role.ADMIN])
    check_csrf(request, csrf_token_field)
    password = secrets.token_urlsafe(15)
    try:
        created = create_account(
            request.app.state.container.sessions,
            username,
            password,
            Role(role),
            display_name,
            department=department or None,
            email=email or None,
        )
    except (AccountError, ValueError) as exc:
        return RedirectResponse(
            f"/verwaltung/zugaenge?{urlencode({'fehler': str(exc)})}", status_code=303
        )
    sec.record(
        request.app.state.container.sessions,
        sec.Kind.ACCOUNT_CREATED,
        account_id=created.id,
        username=created.username,
        actor=user.username,
        detail=f"{created.role.value}/{created.department or '-'}",
    )
    links = mail_links(request)
    if created.email and links.mailer is not None:
        # the person sets the first password over a link; nobody else ever sees it
        address = account_lifecycle.send_invitation(
            request.app.state.container.sessions, links, created.id
        )
        text = (
            f"Zugang {created.username} angelegt. Eine Einladung mit einem Link zum Festlegen "
            f"des Passworts (7 Tage gültig) ist an {address} unterwegs."
        )
    else:
        text = (
            f"Zugang {created.username} angelegt. Ohne E-Mail-Adresse (oder ohne "
            "eingerichteten E-Mail-Versand) gibt es keine Einladung: Erstes Passwort (bitte "
            f"sicher weitergeben, es wird nicht wieder angezeigt): {password}"
        )
    page = render(request, "message.html", title="Zugang angelegt", text=text)
    return send_after_response(request, page, links)


@router.get("/verwaltung/sicherheit")
def security_page(
    request: Request, art: str = "", benutzer: str = "", adresse: str = ""
) -> Response:
    user = page_user(request)
    require_role(user, [Role.ADMIN])
    return render(
        request,
        "admin_security.html",
        events=sec.events(
            request.app.state.container.sessions,
            kind=art[:40] or None,
            username=benutzer[:128] or None,
            address=adresse[:64] or None,
        ),
        kinds=list(sec.KIND_LABELS_DE.items()),
        kind=art,
        username=benutzer,
        address=adresse,
    )
