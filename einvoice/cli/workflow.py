"""Workflow commands: queues, one invoice, approve / reject / reassign / comment, export,
audit check, deadline scan. They call the same services as the web app.

Exit codes: 0 done; 1 the workflow does not allow it (the German reason is
printed) or the invoice does not exist; 2 wrong use or configuration.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from einvoice.cli.app import app
from einvoice.cli.common import city_time, container, fail, print_json
from einvoice.presentation.plurals import count_de

queue_app = typer.Typer(help="Arbeitskörbe der Ämter.", no_args_is_help=True)
invoice_app = typer.Typer(help="Eine Rechnung im Freigabeverfahren.", no_args_is_help=True)
audit_app = typer.Typer(help="Protokoll (Audit-Trail) prüfen.", no_args_is_help=True)
deadlines_app = typer.Typer(help="Zahlungs- und Skontofristen.", no_args_is_help=True)
app.add_typer(queue_app, name="queue")
app.add_typer(invoice_app, name="invoice")
app.add_typer(audit_app, name="audit")
app.add_typer(deadlines_app, name="deadlines")

T = TypeVar("T")
AS_HELP = "Wer handelt: Personenkennung aus der Weiterleitungskonfiguration (z. B. a10.becker)."


class Step(StrEnum):
    sachlich = "sachlich"
    rechnerisch = "rechnerisch"
    anordnung = "anordnung"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


_STEP_ACTIONS = {
    Step.sachlich: "confirm_sachlich",
    Step.rechnerisch: "confirm_rechnerisch",
    Step.anordnung: "order",
}


def _call(fn: Callable[[], T]) -> T:
    """Run a service; map its errors to a German line and the exit code."""
    from einvoice.errors import ConfigurationError
    from einvoice.services.workflow_base import BadRequest, NotConfigured, NotFound, Refused

    try:
        return fn()
    except Refused as exc:
        fail(f"Nicht möglich: {exc.reason_de}", 1)
    except NotFound as exc:
        fail(str(exc), 1)
    except BadRequest as exc:
        fail(str(exc), 2)
    except (ConfigurationError, NotConfigured) as exc:
        fail(f"Konfigurationsfehler: {exc}", 2)


def _pipeline() -> Any:
    return container().pipeline


def money(value: Decimal | None, currency: str | None = "EUR") -> str:
    if value is None:
        return "–"
    text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {currency or 'EUR'}"


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:.2f} %".replace(".", ",")


def day(value: date | str | None) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value:%d.%m.%Y}"


def _json(value: Any) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    print_json(value)


# --- queue list --------------------------------------------------------------------------------

_DUE_SOURCES_DE = {
    "due_date": "Fälligkeitsdatum der Rechnung, BT-9",
    "payment_terms": "laut Zahlungsbedingungen, BT-20",
    "legal_default": "gesetzliche Frist: 30 Tage nach Eingang",
}
_STAGE_DE = {"soon": "bald fällig", "overdue": "überfällig", "ok": "", "none": ""}


@queue_app.command("list")
def queue_list(
    department: Annotated[
        str, typer.Argument(help="Amt (Schlüssel, z. B. amt-10), oder 'alle'.", show_default=False)
    ],
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
    status: Annotated[
        list[str] | None,
        typer.Option(help="Nur diese Status (mehrfach möglich), z. B. routed, angeordnet."),
    ] = None,
    all_statuses: Annotated[
        bool, typer.Option("--all", help="Auch abgeschlossene Rechnungen.")
    ] = False,
    deadline: Annotated[
        str | None, typer.Option(help="Nur Fristen in diesem Zustand: soon, overdue, ok.")
    ] = None,
    supplier: Annotated[str | None, typer.Option(help="Lieferant (Teil des Namens).")] = None,
    held: Annotated[
        bool | None,
        typer.Option("--held/--not-held", help="Nur mit Zahlungssperre (bzw. nur ohne)."),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            help="deadline, due, skonto, amount, supplier, status, received, number, held "
            "(gesperrte zuerst); '-' davor: absteigend."
        ),
    ] = "deadline",
) -> None:
    """Den Arbeitskorb eines Amts zeigen: Status, Fälligkeit, Skonto, Betrag, Lieferant."""
    from einvoice.services.queues import ALL_STATUSES, QueueFilters, queue

    statuses = tuple(status) if status else (ALL_STATUSES if all_statuses else None)
    filters = QueueFilters(deadline=deadline, supplier=supplier, held=held)
    if statuses is not None:
        filters = dataclasses.replace(filters, statuses=statuses)
    key = None if department.lower() in ("alle", "all", "*") else department
    view = _call(lambda: queue(_pipeline(), key, filters, sort))
    if output is OutputFormat.json:
        from einvoice.services.holds import supplier_json

        data = dataclasses.asdict(view)
        data["items"] = [
            supplier_json(d, i.holds, i.creditor)
            for d, i in zip(data["items"], view.items, strict=True)
        ]
        _json(data)
        return
    typer.echo(
        f"{view.department_name}: {count_de(len(view.items), 'Rechnung')}, "
        f"{view.soon} bald fällig, "
        f"{view.overdue} überfällig (Stand {day(view.today)})"
    )
    if view.counts:
        from einvoice.services.workflow_base import status_label_de

        typer.echo(
            "Bestand: "
            + ", ".join(f"{status_label_de(s)} {n}" for s, n in sorted(view.counts.items()))
        )
    for item in view.items:
        skonto = (
            f"Skonto bis {day(item.skonto_deadline)} ({money(item.skonto_discount, item.currency)})"
            if item.skonto_deadline
            else ""
        )
        flag = _STAGE_DE.get(item.deadline_status, "")
        if item.holds:
            flag = ("GESPERRT: " + ", ".join(h.title for h in item.holds) + "  " + flag).strip()
        typer.echo(
            f"{item.invoice_id:>6}  {item.number[:20]:<20} {item.supplier[:28]:<28} "
            f"{money(item.amount, item.currency):>16}  {item.status_label_de:<22} "
            f"fällig {day(item.due_date)}  {skonto}{'  ! ' + flag if flag else ''}".rstrip()
        )


# --- invoice show / route ------------------------------------------------------------------------


@invoice_app.command("show")
def invoice_show(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.", show_default=False)],
    actor: Annotated[
        str | None, typer.Option("--as", help=AS_HELP + " Zeigt, was diese Person tun darf.")
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Eine Rechnung mit Freigabestand, Fristen, Prüfergebnis und Protokoll zeigen."""
    from einvoice.services.workflow import allowed_actions_for, invoice_detail
    from einvoice.services.workflow_base import action_label_de

    pipeline = _pipeline()
    d = _call(lambda: invoice_detail(pipeline, invoice_id))
    allowed: tuple[str, ...] = ()
    if actor and d.status is not None:
        allowed = _call(lambda: allowed_actions_for(pipeline, invoice_id, actor))
    if output is OutputFormat.json:
        from einvoice.services.holds import supplier_json

        data = supplier_json(dataclasses.asdict(d), d.holds, d.creditor)
        _json(data | ({"allowed_actions": list(allowed)} if actor else {}))
        return
    kind = "Gutschrift" if d.credit_note else "Rechnung"
    typer.echo(f"{kind} {d.number} vom {day(d.issue_date)} – {d.supplier}")
    typer.echo(
        f"  Betrag: {money(d.amount_due, d.currency)} "
        f"(brutto {money(d.total_with_vat, d.currency)})"
    )
    typer.echo(f"  Leitweg-ID: {d.leitweg_id or '–'}   Bestellung: {d.order_reference or '–'}")
    typer.echo(f"  Eingang: {city_time(d.received_at)} von {d.sender or '–'}")
    _supplier_and_holds(d)
    typer.echo(f"  Original: {d.original_filename} (SHA-256 {d.original_sha256})")
    typer.echo(f"  Prüfung: {'angenommen' if d.recommendation == 'accept' else 'abgelehnt'}")
    typer.echo(
        f"  Status: {d.status_label_de}" + (f" – {d.department_name}" if d.department_name else "")
    )
    for label, who in (
        ("sachlich richtig", d.sachlich_by),
        ("rechnerisch richtig", d.rechnerisch_by),
        ("angeordnet", d.ordered_by),
    ):
        if who:
            deputy = (
                f" (in Vertretung für {d.ordered_for})"
                if label == "angeordnet" and d.ordered_for
                else ""
            )
            typer.echo(f"  {label}: {who}{deputy}")
    for deadline in d.deadlines:
        if deadline.kind == "due":
            source = _DUE_SOURCES_DE.get(deadline.source, deadline.source)
            typer.echo(f"  Fällig: {day(deadline.due_on)} ({source})")
        else:
            typer.echo(
                f"  Skonto: {percent(deadline.percent)} bis {day(deadline.due_on)}: "
                f"{money(deadline.discount, d.currency)} "
                f"(zu zahlen {money(deadline.amount_to_pay, d.currency)})"
            )
    if d.exported_batch:
        typer.echo(f"  An die Kasse übergeben: {d.exported_run_de}")
    errors = [f for f in d.findings if f.severity == "error"]
    for finding in errors[:10]:
        typer.echo(f"  Fehler {finding.rule}: {finding.message_de}")
    for n in d.notifications:
        copy = f" (Kopie an {n.cc})" if n.cc else ""
        typer.echo(f"  E-Mail an {n.recipient or '–'}{copy}: „{n.subject}“ – {n.status_label_de}")
    if d.history:
        typer.echo("Protokoll:")
    for e in d.history:
        why = f" – {e.reason}" if e.reason else ""
        deputy = f" (für {e.acting_for})" if e.acting_for else ""
        typer.echo(
            f"  {e.sequence:>3}. {city_time(e.at)} {e.actor_name}{deputy}: "
            f"{e.action_label_de} -> {e.to_state_label_de}{why}"
        )
    if actor:
        labels = ", ".join(action_label_de(a) for a in allowed) or "nichts"
        typer.echo(f"{actor} darf jetzt: {labels}")


