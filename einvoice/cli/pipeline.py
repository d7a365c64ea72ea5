"""Pipeline commands: db upgrade, ingest, worker, status, failures."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from typing import Annotated, Any

import typer

from einvoice.cli.app import app
from einvoice.cli.common import container, fail, print_json
from einvoice.errors import ConfigurationError, TransientError

db_app = typer.Typer(help="Datenbank verwalten.", no_args_is_help=True)
failures_app = typer.Typer(
    help="Fehlgeschlagene Dokumente ansehen und erneut verarbeiten.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(failures_app, name="failures")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Datenbankschema auf den neuesten Stand bringen (Alembic-Migrationen)."""
    from einvoice.storage import db

    c = container(ready=False)
    try:
        db.upgrade(c.settings.database_url)
    except Exception as exc:
        fail(f"Datenbank-Migration fehlgeschlagen ({c.settings.database_url}): {exc}", 1)
    typer.echo(f"Datenbank ist aktuell: {_safe_url(c.settings.database_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def run_inline(broker: Any, worker_threads: int = 2) -> None:
    """Drain a stub broker with an in-process dramatiq worker."""
    from dramatiq import Worker

    from einvoice.workers.actors import QUEUE

    worker = Worker(broker, worker_timeout=100, worker_threads=worker_threads)
    worker.start()
    try:
        broker.join(QUEUE, fail_fast=True)
        worker.join()
    finally:
        worker.stop()


@app.command()
def ingest(
    source: Annotated[
        str,
        typer.Option("--source", "-s", help="maildir:PFAD, drop:PFAD oder imaps://user@host/INBOX"),
    ],
    once: Annotated[bool, typer.Option("--once", help="Einmal abholen und enden.")] = False,
    limit: Annotated[
        int | None, typer.Option(help="Höchstens so viele Nachrichten je Abruf.")
    ] = None,
) -> None:
    """Rechnungen aus einem Postfach oder Ordner abholen und zur Verarbeitung einreihen.

    Mit dem eingebauten Broker (EINVOICE_BROKER_URL=stub) wird gleich hier verarbeitet.
    """
    from einvoice import bootstrap
    from einvoice.workers.actors import poll_source, register

    c = container()
    broker = bootstrap.make_broker(c.settings.broker_url)
    register(broker)
    inline = c.settings.broker_url == "stub"
    while True:
        try:
            fetched = poll_source(source, limit)
        except ConfigurationError as exc:
            fail(f"Konfigurationsfehler: {exc}")
        except TransientError as exc:
            typer.echo(f"Abruf fehlgeschlagen, nächster Versuch später: {exc}", err=True)
            fetched = 0
        if inline:
            run_inline(broker)
        typer.echo(f"{fetched} Nachricht(en) aus {source} übernommen.")
        if once:
            return
        time.sleep(c.settings.poll_interval)


@app.command()
def worker(
    processes: Annotated[int, typer.Option(help="Anzahl Worker-Prozesse.")] = 1,
    threads: Annotated[int, typer.Option(help="Threads je Prozess.")] = 2,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Quellen regelmäßig abrufen.")
    ] = None,
) -> None:
    """dramatiq-Worker starten (Redis-Broker aus EINVOICE_BROKER_URL).

    Mit --source werden die Quellen alle EINVOICE_POLL_INTERVAL Sekunden abgerufen;
    der Aufräumer reiht liegengebliebene Arbeit regelmäßig neu ein.
    """
    c = container()
    if c.settings.broker_url == "stub":
        fail(
            "Der eingebaute Broker (stub) hat keine getrennten Worker: EINVOICE_BROKER_URL="
            "redis://... setzen, oder 'einvoice ingest --once' / 'einvoice demo' verwenden."
        )
    command = [
        sys.executable,
        "-m",
        "dramatiq",
        "einvoice.workers.entry",
        "--processes",
        str(processes),
        "--threads",
        str(threads),
        "--queues",
        "einvoice",
    ]
    if c.settings.metrics_port:
        from prometheus_client import REGISTRY, start_http_server

        from einvoice.workers.metrics import DatabaseCollector

        REGISTRY.register(DatabaseCollector(c.pipeline))
        start_http_server(c.settings.metrics_port + 1, addr="127.0.0.1")
        typer.echo(
            f"Prometheus: Worker auf :{c.settings.metrics_port}, Warteschlangen auf "
            f":{c.settings.metrics_port + 1}"
        )
    child = subprocess.Popen(command, env=os.environ.copy())
    stop = threading.Event()
    scheduler = threading.Thread(
        target=_schedule, args=(c, source or [], stop), daemon=True, name="scheduler"
    )
    scheduler.start()
    try:
        code = child.wait()
    except KeyboardInterrupt:
        child.terminate()
        code = child.wait()
    stop.set()
    raise typer.Exit(code)


