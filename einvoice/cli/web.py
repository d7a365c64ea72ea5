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
    from einvoice.web.app import WebSettings, create_app

    settings = WebSettings(
        secret_key=secret_key(c.settings.data_dir),
        cookie_secure=os.environ.get("EINVOICE_COOKIE_SECURE", "1") not in ("0", "false", "no"),
        max_upload_bytes=c.settings.validation.max_bytes,
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

    from einvoice.storage import db

    c = container()
    db.upgrade(c.settings.database_url)
    secret_key(c.settings.data_dir)  # made once, before several processes would race for it
    typer.echo(f"E-Rechnung Web: http://{host}:{port}/login  (Beenden mit Strg+C)")
    if workers > 1:
        uvicorn.run(
            "einvoice.web.factory:app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            proxy_headers=False,
        )
        return
    uvicorn.run(build_app(c), host=host, port=port, log_level="warning", proxy_headers=False)


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
