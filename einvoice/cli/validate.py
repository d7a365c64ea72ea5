"""``einvoice validate``: check invoices and print a report."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from einvoice.cli.app import app
from einvoice.errors import ConfigurationError


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


class Lang(StrEnum):
    de = "de"
    en = "en"


INVOICE_SUFFIXES = (".xml", ".pdf")


def collect(paths: list[Path]) -> list[Path]:
    """Files named, and the *.xml / *.pdf files below folders named, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in INVOICE_SUFFIXES
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(str(path))
    return files


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Rechnungsdateien (XML, PDF) oder Ordner.", show_default=False),
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Ausgabeformat.")
    ] = OutputFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Sprache der Meldungen.")] = Lang.de,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Bericht in diese Datei schreiben.")
    ] = None,
) -> None:
    """Rechnungen prüfen: XML-Schema, EN 16931, Factur-X/ZUGFeRD, XRechnung.

    Exit-Code 0: alle angenommen; 1: mindestens eine abgelehnt; 2: Aufruf- oder Lesefehler.
    """
    from einvoice import config
    from einvoice.domain.findings import Report
    from einvoice.formats import report_output
    from einvoice.formats.validation import too_large
    from einvoice.formats.validation import validate as run_validation

    try:
        settings = config.load()
        files = collect(paths)
    except ConfigurationError as exc:
        typer.echo(f"Konfigurationsfehler: {exc}", err=True)
        raise typer.Exit(2) from exc
    except FileNotFoundError as exc:
        typer.echo(f"Datei oder Ordner nicht gefunden: {exc}", err=True)
        raise typer.Exit(2) from exc
    if not files:
        typer.echo("Keine Rechnungsdateien (*.xml, *.pdf) gefunden.", err=True)
        raise typer.Exit(2)
    policy = settings.validation
    show_progress = output is OutputFormat.text and sys.stderr.isatty() and len(files) > 1
    reports: list[Report] = []
    for index, file in enumerate(files, 1):
        if show_progress:
            sys.stderr.write(f"\r[{index}/{len(files)}] {file.name[:60]:<60}")
            sys.stderr.flush()
        try:
            size = file.stat().st_size
            if size > policy.max_bytes:
                report = Report(name=str(file))
                report.add([too_large(size, policy.max_bytes)])
            else:
                report = run_validation(file.read_bytes(), name=str(file), policy=policy)
        except OSError as exc:
            typer.echo(f"\nDatei kann nicht gelesen werden: {file}: {exc}", err=True)
            raise typer.Exit(2) from exc
        reports.append(report)
    if show_progress:
        sys.stderr.write("\r" + " " * 70 + "\r")
    if output is OutputFormat.json:
        rendered = report_output.to_json(reports, lang.value)
    elif output is OutputFormat.html:
        rendered = report_output.to_html(reports, lang.value)
    else:
        rendered = report_output.to_text(reports, lang.value)
    if out is not None:
        out.write_text(rendered + "\n", encoding="utf-8")
    else:
        typer.echo(rendered)
    raise typer.Exit(0 if all(r.valid for r in reports) else 1)
