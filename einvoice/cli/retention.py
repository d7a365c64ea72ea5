"""``einvoice retention``: statutory retention, legal holds, deletion with tombstones."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from einvoice.cli.app import app
from einvoice.cli.common import container, fail, print_json
from einvoice.presentation.plurals import count_de

if TYPE_CHECKING:
    from einvoice.domain.retention import DraftPeriods

retention_app = typer.Typer(
    help="Aufbewahrungsfristen: fällige Löschungen ansehen und ausführen, Sperren setzen.",
    no_args_is_help=True,
)
app.add_typer(retention_app, name="retention")


def _today() -> date:
    from einvoice.services.workflow_base import now_local

    return now_local(container().pipeline).date()


def _years() -> int:
    years: int = container().settings.retention_years
    return years


def _confirmed(question: str) -> bool:
    """A German yes/no question (Click's own says "[y/N]" and "Aborted."); no answer is no."""
    try:
        answer = typer.prompt(f"{question} Zum Bestätigen „ja“ eingeben", default="nein")
    except (typer.Abort, EOFError, KeyboardInterrupt):
        typer.echo("")
        return False
    return str(answer).strip().lower() in ("ja", "j")


def _checked(actor: str, roles: frozenset[str]) -> None:
    from einvoice.services.retention import RetentionError, check_actor

    try:
        check_actor(container().pipeline, actor, roles)
    except RetentionError as exc:
        fail(str(exc), 2)


def _drafts() -> tuple[datetime, DraftPeriods]:
    """Now and the settings' periods of the Weberfassung's drafts."""
    from einvoice.domain.retention import DraftPeriods

    settings = container().settings
    periods = DraftPeriods(settings.draft_days, settings.submitted_draft_days)
    return container().pipeline.clock(), periods


@retention_app.command("plan")
def plan(output: Annotated[str, typer.Option("--format", help="text oder json.")] = "text") -> None:
    """Was nach Ablauf der Frist (EINVOICE_RETENTION_YEARS, Standard 8 Jahre ab Jahresende)
    gelöscht werden darf; gesperrte Rechnungen sind markiert. Dazu die Entwürfe der
    Weberfassung, die nicht mehr gebraucht werden (EINVOICE_DRAFT_RETENTION_DAYS,
    EINVOICE_SUBMITTED_DRAFT_DAYS)."""
    from einvoice.services import draft_retention
    from einvoice.services.retention import plan as run

    items = run(container().pipeline, _today(), _years())
    now, periods = _drafts()
    drafts = draft_retention.plan(container().pipeline, now, periods)
    if output == "json":
        print_json(
            {
                "messages": [
                    {
                        "message": i.message_id,
                        "received_on": i.received_on.isoformat(),
                        "retained_until": i.retained_until.isoformat(),
                        "invoices": list(i.invoice_ids),
                        "held": i.held,
                        "reason": i.reason_de,
                    }
                    for i in items
                ],
                "drafts": {
                    key: [
                        {
                            "draft": d.draft_id,
                            "account": d.account_id,
                            "kind": d.decision.kind,
                            "attachments": d.attachments,
                            "attachment_bytes": d.attachment_bytes,
                            "reason": d.decision.reason_de,
                        }
                        for d in chosen
                    ]
                    for key, chosen in (("due", drafts.due), ("kept", drafts.needed))
                },
            }
        )
        return
    held = sum(i.held for i in items)
    typer.echo(
        f"Aufbewahrung {_years()} Jahre ab Ende des Jahres, in dem die Rechnung abgeschlossen "
        f"wurde (offene Rechnungen nie): {count_de(len(items) - held, 'Eingang')} "
        f"fällig zur Löschung, {held} gesperrt."
    )
    for item in items:
        invoices = ", ".join(str(i) for i in item.invoice_ids) or "keine Rechnung"
        mark = "GESPERRT " if item.held else ""
        typer.echo(
            f"  {mark}Eingang {item.message_id} vom {item.received_on:%d.%m.%Y} "
            f"(Rechnungen: {invoices}): {item.reason_de}"
        )
    typer.echo(drafts.summary_de(periods))
    for kept in drafts.needed:
        typer.echo(f"  BEHALTEN Entwurf {kept.draft_id}: {kept.decision.reason_de}")


@retention_app.command("apply")
def apply(
    actor: Annotated[
        str,
        typer.Option("--as", help="Eigener Benutzername (Konto mit Rolle Systemverwaltung)."),
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Ohne Rückfrage löschen.")] = False,
) -> None:
    """Originale und personenbezogene Daten nach Ablauf der Frist löschen.

    Die Frist läuft ab Ende des Jahres, in dem die Rechnung abgeschlossen wurde (an die
    Kasse übergeben, abgelehnt, zurückgegeben, ersetzt); offene Rechnungen, Rechnungen mit
    Zahlungssperre und gesperrte (hold) bleiben. Bleibt: ein Grabstein je Eingang (wann,
    wer, welche Hashes), die Eckdaten der Rechnung für die Bücher und ein Ereignis in der
    Prüfspur jeder Rechnung. Dazu gehen die Entwürfe der Weberfassung, die nicht mehr
    gebraucht werden (ein Eintrag je Konto im Sicherheitsprotokoll). Exit-Code 0: erledigt
    (oder nichts fällig), 1: abgebrochen, 2: --as nennt kein Konto der Systemverwaltung.
    """
    from einvoice.services import draft_retention
    from einvoice.services.retention import DELETE_ROLES
    from einvoice.services.retention import apply as run
    from einvoice.services.retention import plan as planned

    _checked(actor, DELETE_ROLES)
    c = container()
    items = planned(c.pipeline, _today(), _years())
    due = sum(not i.held for i in items)
    now, periods = _drafts()
    drafts_due = len(draft_retention.plan(c.pipeline, now, periods).due)
    if due == 0 and drafts_due == 0:
        typer.echo("Nichts fällig.")
        return
    what = " und ".join(
        text
        for count, text in (
            (due, count_de(due, "Eingang")),
            (drafts_due, count_de(drafts_due, "Entwurf") + " der Weberfassung"),
        )
        if count
    )
    if not yes and not _confirmed(f"{what} endgültig löschen?"):
        fail("Abgebrochen, nichts gelöscht.", 1)
    result = run(c.pipeline, _today(), _years(), actor, c.pipeline.blobs.delete)
    typer.echo(
        f"Gelöscht: {count_de(result.deleted_messages, 'Eingang')}, "
        f"{count_de(result.deleted_blobs, 'Original')}; "
        f"{result.tombstone_events} Grabstein-Ereignisse in der Prüfspur; "
        f"{result.held} gesperrt und behalten; {result.kept_shared_blobs} Originale behalten, "
        "weil ein jüngerer Eingang sie ebenfalls enthält."
    )
    if drafts_due:
        typer.echo(draft_retention.apply(c.pipeline, now, periods, actor).summary_de())
    typer.echo("Prüfen: einvoice audit verify")


@retention_app.command("hold")
def hold(
    invoice_id: Annotated[int, typer.Argument(help="Rechnungs-Id.")],
    reason: Annotated[str, typer.Option("--reason", help="Grund, z. B. Betriebsprüfung 2027.")],
    actor: Annotated[
        str,
        typer.Option(
            "--as", help="Eigener Benutzername (Systemverwaltung oder Kreditorenbuchhaltung)."
        ),
    ],
) -> None:
    """Eine Rechnung über die Frist hinaus aufbewahren (Sperre, englisch legal hold)."""
    from einvoice.services.retention import HOLD_ROLES, RetentionError, place_hold

    _checked(actor, HOLD_ROLES)
    try:
        number = place_hold(container().pipeline, invoice_id, reason, actor)
    except RetentionError as exc:
        fail(str(exc), 1)
    typer.echo(f"Sperre {number} für Rechnung {invoice_id} gesetzt: {reason}")


@retention_app.command("release")
def release(
    invoice_id: Annotated[int, typer.Argument(help="Rechnungs-Id.")],
    actor: Annotated[
        str,
        typer.Option(
            "--as", help="Eigener Benutzername (Systemverwaltung oder Kreditorenbuchhaltung)."
        ),
    ],
) -> None:
    """Die Sperren einer Rechnung aufheben."""
    from einvoice.services.retention import HOLD_ROLES, release_hold

    _checked(actor, HOLD_ROLES)
    count = release_hold(container().pipeline, invoice_id, actor)
    typer.echo(f"{count_de(count, 'Sperre')} der Rechnung {invoice_id} aufgehoben.")
