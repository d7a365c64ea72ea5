"""``einvoice leitweg check`` and ``einvoice routing check``: Leitweg-IDs and routing file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from einvoice.cli.app import app

leitweg_app = typer.Typer(
    help="Leitweg-IDs (Käuferreferenz BT-10) prüfen.",
    no_args_is_help=True,
    add_completion=False,
)
routing_app = typer.Typer(
    help="Weiterleitung eingehender Rechnungen an die Ämter.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(leitweg_app, name="leitweg")
app.add_typer(routing_app, name="routing")


@leitweg_app.command("check")
def leitweg_check(
    ids: Annotated[
        list[str],
        typer.Argument(help="Eine oder mehrere Leitweg-IDs.", show_default=False),
    ],
) -> None:
    """Leitweg-IDs prüfen: Aufbau und Prüfziffer (ISO 7064 MOD 97-10).

    Exit-Code 0: alle gültig; 1: mindestens eine ungültig.
    """
    from einvoice.domain.leitweg import LeitwegId, parse_leitweg_id

    all_valid = True
    for text in ids:
        result = parse_leitweg_id(text)
        if isinstance(result, LeitwegId):
            fine = f", Feinadressierung {result.fine}" if result.fine else ""
            level = "Bund" if result.is_federal else f"Land {result.land_code}"
            typer.echo(
                f"{result.text}: gültig ({level}, Grobadressierung {result.coarse}{fine}, "
                f"Prüfziffer {result.check})"
            )
        else:
            all_valid = False
            typer.echo(f"{text}: ungültig – {result.message_de}")
    raise typer.Exit(0 if all_valid else 1)


@routing_app.command("check")
def routing_check(
    file: Annotated[
        Path,
        typer.Argument(help="Die Weiterleitungskonfiguration (TOML).", show_default=False),
    ],
) -> None:
    """Die Weiterleitungskonfiguration prüfen: TOML, Schema (version = 1) und Inhalt.

    Exit-Code 0: gültig; 1: fehlerhaft (die Probleme werden mit Fundstelle genannt).
    """
    from einvoice.routing_config import check_routing_config

    config, problems = check_routing_config(file)
    if config is None or problems:
        count = len(problems)
        typer.echo(
            f"{file}: fehlerhaft ({count} Problem{'e' if count != 1 else ''}):",
        )
        for problem in problems:
            typer.echo(f"  - {problem}")
        raise typer.Exit(1)
    explicit = len(config.rules)
    total = len(config.all_rules())
    typer.echo(
        f"{file}: gültig – {len(config.departments)} Ämter, {len(config.people)} Personen, "
        f"{explicit} Regeln ({total} einschließlich der Leitweg-IDs und Kostenstellen der Ämter), "
        f"zentraler Rechnungseingang: {config.fallback_department}."
    )
    raise typer.Exit(0)
