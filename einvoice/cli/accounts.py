"""``einvoice accounts list|deactivate|activate|unlock|role|events|sso-link``: admin tools."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from einvoice.cli.common import container, fail
from einvoice.cli.web import accounts_app

ACTOR = "cli"


def _sessions() -> Any:
    from einvoice.storage import db

    c = container()
    db.upgrade(c.settings.database_url)
    return c.sessions


@accounts_app.command("list")
def list_accounts(
    role: Annotated[str | None, typer.Option(help="Nur diese Rolle.")] = None,
    search: Annotated[str | None, typer.Option(help="Teil des Benutzernamens/Namens.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text oder json")] = "text",
) -> None:
    """Zugänge mit Rolle, Amt, Status, letzter Anmeldung und laufender Anmeldebremse."""
    from einvoice.services import account_admin

    rows = account_admin.list_accounts(_sessions(), role=role, search=search)
    if fmt == "json":
        typer.echo(
            json.dumps(
                [
                    {
                        "username": r.username,
                        "name": r.display_name,
                        "role": r.role.value,
                        "department": r.department,
                        "active": r.active,
                        "verified": r.verified,
                        "sso": r.sso,
                        "last_login": r.last_login_at.isoformat() if r.last_login_at else None,
                        "waiting_seconds": r.waiting_seconds,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for r in rows:
        status = "aktiv" if r.active else "gesperrt"
        last = r.last_login_at.strftime("%Y-%m-%d %H:%M") if r.last_login_at else "nie"
        hold = f"  Bremse {r.waiting_seconds} s" if r.waiting_seconds else ""
        typer.echo(
            f"{r.username:32} {r.role.value:16} {r.department or '-':10} {status:9} "
            f"letzte Anmeldung {last}{hold}"
        )


def _do(action: object) -> None:
    from einvoice.services.accounts import AccountError

    try:
        assert callable(action)
        action()
    except AccountError as exc:
        fail(str(exc), 1)


@accounts_app.command("deactivate")
def deactivate(username: str) -> None:
    """Einen Zugang sperren (seine Sitzungen enden sofort)."""
    from einvoice.services import account_admin

    _do(lambda: account_admin.set_active(_sessions(), username, False, actor=ACTOR))
    typer.echo(f"{username} gesperrt.")


@accounts_app.command("activate")
def activate(username: str) -> None:
    """Einen gesperrten Zugang wieder freigeben."""
    from einvoice.services import account_admin

    _do(lambda: account_admin.set_active(_sessions(), username, True, actor=ACTOR))
    typer.echo(f"{username} entsperrt.")


@accounts_app.command("unlock")
def unlock(username: str) -> None:
    """Die Anmeldebremse eines Zugangs aufheben."""
    from einvoice.services import account_admin

    _do(lambda: account_admin.unlock(_sessions(), username, actor=ACTOR))
    typer.echo(f"Anmeldebremse für {username} aufgehoben.")


@accounts_app.command("role")
def role(
    username: str,
    role: Annotated[str | None, typer.Option(help="Neue Rolle.")] = None,
    department: Annotated[str | None, typer.Option(help="Neues Amt.")] = None,
) -> None:
    """Rolle und/oder Amt ändern (die Sitzungen des Zugangs enden sofort)."""
    from einvoice.services import account_admin
    from einvoice.services.accounts import Role

    try:
        chosen = Role(role) if role else None
    except ValueError:
        fail(f"Unbekannte Rolle {role!r}.")
    _do(
        lambda: account_admin.change_role(
            _sessions(), username, role=chosen, department=department, actor=ACTOR
        )
    )
    typer.echo(f"Rolle/Amt von {username} geändert.")


@accounts_app.command("events")
def events(
    kind: Annotated[str | None, typer.Option(help="z. B. login_failed, throttled")] = None,
    user: Annotated[str | None, typer.Option(help="Benutzername")] = None,
    limit: Annotated[int, typer.Option(help="Anzahl")] = 50,
) -> None:
    """Das Sicherheitsprotokoll (neueste zuerst)."""
    from einvoice.services import security_log

    for e in security_log.events(_sessions(), kind=kind, username=user, limit=limit):
        typer.echo(
            f"{e.at:%Y-%m-%d %H:%M:%S} {e.label_de:32} {e.username:28} {e.address:15} "
            f"{e.actor} {e.detail}"
        )


@accounts_app.command("sso-link")
def sso_link(
    username: str,
    subject: Annotated[
        str,
        typer.Argument(help="Die Kennung 'ISSUER SUB' (steht in der Ablehnung und im Protokoll)."),
    ],
    role: Annotated[str | None, typer.Option(help="Rolle, wenn der Zugang neu ist.")] = None,
    department: Annotated[str | None, typer.Option(help="Amt, wenn der Zugang neu ist.")] = None,
    name: Annotated[str, typer.Option(help="Anzeigename, wenn der Zugang neu ist.")] = "",
) -> None:
    """Eine Person der Freigaberegeln mit ihrer städtischen Anmeldung (Issuer + sub)
    verknüpfen: ihr Name wird nie automatisch aus der Anmeldung übernommen."""
    from einvoice.services import account_admin
    from einvoice.services.accounts import Role

    try:
        chosen = Role(role) if role else None
    except ValueError:
        fail(f"Unbekannte Rolle {role!r}.")
    _do(
        lambda: account_admin.link_sso(
            _sessions(),
            username,
            subject,
            actor=ACTOR,
            role=chosen,
            department=department,
            display_name=name,
        )
    )
    typer.echo(f"{username} ist mit der Anmeldung {subject} verknüpft.")