def _schedule(c: Any, sources: list[str], stop: threading.Event) -> None:
    from einvoice import bootstrap
    from einvoice.workers.actors import actors, register

    register(bootstrap.make_broker(c.settings.broker_url))
    last_sweep = last_scan = 0.0
    while not stop.is_set():
        for spec in sources:
            actors().poll.send(spec)
        if time.monotonic() - last_sweep > min(60.0, c.settings.sweep_after):
            actors().sweep.send()
            last_sweep = time.monotonic()
        if time.monotonic() - last_scan > c.settings.workflow.deadline_scan_interval:
            actors().deadlines.send()  # deadlines near or past: flag and remind (once each)
            last_scan = time.monotonic()
        stop.wait(c.settings.poll_interval)


@app.command()
def status(
    output: Annotated[str, typer.Option("--format", "-f", help="text oder json")] = "text",
) -> None:
    """Stand der Verarbeitung: Rechnungen, Duplikate, Fehler, offene Arbeit."""
    from einvoice.services.status import status as read_status

    counts = read_status(container().pipeline)
    if output == "json":
        print_json(counts)
        return
    typer.echo(
        f"Rechnungen: {counts['invoices']} (angenommen {counts['accepted']}, "
        f"abgelehnt {counts['rejected']})\n"
        f"Duplikate: {counts['duplicates']}\n"
        f"Nachrichten ohne Rechnung: {counts['no_invoice']}\n"
        f"Über Grenzen abgewiesen: {counts['refused']}\n"
        f"Fehlgeschlagen: {counts['failed']}\n"
        f"Offen: {counts['pending']}"
    )
    for poll in counts["last_polls"]:
        typer.echo(
            f"Letzter Abruf {poll['source']}: {poll['polled_at']} "
            f"({poll['fetched']} Nachrichten){' FEHLER: ' + poll['error'] if poll['error'] else ''}"
        )


@failures_app.command("list")
def failures_list(
    output: Annotated[str, typer.Option("--format", "-f", help="text oder json")] = "text",
) -> None:
    """Fehlgeschlagene Dokumente auflisten."""
    from einvoice.services.status import failures

    rows = failures(container().pipeline)
    if output == "json":
        print_json(rows)
        return
    if not rows:
        typer.echo("Keine fehlgeschlagenen Dokumente.")
    for row in rows:
        typer.echo(
            f"{row['document']:>6}  {row['filename']}  ({row['attempts']} Versuche): "
            f"{(row['error'] or '')[:100]}"
        )


@failures_app.command("show")
def failures_show(document_id: int) -> None:
    """Ein fehlgeschlagenes Dokument im Detail zeigen."""
    from einvoice.services.status import failure_dict
    from einvoice.storage.tables import Document

    with container().pipeline.sessions() as session:
        document = session.get(Document, document_id)
        if document is None:
            fail(f"Dokument {document_id} nicht gefunden.", 1)
        print_json(failure_dict(document) | {"state": document.state})


@failures_app.command("retry")
def failures_retry(
    document_ids: Annotated[list[int] | None, typer.Argument(help="Dokument-Nummern")] = None,
    all_failed: Annotated[bool, typer.Option("--all", help="Alle fehlgeschlagenen.")] = False,
) -> None:
    """Fehlgeschlagene Dokumente erneut verarbeiten."""
    from einvoice import bootstrap
    from einvoice.services import process
    from einvoice.services.status import failures
    from einvoice.workers.actors import actors, register

    c = container()
    ids = list(document_ids or [])
    if all_failed:
        ids = [row["document"] for row in failures(c.pipeline)]
    if not ids:
        fail("Keine Dokumente angegeben (Nummern oder --all).")
    broker = bootstrap.make_broker(c.settings.broker_url)
    register(broker)
    retried = [i for i in ids if process.retry(c.pipeline, i)]
    for document_id in retried:
        actors().process.send(document_id)
    if c.settings.broker_url == "stub":
        run_inline(broker)
    typer.echo(f"{len(retried)} Dokument(e) erneut eingereiht.")


@app.command()
def sweep() -> None:
    """Liegengebliebene Arbeit (älter als EINVOICE_SWEEP_AFTER Sekunden) neu einreihen."""
    from einvoice import bootstrap
    from einvoice.workers.actors import register
    from einvoice.workers.actors import sweep as run_sweep

    c = container()
    broker = bootstrap.make_broker(c.settings.broker_url)
    register(broker)
    messages, documents = run_sweep()
    if c.settings.broker_url == "stub":
        run_inline(broker)
    typer.echo(f"{messages} Nachricht(en) und {documents} Dokument(e) neu eingereiht.")
