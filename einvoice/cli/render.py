"""``einvoice render``: an invoice as a readable German page (HTML) or as PDF."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from einvoice.cli.app import app


class RenderFormat(StrEnum):
    html = "html"
    pdf = "pdf"


@app.command()
def render(
    path: Annotated[
        Path,
        typer.Argument(help="Rechnungsdatei (XML oder ZUGFeRD-/Factur-X-PDF).", show_default=False),
    ],
    output: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="Ausgabeformat.")
    ] = RenderFormat.html,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="In diese Datei schreiben (sonst Standardausgabe)."),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Seitentitel (sonst Rechnungsart, Nummer, Verkäufer)."),
    ] = None,
) -> None:
    """Rechnung lesbar darstellen: alle Angaben, Positionen, Umsatzsteuer, Zahlung, Skonto, Anlagen.

    html: eine vollständige HTML-Seite ohne externe Inhalte.
    pdf: dieselbe Seite als PDF (A4), gedruckt mit Chromium; mit --out oder umgeleiteter Ausgabe.

    Exit-Code 0: dargestellt; 1: keine lesbare Rechnung; 2: Aufruf-, Lese- oder Schreibfehler.
    """
    from einvoice.errors import PermanentError
    from einvoice.formats.extract import extract as read_invoice
    from einvoice.presentation.render import RenderError, render_html, render_pdf

    if output is RenderFormat.pdf and out is None and sys.stdout.isatty():
        _fail("PDF wird nicht ins Terminal geschrieben: bitte mit --out eine Zieldatei angeben.")
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        _fail(f"Datei nicht gefunden: {path}", exc)
    except OSError as exc:
        _fail(f"Datei kann nicht gelesen werden: {path}: {exc.strerror or exc}", exc)
    try:
        invoice = read_invoice(data, str(path))
    except PermanentError as exc:
        _fail(f"Keine lesbare Rechnung: {exc}", exc, code=1)
    except Exception as exc:  # a reader bug must not end the run with a traceback
        _fail(
            f"Keine lesbare Rechnung: {path}: unerwarteter Fehler beim Lesen "
            f"({type(exc).__name__}: {exc}).",
            exc,
            code=1,
        )
    if output is RenderFormat.html:
        _write(render_html(invoice, title=title).encode("utf-8"), out)
        return
    try:
        pdf = render_pdf(invoice, title=title)
    except RenderError as exc:
        _fail(str(exc), exc)
    _write(pdf, out)


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        _fail(f"Datei kann nicht geschrieben werden: {out}: {exc.strerror or exc}", exc)


def _fail(message: str, cause: BaseException | None = None, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code) from cause