def _supplier_and_holds(d: Any) -> None:
    c = d.creditor
    if c is not None:
        from einvoice.domain.channels import channel_label

        typer.echo(f"  Kanal: {channel_label(c.channel)}, eingereicht von {c.sender or '–'}")
        if c.creditor_number:
            typer.echo(
                f"  Kreditor: {c.creditor_number} {c.creditor_name} "
                f"(erkannt über {c.matched_by_label_de})"
            )
        else:
            typer.echo(
                "  Kreditor: keiner erkannt"
                + (f" (Vorschlag: {c.proposal_label})" if c.proposal_label else "")
            )
    for h in d.holds:
        if h.open:
            typer.echo(f"  GESPERRT – {h.title}: {h.message}")
            typer.echo(f"    Aufheben: {h.remedy}")
        else:
            typer.echo(
                f"  Sperre „{h.title}“ aufgehoben von {h.cleared_by} am "
                f"{city_time(h.cleared_at)}: {h.clear_reason}"
            )


@invoice_app.command("route")
def invoice_route(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.", show_default=False)],
) -> None:
    """Eine gespeicherte Rechnung zuordnen (sonst tut das der Worker; doppelt schadet nicht)."""
    from einvoice.services.workflow import route

    result = _call(lambda: route(_pipeline(), invoice_id))
    where = f" – {result.department}" if result.department else ""
    again = "" if result.created else " (bereits zuvor)"
    typer.echo(f"Rechnung {invoice_id}: {result.status}{where}{again}. {result.reason_de}")


