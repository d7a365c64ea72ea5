"""``einvoice rules list``: the rule catalogue."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from typing import Annotated

import typer

from einvoice.cli.app import app
from einvoice.cli.common import print_json

rules_app = typer.Typer(help="Regelkatalog anzeigen.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class RuleLayer(StrEnum):
    national = "national"
    en16931 = "en16931"


@rules_app.command("list")
def list_rules(
    output: Annotated[str, typer.Option("--format", "-f", help="text oder json")] = "text",
    layer: Annotated[
        RuleLayer | None, typer.Option("--layer", help="Nur eine Schicht (national, en16931).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="de oder en")] = "de",
) -> None:
    """Alle Regeln mit Kennung, Schweregrad, Schicht, Szenario und Meldung."""
    from einvoice.formats.catalogue import entries

    chosen = entries(layer.value if layer else None)
    if output == "json":
        print_json([asdict(e) for e in chosen])
        return
    for entry in chosen:
        message = entry.message_en if lang == "en" else entry.message_de
        changed = (
            " (" + ", ".join(f"{k}: {v}" for k, v in entry.overrides.items()) + ")"
            if entry.overrides
            else ""
        )
        typer.echo(
            f"{entry.rule:<24} {entry.severity:<8} {entry.layer:<9} "
            f"{','.join(entry.scenarios)} [{','.join(entry.syntaxes)}]{changed}\n    {message}"
        )
