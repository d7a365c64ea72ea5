"""``einvoice portfolio ...`` and ``einvoice metrics``: the Stabsstelle's commands.

* ``einvoice portfolio list``: projects with phase, lead office, score and verdict
* ``einvoice portfolio paper --out vorlage.pdf`` (or ``.html``): the Entscheidungsvorlage
* ``einvoice portfolio seed``: the example portfolio of Musterstadt
* ``einvoice metrics [--format json]``: the E-Rechnung pilot figures, computed now;
  ``--trace KEY`` lists the invoices behind one figure, ``--csv FILE`` writes the weeks
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from einvoice.cli.app import app
from einvoice.cli.common import container, fail, print_json
from einvoice.presentation.plurals import count_de

portfolio_app = typer.Typer(
    help="Digitalisierungsportfolio der Stabsstelle: Projekte, Priorisierung, "
    "Entscheidungsvorlage.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(portfolio_app, name="portfolio")

StichtagOption = Annotated[
    str | None,
    typer.Option("--stichtag", help="Stichtag JJJJ-MM-TT (Standard: heute).", show_default=False),
]


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"Ungültiger Stichtag „{text}“ (Form: JJJJ-MM-TT).")


def _thresholds(share: str, weeks: int, p90: str) -> Any:
    from einvoice.domain.pilot_exit import ExitThresholds

    try:
        return ExitThresholds(
            min_accepted_share=Decimal(share.replace(",", ".")) / 100,
            weeks=weeks,
            max_p90_days=Decimal(p90.replace(",", ".")),
        )
    except (InvalidOperation, ValueError) as exc:
        fail(f"Ungültige Ausstiegskriterien: {exc}")


ShareOption = Annotated[
    str, typer.Option("--ziel-annahmequote", help="Ziel der Annahmequote in Prozent.")
]
WeeksOption = Annotated[
    int, typer.Option("--wochen-in-folge", min=1, help="So viele Wochen in Folge.")
]
P90Option = Annotated[
    str, typer.Option("--ziel-p90-tage", help="Höchstens so viele Tage bis zur Anordnung (90 %).")
]


def _city(c: Any) -> str:
    workflow = getattr(c.pipeline, "workflow", None)
    if workflow is None:
        return ""
    try:
        return str(workflow.routing().name)
    except Exception:  # a broken routing file must not stop the paper
        return ""


@portfolio_app.command("list")
def portfolio_list(stichtag: StichtagOption = None) -> None:
    """Projekte mit Phase, Punktzahl und Ergebnis der Priorisierung anzeigen."""
    from einvoice.services import portfolio

    c = container()
    today = _day(stichtag)
    loaded = portfolio.load(c.pipeline)
    if not loaded.projects:
        typer.echo("Das Portfolio ist leer. Beispiel anlegen: einvoice portfolio seed")
        return
    proposal = portfolio.proposal(c.pipeline, portfolio.planning_quarters(today))
    names = loaded.office_names()
    typer.echo(
        f"Planungszeitraum {proposal.quarters[0].label} bis {proposal.quarters[-1].label}; "
        "Gewichte: "
        + ", ".join(f"{k} {v.normalize():f}" for k, v in proposal.weights.as_dict().items())
    )
    for r in proposal.ranked:
        typer.echo(
            f"{r.rank:>2}. {r.project.name} [{r.project.phase.label}] – "
            f"{str(r.card.total).replace('.', ',')} Punkte – {r.verdict.value}"
        )
        typer.echo(f"      federführend: {names.get(r.project.lead_office, r.project.lead_office)}")
        for reason in r.reasons[1:]:
            typer.echo(f"      {reason}")
    for p in proposal.closed:
        typer.echo(f" –  {p.name} [{p.phase.label}]")


@portfolio_app.command("seed")
def portfolio_seed(stichtag: StichtagOption = None) -> None:
    """Das Beispielportfolio der Stadt Musterstadt anlegen (nur in ein leeres Portfolio)."""
    from einvoice.domain.portfolio import PortfolioError
    from einvoice.services.demo_portfolio import seed_portfolio
    from einvoice.services.metrics import context_of

    c = container()
    try:
        names = context_of(c.pipeline).office_names or None
        count = seed_portfolio(c.pipeline, _day(stichtag), names)
    except PortfolioError as exc:
        fail(str(exc), 1)
    typer.echo(f"Beispielportfolio angelegt: {count} Projekte. Anzeigen: einvoice portfolio list")


@portfolio_app.command("paper")
def portfolio_paper(
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Zieldatei: .pdf oder .html.", show_default=False),
    ],
    stichtag: StichtagOption = None,
    share: ShareOption = "95",
    weeks: WeeksOption = 4,
    p90: P90Option = "10",
    timeout: Annotated[
        float, typer.Option("--timeout", help="Sekunden für den PDF-Druck mit Chromium.")
    ] = 90.0,
) -> None:
    """Die Entscheidungsvorlage (Priorisierung, Kapazität, Testphase E-Rechnung) erzeugen."""
    from einvoice.errors import PermanentError
    from einvoice.services import decision_paper

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        fail("Die Zieldatei muss auf .pdf oder .html enden.")
    c = container()
    data = decision_paper.paper_data(
        c.pipeline, _day(stichtag), thresholds=_thresholds(share, weeks, p90), city=_city(c)
    )
    if not data.portfolio.projects:
        typer.echo("Hinweis: Das Portfolio ist leer (Beispiel: einvoice portfolio seed).", err=True)
    try:
        content = decision_paper.render(data, fmt, timeout=timeout)
    except PermanentError as exc:
        fail(str(exc), 1)
    out.write_bytes(content)
    typer.echo(
        f"Entscheidungsvorlage geschrieben: {out} ({len(content):,} Bytes)".replace(",", ".")
    )


@app.command("metrics")
def metrics_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text oder json.")] = "text",
    stichtag: StichtagOption = None,
    wochen: Annotated[
        int, typer.Option("--wochen", min=1, max=260, help="Zeitraum in Kalenderwochen.")
    ] = 52,
    share: ShareOption = "95",
    weeks: WeeksOption = 4,
    p90: P90Option = "10",
    trace: Annotated[
        str | None,
        typer.Option(
            "--trace",
            help="Rechnungen hinter einer Kennzahl, z. B. rule:BR-DE-15, overdue.",
            show_default=False,
        ),
    ] = None,
    csv_file: Annotated[
        Path | None,
        typer.Option("--csv", help="Wochenwerte als CSV-Datei schreiben.", show_default=False),
    ] = None,
) -> None:
    """Kennzahlen der E-Rechnung (Testphase), live aus den Daten der Plattform berechnet."""
    from einvoice.services import metrics

    if fmt not in ("text", "json"):
        fail("--format muss text oder json sein.")
    c = container()
    today = _day(stichtag)
    if trace is not None:
        try:
            found = metrics.trace(c.pipeline, trace, today, weeks=wochen)
        except ValueError as exc:
            fail(str(exc))
        if fmt == "json":
            print_json(
                {
                    "kennzahl": trace,
                    "rechnungen": list(found.invoice_ids),
                    "dokumente_ohne_rechnung": list(found.document_ids),
                }
            )
        else:
            typer.echo(f"{trace}: {count_de(found.count, 'Dokument')}")
            typer.echo("Rechnungen: " + (", ".join(map(str, found.invoice_ids)) or "–"))
            if found.document_ids:
                typer.echo("Nicht lesbare Dokumente: " + ", ".join(map(str, found.document_ids)))
        return
    board = metrics.dashboard(c.pipeline, today, _thresholds(share, weeks, p90), weeks=wochen)
    if csv_file is not None:
        with csv_file.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, delimiter=";").writerows(metrics.metrics_csv(board))
    if fmt == "json":
        print_json(metrics.metrics_json(board))
        return
    _print_text(board)


def _print_text(board: Any) -> None:
    m = board.metrics
    typer.echo(
        f"E-Rechnung: Kennzahlen {m.scope.start:%d.%m.%Y} bis {m.scope.today:%d.%m.%Y} "
        f"(berechnet in {board.seconds:.2f} s)"
    )
    for f in board.figures:
        note = f" ({f.note})" if f.note else ""
        typer.echo(f"  {f.label}: {f.value}{note}")
    typer.echo("  Kanäle: " + (", ".join(f"{c.label} {c.count}" for c in m.by_channel) or "–"))
    typer.echo("  Formate: " + (", ".join(f"{c.label} {c.count}" for c in m.by_format) or "–"))
    typer.echo(
        "  Häufigste Ablehnungsgründe: "
        + (", ".join(f"{c.key} {c.count}" for c in m.top_rules[:5]) or "–")
    )
    typer.echo(
        f"Ausstiegskriterien (Wochen {', '.join(board.exit.weeks) or '–'}): "
        f"{board.exit.light.value}"
    )
    for criterion in board.exit.criteria:
        typer.echo(
            f"  [{criterion.light.value}] {criterion.label}: {criterion.actual} "
            f"(Ziel {criterion.threshold}), Trend {criterion.trend.value} – {criterion.reason}"
        )