# --- actions ----------------------------------------------------------------------------------


def _act(
    invoice_id: int,
    action: str,
    actor: str,
    comment: str | None = None,
    department: str | None = None,
) -> None:
    from einvoice.services.workflow import act

    result = _call(lambda: act(_pipeline(), invoice_id, action, actor, comment, department))
    where = f" ({result.department})" if result.department else ""
    typer.echo(f"Rechnung {invoice_id}: {result.status_label_de}{where}.")
    if result.supplier_notified:
        typer.echo("Der Lieferant wird per E-Mail benachrichtigt.")


@app.command()
def approve(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.", show_default=False)],
    actor: Annotated[str, typer.Option("--as", help=AS_HELP, show_default=False)],
    step: Annotated[
        Step,
        typer.Option(help="sachlich, rechnerisch (richtig) oder anordnung.", show_default=False),
    ],
    comment: Annotated[str | None, typer.Option(help="Anmerkung (optional).")] = None,
) -> None:
    """Sachlich oder rechnerisch richtig zeichnen, oder die Zahlung anordnen."""
    _act(invoice_id, _STEP_ACTIONS[step], actor, comment)


@app.command()
def reject(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.", show_default=False)],
    actor: Annotated[str, typer.Option("--as", help=AS_HELP, show_default=False)],
    reason: Annotated[
        str, typer.Option(help="Begründung (geht an den Lieferanten).", show_default=False)
    ],
) -> None:
    """Eine Rechnung ablehnen; der Lieferant erhält die Begründung per E-Mail."""
    _act(invoice_id, "reject", actor, reason)


@app.command("return-to-supplier")
def return_to_supplier(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.", show_default=False)],
    actor: Annotated[str, typer.Option("--as", help=AS_HELP, show_default=False)],
    reason: Annotated[
        str, typer.Option(help="Begründung (geht an den Lieferanten).", show_default=False)
    ],
) -> None:
    """Eine Rechnung an den Lieferanten zurückgeben (mit E-Mail und Begründung)."""
    _act(invoice_id, "return_to_supplier", actor, reason)


@app.command()
def reassign(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.", show_default=False)],
    to: Annotated[
        str, typer.Option("--to", help="Ziel-Amt (Schlüssel, z. B. amt-66).", show_default=False)
    ],
    actor: Annotated[str, typer.Option("--as", help=AS_HELP, show_default=False)],
    reason: Annotated[str, typer.Option(help="Begründung.", show_default=False)],
) -> None:
    """Eine Rechnung an ein anderes Amt weiterleiten."""
    _act(invoice_id, "reassign", actor, reason, to)


