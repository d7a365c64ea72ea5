"""``einvoice doctor``: check an installation, one line per check."""

from __future__ import annotations

from typing import Annotated

import typer

from einvoice.cli.app import app
from einvoice.cli.common import print_json

SYMBOL = {"ok": "ok     ", "warnung": "WARNUNG", "fehler": "FEHLER "}


@app.command()
def doctor(
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Postfach, dessen Anmeldung geprüft wird (Standard: EINVOICE_MAILBOX).",
        ),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="text oder json.")] = "text",
) -> None:
    """Installation prüfen: Einstellungen, Datenbank, Broker, Blob-Speicher, Regelartefakte,
    Chromium, SMTP und Postfach. Exit-Code 0: alles ok (Warnungen erlaubt), 1: Fehler."""
    from einvoice.ops.doctor import exit_code, run_checks

    checks = run_checks(source=source)
    if output == "json":
        print_json([{"check": c.name, "level": c.level.value, "detail": c.detail} for c in checks])
    else:
        for check in checks:
            typer.echo(f"{SYMBOL[check.level.value]} {check.name:<38} {check.detail}")
        errors = sum(c.level.value == "fehler" for c in checks)
        warnings = sum(c.level.value == "warnung" for c in checks)
        typer.echo(f"\n{len(checks)} Prüfungen: {errors} Fehler, {warnings} Warnungen.")
    raise typer.Exit(exit_code(checks))
