"""Payments that came back: ``einvoice payments import|open|show|decide``.

Import and decisions need ``--as`` with the user name of an account of creditor
accounting (Kreditorenbuchhaltung). Exit codes: 0 done; 1 refused / not found /
file refused (nothing imported); 2 wrong use or settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from einvoice.cli.app import app
from einvoice.cli.common import container, fail, print_json
from einvoice.cli.workflow import OutputFormat, _call
from einvoice.presentation.plurals import count_de

payments_app = typer.Typer(
    help="Zahlungsrückmeldungen der Kasse (CSV) und der Bank (camt.053/camt.054) einlesen, "
    "offene Zahlungen entscheiden.",
    no_args_is_help=True,
)
app.add_typer(payments_app, name="payments")

AS_HELP = "Wer handelt: Benutzername eines Kontos der Kreditorenbuchhaltung."
AsOption = Annotated[str, typer.Option("--as", help=AS_HELP, show_default=False)]


def _settings(built: Any) -> Any:
    from einvoice.errors import ConfigurationError
    from einvoice.formats.payment_files import load_settings

    try:
        return load_settings(built.settings.payments_config)
    except ConfigurationError as exc:
        fail(f"Konfigurationsfehler (EINVOICE_PAYMENTS_CONFIG): {exc}")


def _row(v: Any) -> str:
    invoice = v.suggested_invoice
    target = f" → Rechnung {invoice}" if invoice else ""
    who = (v.creditor_name or v.creditor_iban or "–")[:30]
    return (
        f"  {v.id:>6}  {v.booked_on:%d.%m.%Y}  {v.amount_de:>14}  {who:<30}  "
        f"{v.outcome_label_de}{target}\n          {v.reason_de}"
    )


@payments_app.command("import")
def payments_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="Zahlungsdatei: CSV der Kasse oder camt.053/camt.054 (XML) der Bank.",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
        ),
    ],
    actor: AsOption,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Zahlungsdatei einlesen: passende Zahlungen markieren Rechnungen als bezahlt.

    Was nicht passt (Teilzahlung, abweichender Betrag, keine Anordnungsnummer), wartet auf
    eine Entscheidung: einvoice payments open. Alles oder nichts: ein Fehler in der Datei
    (Betrag, Datum, unbekannte Anordnung, fremdes Konto, Summen) nennt Datei, Zeile und
    Spalte, und nichts wird übernommen. Dieselbe Datei zweimal einzulesen ändert nichts.
    """
    from einvoice.formats.payment_files import PaymentFileError
    from einvoice.services.payments import import_file

    built = container()
    settings = _settings(built)
    data = file.read_bytes()
    try:
        result = _call(lambda: import_file(built.pipeline, data, file.name, actor, settings))
    except PaymentFileError as exc:
        fail(str(exc), 1)
    if output is OutputFormat.json:
        print_json(
            {
                "file": result.filename,
                "kind": result.kind,
                "already_imported": result.already_imported,
                "entries": result.entries,
                "known": result.known,
                "paid": result.paid,
                "open": result.open,
                "left_aside": result.left_aside,
            }
        )
        return
    typer.echo(result.summary_de)
    if result.open and not result.already_imported:
        typer.echo("Offene Zahlungen: einvoice payments open")


@payments_app.command("open")
def payments_open(
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Offene Zahlungen zeigen, die auf eine Entscheidung warten.

    Teilzahlungen, abweichende Beträge, Zahlungen ohne passende Anordnung (mit Vorschlag,
    wenn Kreditor, Betrag und Datum auf eine angeordnete Rechnung passen).
    """
    from einvoice.services.payments import open_payments

    found = _call(lambda: open_payments(container().pipeline))
    if output is OutputFormat.json:
        print_json([_json(v) for v in found])
        return
    if not found:
        typer.echo("Keine offenen Zahlungen.")
        return
    typer.echo(f"{count_de(len(found), 'offene Zahlung')}:")
    for v in found:
        typer.echo(_row(v))
    typer.echo(
        "Entscheiden: einvoice payments decide ID bezahlt|teilzahlung|kein_bezug "
        "[--rechnung ID] [--begruendung TEXT] --as NAME"
    )


def _json(v: Any) -> dict[str, Any]:
    return {
        "id": v.id,
        "file": v.file,
        "line": v.line,
        "booked_on": v.booked_on.isoformat(),
        "amount": format(v.amount, "f"),
        "currency": v.currency,
        "creditor_name": v.creditor_name,
        "creditor_iban": v.creditor_iban,
        "remittance": v.remittance,
        "outcome": v.outcome,
        "reason": v.reason_de,
        "state": v.state,
        "orders": list(v.orders),
        "proposal": v.proposal,
        "decision": v.decision,
        "decided_invoice_id": v.decided_invoice_id,
        "decided_by": v.decided_by,
        "note": v.note,
        "same_as": v.same_as,
    }


@payments_app.command("show")
def payments_show(
    payment_id: Annotated[int, typer.Argument(help="Nummer der Zahlung.", show_default=False)],
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Eine Zahlung mit Datei, Zeile, Verwendungszweck und Entscheidung zeigen."""
    from einvoice.services.payments import payment

    v = _call(lambda: payment(container().pipeline, payment_id))
    if output is OutputFormat.json:
        print_json(_json(v))
        return
    typer.echo(_row(v))
    typer.echo(f"  Datei: {v.file}, Zeile {v.line}")
    typer.echo(f"  Verwendungszweck: {v.remittance or '–'}")
    if v.decision:
        typer.echo(
            f"  Entschieden: {v.decision} von {v.decided_by} "
            f"(Rechnung {v.decided_invoice_id or '–'}): {v.note or '–'}"
        )


@payments_app.command("decide")
def payments_decide(
    payment_id: Annotated[int, typer.Argument(help="Nummer der Zahlung.", show_default=False)],
    decision: Annotated[
        str,
        typer.Argument(
            help="bezahlt (die Zahlung begleicht die Rechnung), teilzahlung (Rest bleibt offen) "
            "oder kein_bezug (betrifft keine Rechnung).",
            show_default=False,
        ),
    ],
    actor: AsOption,
    invoice: Annotated[
        int | None,
        typer.Option(
            "--rechnung",
            help="Rechnung (Nummer im System), wenn nicht die genannte Anordnung oder der "
            "Vorschlag gemeint ist.",
        ),
    ] = None,
    note: Annotated[
        str,
        typer.Option(
            "--begruendung",
            help="Begründung (nötig bei kein_bezug und bei abweichendem Betrag).",
        ),
    ] = "",
) -> None:
    """Eine offene Zahlung entscheiden (wird im Prüfprotokoll festgehalten)."""
    from einvoice.services.payments import decide

    v = _call(
        lambda: decide(
            container().pipeline, payment_id, decision, actor, invoice_id=invoice, note=note
        )
    )
    target = f" für Rechnung {v.decided_invoice_id}" if v.decided_invoice_id else ""
    typer.echo(f"Zahlung {v.id}: {v.decision}{target} – entschieden von {v.decided_by}.")
