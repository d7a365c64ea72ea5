"""``einvoice extract``: print invoices in the EN 16931 semantic form (JSON) or as CSV."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from einvoice.cli.app import app
from einvoice.cli.validate import collect


class ExtractFormat(StrEnum):
    json = "json"
    csv = "csv"


@app.command()
def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Rechnungsdateien (XML, PDF) oder Ordner.", show_default=False),
    ],
    output: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="Ausgabeformat.")
    ] = ExtractFormat.json,
) -> None:
    """Rechnungsdaten auslesen: alle Geschäftsbegriffe (BT/BG) und jede Position.

    json: ein Objekt je Rechnung, Schlüssel sind die EN-16931-Kennungen (BT-1, BG-4 ...).

    Mehrere Dateien: ein Array, null an der Stelle einer nicht lesbaren Datei.

    csv: eine Zeile je Rechnungsposition, mit den Kopfdaten für die Rechnungsprüfung.

    Fehlen Pflichtangaben (z. B. BT-1, BT-2) oder ist ein Wert nicht lesbar, wird alles
    Vorhandene trotzdem ausgegeben; "reading" nennt die fehlenden und unlesbaren Angaben,
    ein Hinweis steht zusätzlich auf stderr.

    Exit-Code 0: alle gelesen (auch unvollständige); 1: eine Datei ist keine lesbare
    Rechnung; 2: Aufruffehler.
    """
    from einvoice.domain.completeness import describe_missing
    from einvoice.errors import PermanentError
    from einvoice.formats.extract import read_invoice
    from einvoice.formats.semantic import CSV_COLUMNS, csv_rows, to_semantic

    try:
        files = collect(paths)
    except FileNotFoundError as exc:
        typer.echo(f"Datei oder Ordner nicht gefunden: {exc}", err=True)
        raise typer.Exit(2) from exc
    if not files:
        typer.echo("Keine Rechnungsdateien (*.xml, *.pdf) gefunden.", err=True)
        raise typer.Exit(2)
    objects: list[dict[str, Any] | None] = []
    rows: list[list[str]] = []
    failed = False
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as exc:
            typer.echo(f"Datei kann nicht gelesen werden: {file}: {exc}", err=True)
            raise typer.Exit(2) from exc
        try:
            invoice = read_invoice(data, str(file))
        except PermanentError as exc:
            typer.echo(f"Keine lesbare Rechnung: {exc}", err=True)
            failed = True
            objects.append(None)
            continue
        except Exception as exc:  # a reader bug must not end the run with a traceback
            typer.echo(
                f"Keine lesbare Rechnung: {file}: unerwarteter Fehler beim Lesen "
                f"({type(exc).__name__}: {exc}).",
                err=True,
            )
            failed = True
            objects.append(None)
            continue
        missing = invoice.missing_mandatory_terms
        if missing or invoice.unreadable_values:
            problems = [f"Pflichtangaben fehlen: {describe_missing(missing)}."] if missing else []
            problems += [u.text_de for u in invoice.unreadable_values]
            typer.echo(f"Unvollständige Rechnung {file}: {' '.join(problems)}", err=True)
        if output is ExtractFormat.json:
            objects.append(to_semantic(invoice))
        else:
            rows.extend(csv_rows(invoice, str(file)))
    if output is ExtractFormat.json:
        if len(files) == 1:
            if objects[0] is not None:
                typer.echo(json.dumps(objects[0], ensure_ascii=False, indent=2))
        else:
            typer.echo(json.dumps(objects, ensure_ascii=False, indent=2))
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
    raise typer.Exit(1 if failed else 0)
