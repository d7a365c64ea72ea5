"""``einvoice demo``: the main job on embedded defaults, in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from einvoice.cli.app import app

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@app.command()
def demo(
    samples: Annotated[
        Path, typer.Option("--samples", help="Ordner mit Beispielrechnungen.")
    ] = SAMPLES,
) -> None:
    """Beispielrechnungen aus samples/ prüfen und das Ergebnis je Rechnung zeigen."""
    import einvoice
    from einvoice.cli.validate import collect
    from einvoice.domain.findings import Severity

    try:
        files = collect([samples])
    except FileNotFoundError as exc:
        typer.echo(f"Ordner mit Beispielrechnungen nicht gefunden: {samples}", err=True)
        raise typer.Exit(2) from exc
    if not files:
        typer.echo(f"Keine Beispielrechnungen in {samples}", err=True)
        raise typer.Exit(2)
    typer.echo(f"E-Rechnung Demo: {len(files)} Beispielrechnungen aus {samples}\n")
    accepted = 0
    for file in files:
        report = einvoice.validate(file.read_bytes(), name=file.name)
        errors = [f for f in report.findings if f.severity is Severity.ERROR]
        verdict = "angenommen" if report.valid else "abgelehnt "
        accepted += report.valid
        rel = file.relative_to(samples)
        typer.echo(f"  {verdict}  {rel}  ({report.syntax.value}, {report.scenario.value})")
        for finding in errors[:3]:
            typer.echo(f"              {finding.rule}: {finding.message('de')[:110]}")
        if len(errors) > 3:
            typer.echo(f"              ... und {len(errors) - 3} weitere Fehler")
    typer.echo(f"\n{accepted} von {len(files)} Rechnungen angenommen, "
               f"{len(files) - accepted} abgelehnt.")
    typer.echo("Details: einvoice validate samples/  (oder --format html -o bericht.html)")