@app.command()
def comment(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.", show_default=False)],
    text: Annotated[str, typer.Argument(help="Der Kommentar.", show_default=False)],
    actor: Annotated[str, typer.Option("--as", help=AS_HELP, show_default=False)],
) -> None:
    """Eine Rechnung kommentieren (steht im Protokoll; ändert den Status nicht)."""
    _act(invoice_id, "comment", actor, text)


# --- export, audit, deadlines -----------------------------------------------------------------


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Datei (sonst Standardausgabe).")
    ] = None,
) -> None:
    """Angeordnete Rechnungen als Buchungssätze für das HKR-Verfahren ausgeben (je einmal).

    Eine Zeile wird nur geschrieben, wenn die IBAN eine von zwei Personen geprüfte
    Bankverbindung des Kreditors ist; sonst bleibt die Rechnung gesperrt, der Grund steht
    hier und auf der Rechnungsseite, Exit-Code 1."""
    from einvoice.services.workflow import export as run_export

    result = _call(lambda: run_export(_pipeline(), fmt.value))
    for line in result.refused:  # the payee check at write time (services.payee_check)
        typer.echo(f"Rechnung {line.invoice_id} nicht exportiert: {line.reason_de}", err=True)
    if result.batch_id is None:
        typer.echo("Keine angeordneten Rechnungen zu exportieren.", err=True)
        if result.refused:
            raise typer.Exit(1)
        return
    if out is None:
        sys.stdout.buffer.write(result.content)
        sys.stdout.flush()
    else:
        out.write_bytes(result.content)
    typer.echo(
        f"{result.label_de}: {count_de(result.count, 'Rechnung')}, "
        f"Summe {money(result.total)}" + (f", Datei {out}" if out else "") + ".",
        err=True,
    )
    if result.refused:
        left_out = count_de(len(result.refused), "Rechnung")
        typer.echo(f"{left_out} nicht exportiert (siehe oben).", err=True)
        raise typer.Exit(1)


@audit_app.command("verify")
def audit_verify(
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Die Hash-Kette des Protokolls jeder Rechnung prüfen. Exit-Code 1 bei Auffälligkeiten."""
    from einvoice.services.workflow import verify_audit

    report = _call(lambda: verify_audit(_pipeline()))
    if output is OutputFormat.json:
        _json(dataclasses.asdict(report) | {"ok": report.ok})
    elif report.ok:
        typer.echo(
            f"Protokoll unversehrt: {count_de(report.invoices, 'Rechnung')}, "
            f"{count_de(report.events, 'Ereignis')}; "
            f"Stammdaten: {report.master_data_events} Ereignisse."
        )
    else:
        typer.echo(
            f"Protokoll NICHT unversehrt: {count_de(len(report.problems), 'Auffälligkeit')} bei "
            f"{count_de(report.invoices, 'Rechnung')}, {report.events} Ereignissen:"
        )
        for problem in report.problems:
            typer.echo(f"  - {problem.message_de}")
    raise typer.Exit(0 if report.ok else 1)


@deadlines_app.command("scan")
def deadlines_scan(
    today: Annotated[
        str | None, typer.Option(help="Stichtag JJJJ-MM-TT (Standard: heute).")
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Fristen prüfen: bald fällige und überfällige Rechnungen melden, Ämter per E-Mail erinnern."""
    from einvoice.services.workflow import deadline_scan

    try:
        day_ = date.fromisoformat(today) if today else None
    except ValueError:
        fail(f"--today {today!r}: erwartet JJJJ-MM-TT")
    scan = _call(lambda: deadline_scan(_pipeline(), day_))
    if output is OutputFormat.json:
        _json(scan)
        return
    typer.echo(f"Fristen am {day(scan.today)}: {count_de(len(scan.warnings), 'Hinweis')}")
    for w in scan.warnings:
        what = "Skonto" if w.kind == "skonto" else "Zahlung"
        when = (
            f"seit {count_de(-w.days_left, 'Tag')} überfällig"
            if w.days_left < 0
            else f"noch {count_de(w.days_left, 'Tag')}"
        )
        typer.echo(
            f"  {w.invoice_id:>6}  {w.number} ({w.supplier}), {w.department}: {what} bis "
            f"{day(w.deadline)} – {when}"
        )
    d = scan.delivery
    typer.echo(
        f"Erinnerungen neu: {scan.queued}; E-Mails gesendet {d.sent}, wartend {d.pending}, "
        f"fehlgeschlagen {d.failed}."
    )
