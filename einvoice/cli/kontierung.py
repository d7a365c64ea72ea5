"""Chart of accounts and Kontierung: ``einvoice kontenplan ...``, ``einvoice kontierung ...``.

Exit codes: 0 done; 1 not allowed / not found / file not imported; 2 wrong use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from einvoice.cli.app import app
from einvoice.cli.common import city_time, fail, print_json
from einvoice.cli.suppliers import AsOption, _keeper
from einvoice.cli.workflow import _call, _pipeline, money
from einvoice.domain.kontierung import Basis, SplitRequest
from einvoice.presentation.plurals import count_de

chart_app = typer.Typer(
    help="Kontenplan (Buchungsstellen) aus dem Finanzverfahren einlesen und ansehen.",
    no_args_is_help=True,
)
kont_app = typer.Typer(
    help="Kontierung einer Rechnung: Buchungsstellen, Beträge, Haushaltsjahr; Anordnung.",
    no_args_is_help=True,
)
app.add_typer(chart_app, name="kontenplan")
app.add_typer(kont_app, name="kontierung")

PERSON_HELP = "Wer handelt: Person der Weiterleitungskonfiguration (Sachbearbeitung des Amts)."


@chart_app.command("import")
def chart_import(
    file: Annotated[Path, typer.Argument(help="CSV-Datei des Finanzverfahrens.", exists=True)],
    actor: AsOption,
    columns: Annotated[
        Path | None,
        typer.Option(
            "--spalten",
            help='TOML-Datei mit der Spaltenzuordnung ([spalten] produkt = "Produkt" ...); '
            "ohne: EINVOICE_KONTENPLAN_SPALTEN oder die Standardnamen.",
        ),
    ] = None,
) -> None:
    """Kontenplan einlesen: alle Zeilen oder keine (eine Transaktion je Datei)."""
    from einvoice.cli.common import container
    from einvoice.services.chart_import import ChartImportError, import_chart, load_mapping

    c = container()
    pipeline = c.pipeline
    who = _keeper(pipeline, actor)
    try:
        mapping = load_mapping(columns or c.settings.workflow.chart_columns)
        result = _call(lambda: import_chart(pipeline, file.read_bytes(), file.name, who, mapping))
    except ChartImportError as exc:
        typer.echo(exc.message_de, err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{result.filename}: {result.lines} Zeilen, {result.created} Buchungsstellen neu, "
        f"{result.changed} geändert, {result.unchanged} unverändert, "
        f"{result.funds} Angaben zu verfügbaren Mitteln."
    )
    if result.ignored_columns:
        typer.echo(f"Nicht verwendete Spalten: {', '.join(result.ignored_columns)}")


@kont_app.command("show")
def show(
    invoice_id: int,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON ausgeben.")] = False,
) -> None:
    """Kontierung, Prüfung für die Anordnung und Vorschläge einer Rechnung."""
    from einvoice.services.kontierung import view

    v = _call(lambda: view(_pipeline(), invoice_id))
    if as_json:
        print_json(
            {
                "invoice_id": v.invoice_id,
                "haushaltsjahr": v.year,
                "vorgabe_haushaltsjahr": v.default_year,
                "zahlbetrag": format(v.amount_due, "f"),
                "aufteilung": [
                    {"buchungsstelle": s.key, "betrag": format(s.amount, "f"), "art": s.basis}
                    for s in v.splits
                ],
                "probleme": list(v.check.problems),
                "warnungen": list(v.check.warnings),
                "vorschlaege": [
                    {"nr": g.index, "quelle": g.source_de, "teile": [list(p) for p in g.parts]}
                    for g in v.suggestions
                ],
            }
        )
        return
    typer.echo(f"Rechnung {v.invoice_id}: Zahlbetrag {money(v.amount_due, v.currency)}")
    typer.echo(f"Haushaltsjahr: {v.year or '–'} (Vorgabe {v.default_year})")
    for s in v.splits:
        typer.echo(f"  {s.position}. {s.key}  {money(s.amount, v.currency)}  {s.name}")
    if v.assigned_by and v.assigned_at:
        typer.echo(f"Kontiert von {v.assigned_by} am {city_time(v.assigned_at)} ({v.source})")
    for problem in v.check.problems:
        typer.echo(f"Fehlt: {problem}")
    for warning in v.check.warnings:
        typer.echo(f"Hinweis: {warning}")
    for g in v.suggestions:
        parts = ", ".join(f"{key} {share} %" for key, _, share in g.parts)
        typer.echo(f"Vorschlag {g.index}: {parts}  (aus {g.source_de})")


@kont_app.command("set")
def set_kontierung(
    invoice_id: int,
    actor: Annotated[str, typer.Option("--as", help=PERSON_HELP, show_default=False)],
    split: Annotated[
        list[str],
        typer.Option(
            "--stelle",
            help="Buchungsstelle und Anteil: KEY=123,45 (Betrag), KEY=40% , "
            "KEY=zeilen:1,2 , KEY=satz:19 , oder KEY allein (Restbetrag). Mehrfach möglich.",
        ),
    ],
    year: Annotated[int | None, typer.Option("--jahr", help="Haushaltsjahr.")] = None,
) -> None:
    """Buchungsstellen zuweisen (ersetzt die bisherige Kontierung)."""
    from einvoice.services.kontierung import assign

    requests = [_request(text) for text in split]
    v = _call(lambda: assign(_pipeline(), invoice_id, actor, requests, year))
    typer.echo(f"Kontierung gespeichert ({count_de(len(v.splits), 'Aufteilung')}, Jahr {v.year}).")
    for problem in v.check.problems:
        typer.echo(f"Für die Anordnung fehlt noch: {problem}")


@kont_app.command("accept")
def accept(
    invoice_id: int,
    number: Annotated[int, typer.Argument(help="Nummer des Vorschlags (1 = der erste).")] = 1,
    actor: Annotated[str, typer.Option("--as", help=PERSON_HELP, show_default=False)] = "",
) -> None:
    """Einen Vorschlag als Kontierung übernehmen."""
    from einvoice.services.kontierung import accept_suggestion

    if not actor:
        fail("--as fehlt: wer übernimmt den Vorschlag?", 2)
    v = _call(lambda: accept_suggestion(_pipeline(), invoice_id, actor, number))
    typer.echo(f"Vorschlag {number} übernommen: " + ", ".join(s.key for s in v.splits))


@kont_app.command("order-pdf")
def order_pdf(
    invoice_id: int,
    output: Annotated[Path, typer.Option("--out", "-o", help="Ziel-Datei (PDF).")],
) -> None:
    """Die Auszahlungsanordnung einer angeordneten Rechnung als PDF schreiben."""
    from einvoice.services.auszahlungsanordnung import render_pdf

    data = _call(lambda: render_pdf(_pipeline(), invoice_id))
    output.write_bytes(data)
    typer.echo(f"{output} geschrieben ({len(data)} Bytes).")


def _request(text: str) -> SplitRequest:
    key, _, value = text.partition("=")
    value = value.strip()
    if not value:
        return SplitRequest(key.strip(), Basis.REST)
    if value.endswith("%"):
        return SplitRequest(key.strip(), Basis.PERCENT, value[:-1])
    if value.lower().startswith("zeilen:"):
        return SplitRequest(key.strip(), Basis.LINES, value[7:])
    if value.lower().startswith("satz:"):
        return SplitRequest(key.strip(), Basis.VAT_RATE, value[5:])
    return SplitRequest(key.strip(), Basis.AMOUNT, value)
