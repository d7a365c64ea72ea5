"""Creditor master data and payment holds: ``einvoice suppliers ...`` and ``einvoice hold ...``.

Changes need ``--as`` with the user name of an account of creditor accounting
(Kreditorenbuchhaltung; administrators do not keep creditor data); each one is
an event in the master data's hash chain (``einvoice audit verify`` checks it).
Exit codes: 0 done; 1 not allowed / not found / lines with errors; 2 wrong use.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from einvoice.cli.app import app
from einvoice.cli.common import city_time, container, fail, interactive, print_json
from einvoice.cli.workflow import OutputFormat, _call
from einvoice.domain.creditors import grouped_iban
from einvoice.presentation.plurals import count_de, noun_de

suppliers_app = typer.Typer(
    help="Kreditorenstammdaten: Lieferanten, Bankverbindungen, Portalkonten.",
    no_args_is_help=True,
)
hold_app = typer.Typer(help="Zahlungssperren einer Rechnung aufheben.", no_args_is_help=True)
app.add_typer(suppliers_app, name="suppliers")
app.add_typer(hold_app, name="hold")

AS_HELP = "Wer handelt: Benutzername eines Kontos der Kreditorenbuchhaltung."
AsOption = Annotated[str, typer.Option("--as", help=AS_HELP, show_default=False)]


def _pipeline() -> Any:
    return container().pipeline


def _keeper(pipeline: Any, name: str) -> str:
    """The acting user name, if it is an active account of creditor accounting."""
    from sqlalchemy import select

    from einvoice.services.accounts import Role
    from einvoice.storage.accounts import Account

    with pipeline.sessions() as session:
        account = session.scalars(
            select(Account).where(Account.username == name.strip().lower())
        ).first()
    if account is None or not account.active or not Role(account.role).keeps_creditors:
        fail(
            f"„{name}“ ist kein aktives Konto der Kreditorenbuchhaltung. Kreditoren, "
            "Bankverbindungen und Bindungen pflegt nur sie (Trennung der Aufgaben; auch nicht "
            "die Systemverwaltung): einvoice accounts create NAME --role creditor_accounting.",
            1,
        )
    return str(account.username)


def _creditor_text(c: Any) -> None:
    typer.echo(f"{c.number}  {c.name}")
    address = ", ".join(x for x in (c.street, f"{c.post_code or ''} {c.city or ''}".strip()) if x)
    typer.echo(f"  Anschrift: {address or '–'} {c.country or ''}".rstrip())
    typer.echo(f"  USt-IdNr. (BT-31): {', '.join(c.vat_ids) or '–'}")
    typer.echo(
        f"  Steuernummer (BT-32): {c.tax_number or '–'}   Register (BT-30): {c.registration or '–'}"
    )
    typer.echo(f"  GLN / Kennungen (BT-29): {', '.join(c.seller_ids) or '–'}")
    typer.echo(f"  E-Mail / Domains: {', '.join(c.emails) or '–'}")
    for a in c.accounts:
        state = (
            f"geprüft von {a.verification.by} am {a.verification.at:%d.%m.%Y}: {a.verification.how}"
            if a.verification
            else "UNGEPRÜFT"
        )
        bic = f" BIC {a.bic}" if a.bic else ""
        holder = a.holder or "nicht angegeben"
        typer.echo(f"  Konto {grouped_iban(a.iban)}{bic}, Kontoinhaber: {holder} – {state}")


def _creditor_json(c: Any) -> dict[str, Any]:
    data = dataclasses.asdict(c)
    for account in data["accounts"]:
        account["state"] = "verified" if account["verification"] else "unverified"
    return data


@suppliers_app.command("list")
def suppliers_list(
    search: Annotated[
        str | None, typer.Argument(help="Teil von Name, Nummer oder Kennung.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Kreditoren auflisten (nach Kreditorennummer)."""
    from einvoice.services.creditors import list_creditors

    listing = _call(lambda: list_creditors(_pipeline(), search, limit, offset))
    if output is OutputFormat.json:
        print_json(
            {"total": listing.total, "creditors": [_creditor_json(c) for c in listing.creditors]}
        )
        return
    typer.echo(count_de(listing.total, "Kreditor") + (f" zu „{search}“" if search else ""))
    for c in listing.creditors:
        verified = sum(1 for a in c.accounts if a.verification)
        typer.echo(
            f"  {c.number:<12} {c.name[:40]:<40} {', '.join(c.vat_ids)[:16]:<16} "
            f"Konten {verified}/{len(c.accounts)} geprüft"
        )


