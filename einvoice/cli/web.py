"""``einvoice web`` and ``einvoice accounts``: the web application and its accounts."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from einvoice.cli.app import app
from einvoice.cli.common import container, fail

accounts_app = typer.Typer(help="Zugänge zur Web-Anwendung verwalten.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")


def secret_key(data_dir: Path) -> str:
    """EINVOICE_SECRET_KEY, else a random key made once for this installation (file 0600)."""
    configured = os.environ.get("EINVOICE_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            fail("EINVOICE_SECRET_KEY ist zu kurz (mindestens 32 Zeichen).")
        return configured
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def route_callback(c: Any) -> Any:
    """How an invoice recorded by an upload is handed on to routing."""
    from einvoice import bootstrap
    from einvoice.workers import actors

    actors.register(bootstrap.make_broker(c.settings.broker_url))
    if c.settings.broker_url == "stub":
        return actors.route_invoice  # no separate workers: route at once
    return lambda invoice_id: actors.actors().route.send(invoice_id)


def build_app(c: Any) -> Any:
    from datetime import timedelta

    from einvoice.errors import EinvoiceError
    from einvoice.services.web_sessions import SessionPolicy
    from einvoice.web.app import WebSettings, create_app
    from einvoice.web.oidc import settings_from

    env = os.environ

    def flag(name: str, default: bool) -> bool:
        raw = env.get(name)
        return default if not raw else raw.strip().lower() not in ("0", "false", "no", "nein")

    def minutes(name: str, default: float) -> timedelta:
        raw = env.get(name)
        try:
            value = float(raw) if raw else default
        except ValueError:
            fail(f"{name} muss eine Zahl sein, nicht {raw!r}.")
        if value <= 0:
            fail(f"{name} muss positiv sein.")
        return timedelta(minutes=value)

    try:
        oidc = settings_from(env)
    except EinvoiceError as exc:
        fail(str(exc))
    settings = WebSettings(
        secret_key=secret_key(c.settings.data_dir),
        cookie_secure=flag("EINVOICE_COOKIE_SECURE", True),
        max_upload_bytes=c.settings.validation.max_bytes,
        session_policy=SessionPolicy(
            idle_timeout=minutes("EINVOICE_SESSION_IDLE_MINUTES", 30),
            absolute_lifetime=minutes("EINVOICE_SESSION_HOURS", 10) * 60,
        ),
        base_url=(env.get("EINVOICE_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        hsts=flag("EINVOICE_HSTS", False),
        oidc=oidc,
        staff_password_login=flag("EINVOICE_STAFF_PASSWORD_LOGIN", oidc is None),
        admin_password_login=flag("EINVOICE_ADMIN_PASSWORD_LOGIN", True),
        max_pdf_renders=c.settings.max_pdf_renders,
    )
    return create_app(c, settings, route_callback(c))


@app.command()
def web(
    host: Annotated[str, typer.Option(help="Adresse.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Anzahl Server-Prozesse.")] = 1,
) -> None:
    """Die Web-Anwendung starten (Anmeldung unter /login, API unter /api/)."""
    import uvicorn

    from einvoice.logs import UVICORN_LOG_CONFIG, announce
    from einvoice.storage import db

    level = (os.environ.get("EINVOICE_LOG_LEVEL") or "warning").lower()
    if level not in ("critical", "error", "warning", "info", "debug"):
        level = "warning"
    c = container()
    db.upgrade(c.settings.database_url)
    secret_key(c.settings.data_dir)  # made once, before several processes would race for it
    announce(f"E-Rechnung Web: http://{host}:{port}/login  (Beenden mit Strg+C)")
    if workers > 1:
        uvicorn.run(
            "einvoice.web.factory:app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=level,
            log_config=UVICORN_LOG_CONFIG,  # uvicorn's records go through einvoice's logging
            proxy_headers=False,
        )
        return
    uvicorn.run(
        build_app(c),
        host=host,
        port=port,
        log_level=level,
        log_config=UVICORN_LOG_CONFIG,
        proxy_headers=False,
    )


@accounts_app.command("create")
def create(
    username: Annotated[
        str,
        typer.Argument(
            help="Benutzername (Mitarbeitende: Personen-Id aus der Routing-Konfiguration)."
        ),
    ],
    role: Annotated[
        str,
        typer.Option(
            help="supplier, clerk, approver, department_admin, stabsstelle, "
            "creditor_accounting (Kreditorenbuchhaltung), admin"
        ),
    ],
    name: Annotated[str, typer.Option(help="Anzeigename.")],
    department: Annotated[str | None, typer.Option(help="Amt (für Mitarbeitende).")] = None,
    organisation: Annotated[str | None, typer.Option(help="Firma (für Lieferanten).")] = None,
    email: Annotated[str | None, typer.Option(help="E-Mail-Adresse.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Passwort von der Standardeingabe.")
    ] = False,
) -> None:
    """Einen Zugang anlegen. Ohne --password-stdin wird ein Passwort erzeugt und angezeigt."""
    from einvoice.services.accounts import AccountError, Role, create_account
    from einvoice.storage import db

    try:
        chosen = Role(role)
    except ValueError:
        fail(f"Unbekannte Rolle {role!r}.")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else secrets.token_urlsafe(12)
    c = container()
    db.upgrade(c.settings.database_url)
    try:
        user = create_account(
            c.sessions,
            username,
            password,
            chosen,
            name,
            department=department,
            organisation=organisation,
            email=email,
        )
    except AccountError as exc:
        fail(str(exc), 1)
    typer.echo(f"Zugang {user.username} ({chosen.label_de}) angelegt.")
    if not password_stdin:
        typer.echo(f"Passwort: {password}")
