"""The demo city's chart of accounts and the clerks' Kontierung in the demo (issue 24).

:func:`demo_chart` writes a small chart of accounts for the Ämter of the routing
configuration (Geschäftsaufwand, Geschäftsbedarf and Unterhaltung on the Amt's Produkt
and first cost centre, a Bäderbetrieb as BgA, one general Buchungsstelle for every
Amt) with verfügbare Mittel for the current year, in the finance system's CSV form;
:func:`kontiere` is what the demo's clerk does before stating sachlich richtig: take
the first suggestion, else book the whole amount on the Amt's Geschäftsaufwand.
"""

from __future__ import annotations

from datetime import date

from einvoice.domain.kontierung import Basis, SplitRequest
from einvoice.domain.routing import RoutingConfig
from einvoice.services import kontierung
from einvoice.services.chart_import import ChartImportResult, import_chart
from einvoice.services.kontierung_store import chart_required
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import ports_of

_ACCOUNTS = (
    ("5431000", "Geschäftsaufwand"),
    ("5271000", "Geschäftsbedarf und Bürobedarf"),
    ("5211000", "Unterhaltung der Gebäude"),
)
GENERAL = "61.1.01.01/5431000/2000"


def demo_chart(config: RoutingConfig, year: int) -> bytes:
    rows = [
        "produkt;sachkonto;kostenstelle;auftrag;bezeichnung;gueltig_ab;gueltig_bis;aemter;bga;"
        "haushaltsjahr;verfuegbare_mittel"
    ]
    for dept in config.departments:
        if not dept.cost_centres or not dept.key.startswith("amt-"):
            continue
        produkt = f"{dept.key[4:]}.1.01.01"
        for konto, name in _ACCOUNTS:
            rows.append(
                f"{produkt};{konto};{dept.cost_centres[0]};;{name} {dept.name};01.01.2020;;"
                f"{dept.key};nein;{year};250.000,00"
            )
    rows.append(
        f"57.3.01.01;5211000;6510;I-0815;Unterhaltung Hallenbad (BgA Bäder);01.01.2020;;"
        f"amt-65;ja;{year};80.000,00"
    )
    rows.append("61.1.01.01;5431000;2000;;Allgemeine Finanzwirtschaft;01.01.2020;;;nein;;")
    return ("\n".join(rows) + "\n").encode("utf-8")


def seed_chart(pipeline: Pipeline, actor: str, today: date) -> ChartImportResult:
    config = ports_of(pipeline).routing()
    return import_chart(pipeline, demo_chart(config, today.year), "demo-kontenplan.csv", actor)


def kontiere(pipeline: Pipeline, invoice_id: int, clerk: str) -> None:
    """The clerk's Kontierung (one split) before sachlich richtig; nothing if done already."""
    with pipeline.sessions() as session:
        if not chart_required(session):
            return
    view = kontierung.view(pipeline, invoice_id)
    if not view.required or view.splits or not view.editable:
        return
    if view.suggestions:
        kontierung.accept_suggestion(pipeline, invoice_id, clerk, 1)
        return
    usual = [b for b in view.usable if b.sachkonto == "5431000" and b.departments]
    key = usual[0].key if usual else GENERAL
    kontierung.assign(pipeline, invoice_id, clerk, [SplitRequest(key, Basis.REST)])


__all__ = ["GENERAL", "demo_chart", "kontiere", "seed_chart"]