@suppliers_app.command("show")
def suppliers_show(
    ref: Annotated[str, typer.Argument(help="Kreditorennummer oder Id.", show_default=False)],
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Einen Kreditor mit Bankverbindungen und Änderungsprotokoll zeigen."""
    from einvoice.services.creditors import find, history

    pipeline = _pipeline()
    creditor = _call(lambda: find(pipeline, ref))
    events = history(pipeline, creditor.id)
    if output is OutputFormat.json:
        print_json(
            _creditor_json(creditor)
            | {
                "history": [
                    {
                        "sequence": e.sequence,
                        "action": e.entry.action,
                        "actor": e.entry.actor,
                        "at": e.entry.at.isoformat(),
                        "reason": e.entry.reason,
                    }
                    for e in events
                ]
            }
        )
        return
    _creditor_text(creditor)
    typer.echo("Protokoll:")
    for e in events:
        why = f" – {e.entry.reason}" if e.entry.reason else ""
        typer.echo(f"  {city_time(e.entry.at)} {e.entry.actor}: {e.entry.action}{why}")


@suppliers_app.command("add")
def suppliers_add(
    number: Annotated[str, typer.Argument(help="Kreditorennummer des Finanzverfahrens.")],
    name: Annotated[str, typer.Option(help="Name laut Handelsregister.", show_default=False)],
    actor: AsOption,
    vat_id: Annotated[list[str] | None, typer.Option("--vat-id", help="USt-IdNr. (BT-31).")] = None,
    tax_number: Annotated[str | None, typer.Option(help="Steuernummer (BT-32).")] = None,
    registration: Annotated[str | None, typer.Option(help="Registernummer (BT-30).")] = None,
    gln: Annotated[list[str] | None, typer.Option(help="GLN / Verkäuferkennung (BT-29).")] = None,
    email: Annotated[list[str] | None, typer.Option(help="E-Mail-Adresse oder Domain.")] = None,
    street: Annotated[str | None, typer.Option()] = None,
    post_code: Annotated[str | None, typer.Option()] = None,
    city: Annotated[str | None, typer.Option()] = None,
    country: Annotated[str | None, typer.Option()] = "DE",
    iban: Annotated[str | None, typer.Option(help="Bankverbindung (zunächst ungeprüft).")] = None,
    bic: Annotated[str | None, typer.Option()] = None,
    holder: Annotated[str | None, typer.Option(help="Kontoinhaber.")] = None,
) -> None:
    """Einen Kreditor anlegen (Bankverbindung ungeprüft, bis jemand sie prüft)."""
    from einvoice.services.creditor_records import AccountInput, CreditorError, CreditorInput
    from einvoice.services.creditors import add_creditor

    pipeline = _pipeline()
    who = _keeper(pipeline, actor)
    data = CreditorInput(
        number=number,
        name=name,
        street=street,
        post_code=post_code,
        city=city,
        country=country,
        vat_ids=tuple(vat_id or ()),
        tax_number=tax_number,
        registration=registration,
        seller_ids=tuple(gln or ()),
        emails=tuple(email or ()),
        accounts=(AccountInput(iban, bic, holder),) if iban else (),
    )
    try:
        creditor = _call(lambda: add_creditor(pipeline, data, who))
    except CreditorError as exc:
        fail(str(exc), 1)
    _creditor_text(creditor)


@suppliers_app.command("import")
def suppliers_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV des Kreditorenstamms (; getrennt).",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    actor: AsOption,
    verified_how: Annotated[
        str | None,
        typer.Option(
            help="Bankverbindungen gelten als geprüft; hier festhalten, wie (z. B. "
            "'im Finanzverfahren nach Rückruf geprüft'). Ohne: ungeprüft. Nur zusammen "
            "mit --verified-by (Vier-Augen-Prinzip)."
        ),
    ] = None,
    verified_by: Annotated[
        str | None,
        typer.Option(
            help="Zweite Person der Kreditorenbuchhaltung, die die Prüfung verantwortet "
            "(nicht, wer mit --as einliest)."
        ),
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Den Kreditorenstamm des Finanzverfahrens einlesen (erneut einlesen ändert nichts)."""
    from einvoice.services.creditor_import import COLUMNS, import_csv
    from einvoice.services.creditor_records import CreditorError

    pipeline = _pipeline()
    who = _keeper(pipeline, actor)
    verifier = _keeper(pipeline, verified_by) if verified_by else None
    show = interactive() and output is OutputFormat.text

    def progress(lines: int) -> None:
        if show:
            print(f"\r  {lines} Zeilen gelesen …", end="", file=sys.stderr, flush=True)

    try:
        result = _call(
            lambda: import_csv(
                pipeline,
                file.read_bytes(),
                who,
                verified_how=verified_how,
                verified_by=verifier,
                progress=progress,
            )
        )
    except CreditorError as exc:
        fail(str(exc), 1)
    if show:
        print(file=sys.stderr)
    if output is OutputFormat.json:
        print_json(dataclasses.asdict(result))
    else:
        typer.echo(
            f"{result.lines} Zeilen: {result.created} neu, {result.changed} geändert, "
            f"{result.unchanged} unverändert, {len(result.problems)} fehlerhaft."
        )
        if result.ignored_columns:
            typer.echo(
                f"Nicht verwendete Spalten: {', '.join(result.ignored_columns)} "
                f"(bekannt: {', '.join(COLUMNS)})"
            )
        for problem in result.problems[:50]:
            typer.echo(f"  Zeile {problem.line}: {problem.message_de}")
        if len(result.problems) > 50:
            typer.echo(f"  … und {len(result.problems) - 50} weitere (--format json zeigt alle)")
    raise typer.Exit(1 if result.problems else 0)


@suppliers_app.command("add-account")
def suppliers_add_account(
    ref: Annotated[str, typer.Argument(help="Kreditorennummer oder Id.")],
    iban: Annotated[str, typer.Argument(help="IBAN.")],
    actor: AsOption,
    bic: Annotated[str | None, typer.Option()] = None,
    holder: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Eine weitere Bankverbindung erfassen (ungeprüft)."""
    from einvoice.services.creditor_records import AccountInput, CreditorError
    from einvoice.services.creditors import add_account, find

    pipeline = _pipeline()
    who = _keeper(pipeline, actor)
    creditor = _call(lambda: find(pipeline, ref))
    try:
        creditor = _call(
            lambda: add_account(pipeline, creditor.id, AccountInput(iban, bic, holder), who)
        )
    except CreditorError as exc:
        fail(str(exc), 1)
    _creditor_text(creditor)


def _released(released: Any) -> None:
    if released.released:
        typer.echo(
            f"Sperre aufgehoben bei {noun_de(len(released.released), 'Rechnung')}: "
            + ", ".join(map(str, released.released))
        )
    for invoice_id, reason in released.kept:
        typer.echo(f"Rechnung {invoice_id} bleibt gesperrt: {reason}")


@suppliers_app.command("verify-account")
def suppliers_verify_account(
    ref: Annotated[str, typer.Argument(help="Kreditorennummer oder Id.")],
    iban: Annotated[str, typer.Argument(help="Die geprüfte IBAN.")],
    actor: AsOption,
    how: Annotated[
        str,
        typer.Option(
            help="Wie geprüft, z. B. 'Rückruf unter 0421 5550-0 "
            "(Nummer aus dem Vertrag), Frau Hansen bestätigt'.",
            show_default=False,
        ),
    ],
) -> None:
    """Eine Bankverbindung als geprüft festhalten (vier Augen: nicht, wer sie erfasst hat;
    Sperren gesperrter Rechnungen hebt es nicht für die Person auf, die sie zeichnete)."""
    from einvoice.services.creditor_records import CreditorError
    from einvoice.services.creditors import find, verify_account

    pipeline = _pipeline()
    who = _keeper(pipeline, actor)
    creditor = _call(lambda: find(pipeline, ref))
    try:
        creditor, released = _call(lambda: verify_account(pipeline, creditor.id, iban, who, how))
    except CreditorError as exc:
        fail(str(exc), 1)
    shown = grouped_iban(iban)
    typer.echo(f"Bankverbindung geprüft: {shown} bei {creditor.number} {creditor.name}")
    _released(released)


@suppliers_app.command("bindings")
def suppliers_bindings(
    state: Annotated[str | None, typer.Option(help="pending, confirmed oder refused.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """Bindungen von Portalkonten an Kreditoren (offene zuerst bestätigen)."""
    from einvoice.services.creditors import bindings

    found = _call(lambda: bindings(_pipeline(), state))
    if output is OutputFormat.json:
        print_json([dataclasses.asdict(b) for b in found])
        return
    labels = {"pending": "offen", "confirmed": "bestätigt", "refused": "abgelehnt"}
    for b in found:
        creditor = (
            f"{b.creditor_number} {b.creditor_name}" if b.creditor_number else "kein Kreditor"
        )
        typer.echo(
            f"  {b.id:>5} {b.account:<24} {b.company[:30]:<30} {b.vat_id:<14} -> "
            f"{creditor} [{labels.get(b.state, b.state)}]"
        )


@suppliers_app.command("bind")
def suppliers_bind(
    account: Annotated[str, typer.Argument(help="Benutzername des Lieferantenkontos.")],
    ref: Annotated[str, typer.Argument(help="Kreditorennummer oder Id.")],
    actor: AsOption,
    how: Annotated[
        str, typer.Option(help="Begründung, z. B. wie die Firma bestätigt hat.", show_default=False)
    ],
) -> None:
    """Ein Portalkonto an einen Kreditor binden: die erste Person erfasst die Bindung, eine
    zweite bestätigt sie (derselbe Befehl oder decide-binding; Vier-Augen-Prinzip)."""
    from einvoice.services.creditor_records import CreditorError
    from einvoice.services.creditors import bind

    pipeline = _pipeline()
    who = _keeper(pipeline, actor)
    try:
        binding, released = _call(lambda: bind(pipeline, account, ref, who, how))
    except CreditorError as exc:
        fail(str(exc), 1)
    if binding.state == "pending":
        typer.echo(_pending_text(binding))
        return
    typer.echo(
        f"{binding.account} darf für {binding.creditor_number} {binding.creditor_name} einreichen."
    )
    _released(released)


def _pending_text(binding: Any) -> str:
    return (
        f"Bindung {binding.id} ({binding.account} -> {binding.creditor_number} "
        f"{binding.creditor_name}) ist erfasst. Bestätigen muss eine zweite Person der "
        f"Kreditorenbuchhaltung (Vier-Augen-Prinzip): einvoice suppliers decide-binding "
        f"{binding.id} --as NAME --how ..."
    )


@suppliers_app.command("decide-binding")
def suppliers_decide_binding(
    binding_id: Annotated[int, typer.Argument(help="Nummer der Bindung (suppliers bindings).")],
    actor: AsOption,
    how: Annotated[str, typer.Option(help="Begründung.", show_default=False)],
    refuse: Annotated[bool, typer.Option("--refuse", help="Ablehnen statt bestätigen.")] = False,
    creditor: Annotated[
        str | None, typer.Option(help="Kreditor, falls keiner erkannt wurde.")
    ] = None,
) -> None:
    """Eine offene Bindung bestätigen (oder mit --refuse ablehnen)."""
    from einvoice.services.creditor_records import CreditorError
    from einvoice.services.creditors import decide_binding, find

    pipeline = _pipeline()
    who = _keeper(pipeline, actor)
    creditor_id = _call(lambda: find(pipeline, creditor)).id if creditor else None
    try:
        binding, released = _call(
            lambda: decide_binding(
                pipeline, binding_id, who, confirm=not refuse, how=how, creditor_id=creditor_id
            )
        )
    except CreditorError as exc:
        fail(str(exc), 1)
    if binding.state == "pending":
        typer.echo(_pending_text(binding))
        return
    typer.echo(f"Bindung {binding.id}: {binding.state}")
    _released(released)


# --- holds ---------------------------------------------------------------------------------


@hold_app.command("clear")
def hold_clear(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.")],
    code: Annotated[
        str,
        typer.Argument(
            help="unknown-supplier, bank-account-unverified, "
            "uploader-not-seller, possible-duplicate"
        ),
    ],
    actor: Annotated[
        str,
        typer.Option(
            "--as",
            help="Benutzername (Kreditorenbuchhaltung) oder Person des Amts (Doppelzahlung).",
        ),
    ],
    reason: Annotated[
        str, typer.Option(help="Warum die Sperre aufgehoben wird.", show_default=False)
    ],
) -> None:
    """Eine Sperre „possible-duplicate“ aufheben (vier Augen: nicht, wer die Rechnung
    gezeichnet hat; wer aufhebt, ordnet nicht an). Die anderen Sperren hebt niemand von Hand
    auf: sie enden durch die Stammdaten (suppliers verify-account, suppliers bind, hold assign)."""
    from sqlalchemy import select

    from einvoice.services import holds
    from einvoice.services.accounts import Role
    from einvoice.storage.accounts import Account

    pipeline = _pipeline()
    with pipeline.sessions() as session:
        account = session.scalars(select(Account).where(Account.username == actor.lower())).first()
    keeper = account is not None and account.active and Role(account.role).keeps_creditors
    left = _call(
        lambda: holds.clear(pipeline, invoice_id, code, actor, reason, creditor_accounting=keeper)
    )
    still = [h.title_de for h in left if h.open]
    typer.echo(
        f"Sperre „{code}“ aufgehoben. "
        + (f"Weiter gesperrt: {', '.join(still)}." if still else "Keine Sperre mehr offen.")
    )


@hold_app.command("assign")
def hold_assign(
    invoice_id: Annotated[int, typer.Argument(help="Nummer der Rechnung.")],
    ref: Annotated[str, typer.Argument(help="Kreditorennummer oder Id.")],
    actor: AsOption,
    reason: Annotated[str, typer.Option(help="Warum dieser Kreditor.", show_default=False)],
) -> None:
    """Einer Rechnung mit unbekanntem Lieferanten den Kreditor zuordnen: die erste Person
    schlägt ihn vor, eine zweite bestätigt mit demselben Befehl (Vier-Augen-Prinzip)."""
    from einvoice.services.creditor_assignment import assign_creditor

    pipeline = _pipeline()
    who = _keeper(pipeline, actor)
    done = _call(lambda: assign_creditor(pipeline, invoice_id, ref, who, reason))
    if not done.confirmed:
        typer.echo(
            f"Kreditor {done.creditor_label} für Rechnung {invoice_id} vorgeschlagen. "
            "Zuordnen und die Sperre „Lieferant unbekannt“ aufheben muss eine zweite Person "
            f"der Kreditorenbuchhaltung (Vier-Augen-Prinzip): einvoice hold assign {invoice_id} "
            f"{ref} --as NAME --reason ..."
        )
        return
    still = [h.title_de for h in done.holds if h.open]
    typer.echo(
        f"Kreditor {done.creditor_label} zugeordnet (vorgeschlagen von {done.proposed_by}). "
        + (f"Weiter gesperrt: {', '.join(still)}." if still else "Keine Sperre mehr offen.")
    )
