"""`einvoice fsck`: blob store, audit chain and intermediate states against the database."""

from __future__ import annotations

import dataclasses
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from einvoice.cli.app import app
from einvoice.cli.common import EXIT_DATABASE, container, fail, interactive, print_json
from einvoice.cli.common import EXIT_FINDINGS as EXIT_PROBLEMS
from einvoice.presentation.plurals import count_de

KIND_LABELS = {
    "missing": "fehlende Originale",
    "corrupt": "beschädigte Originale",
    "unrecorded": "Dateien ohne Datenbankeintrag",
    "unreferenced": "Blobs ohne Verweis",
    "leftover": "temporäre Dateien",
    "audit": "Protokoll-Auffälligkeiten",
    "stuck": "liegengebliebene Arbeit",
    "dead_letter": "Dead Letters beim Broker",
}


@app.command()
def fsck(
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Reparieren, was sicher ist: unbenutzte Dateien in die Quarantäne, temporäre "
            "Dateien löschen, liegengebliebene Arbeit neu einreihen, hängende E-Mails neu senden.",
        ),
    ] = False,
    quick: Annotated[
        bool, typer.Option("--quick", help="Hashes nicht nachrechnen (nur Vorhandensein).")
    ] = False,
    grace: Annotated[
        float,
        typer.Option(
            help="Sekunden: jüngere Dateien gelten als gerade im Schreiben und werden übergangen."
        ),
    ] = 300.0,
    stuck_after: Annotated[
        float | None,
        typer.Option(
            help="Sekunden ohne Verarbeitungsversuch, ab denen Arbeit als liegengeblieben "
            "gilt (Standard 60)."
        ),
    ] = None,
    output: Annotated[str, typer.Option("--format", "-f", help="text oder json")] = "text",
) -> None:
    """Blob-Speicher, Prüfkette und Verarbeitungsstände gegen die Datenbank prüfen.

    Prüft: jedes Original vorhanden und mit richtigem SHA-256, keine Datei ohne
    Datenbankeintrag, kein Blob ohne Verweis, die Hash-Kette des Protokolls, keine
    Nachricht, kein Dokument, keine Rechnung und keine E-Mail, die hängen geblieben ist
    (seit 60 s kein Verarbeitungsversuch), keine Dead Letters beim Broker.
    Exit-Code 0: alles in Ordnung; 1: Auffälligkeiten (nach --repair: verbliebene);
    3: Datenbank nicht erreichbar.
    """
    from sqlalchemy.exc import DBAPIError

    from einvoice.errors import PermanentError
    from einvoice.services.fsck import fsck as run_fsck

    c = container()
    show_progress = interactive() and output != "json"

    def progress(done: int, total: int) -> None:
        if show_progress and (done % 200 == 0 or done == total):
            sys.stderr.write(f"\rOriginale geprüft: {done}/{total}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    from einvoice.services.status import STUCK_AFTER

    after = stuck_after if stuck_after is not None else STUCK_AFTER.total_seconds()
    try:
        report = run_fsck(
            c.pipeline,
            stuck_after=timedelta(seconds=after),
            quarantine=Path(c.settings.data_dir) / "fsck-quarantine",
            repair=repair,
            verify_hashes=not quick,
            grace_seconds=grace,
            progress=progress,
        )
        requeued = _requeue(c, report) if repair else 0
    except DBAPIError as exc:
        fail(f"Datenbank nicht erreichbar: {type(exc.orig).__name__}: {exc.orig}", EXIT_DATABASE)
    except PermanentError as exc:
        fail(str(exc), EXIT_PROBLEMS)
    if output == "json":
        print_json(
            {
                "ok": report.ok,
                "counts": report.counts(),
                "blobs_recorded": report.blobs_recorded,
                "blobs_stored": report.blobs_stored,
                "blobs_hashed": report.blobs_hashed,
                "audit_invoices": report.audit_invoices,
                "audit_events": report.audit_events,
                "requeued": requeued,
                "problems": [dataclasses.asdict(p) for p in report.problems],
            }
        )
    else:
        _print_text(report, requeued, quick)
    raise typer.Exit(0 if report.ok else EXIT_PROBLEMS)


def _print_text(report: object, requeued: int, quick: bool) -> None:
    from einvoice.services.fsck import FsckReport

    assert isinstance(report, FsckReport)
    typer.echo(
        f"Originale: {report.blobs_recorded} in der Datenbank, {report.blobs_stored} im "
        f"Speicher, "
        + ("Hashes nicht geprüft (--quick)." if quick else f"{report.blobs_hashed} Hashes geprüft.")
    )
    typer.echo(
        f"Protokoll: {count_de(report.audit_invoices, 'Rechnung')}, "
        f"{count_de(report.audit_events, 'Ereignis')}."
    )
    for problem in report.problems[:200]:
        mark = "repariert" if problem.repaired else "FEHLER"
        label = KIND_LABELS[problem.kind]
        typer.echo(f"  [{mark}] {label}: {problem.subject}: {problem.message_de}")
    if len(report.problems) > 200:
        typer.echo(f"  ... und {len(report.problems) - 200} weitere (--format json zeigt alle).")
    if requeued:
        typer.echo(f"{requeued} liegengebliebene Arbeitsschritte neu eingereiht.")
    if report.ok:
        typer.echo("fsck: in Ordnung.")
    else:
        counts = ", ".join(f"{KIND_LABELS[k]} {n}" for k, n in report.counts().items() if n)
        typer.echo(f"fsck: {count_de(len(report.open_problems), 'Auffälligkeit')}: {counts}.")


def _requeue(c: object, report: object) -> int:
    """Hand stuck work back to the broker (as the sweeper does)."""
    from einvoice import bootstrap
    from einvoice.cli.pipeline import run_inline
    from einvoice.services.fsck import FsckReport
    from einvoice.workers.actors import actors, register

    assert isinstance(report, FsckReport)
    count = (
        len(report.requeue_messages) + len(report.requeue_documents) + len(report.requeue_invoices)
    )
    if not count and not report.dead_letters:
        return 0
    settings = c.settings  # type: ignore[attr-defined]
    broker = bootstrap.make_broker(settings.broker_url)
    register(broker)
    if report.dead_letters:  # everything unfinished, from the database; dead letters removed
        from einvoice.workers.actors import redrive

        return redrive("fsck --repair").total
    for message_id in report.requeue_messages:
        actors().split.send(message_id)
    for document_id in report.requeue_documents:
        actors().process.send(document_id)
    for invoice_id in report.requeue_invoices:
        actors().route.send(invoice_id)
    if settings.broker_url == "stub":
        run_inline(broker)
    return count
