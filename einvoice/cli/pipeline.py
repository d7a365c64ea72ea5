"""Pipeline commands: db upgrade, ingest, worker, status, failures."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from einvoice.cli.app import app
from einvoice.cli.common import (
    EXIT_DATABASE,
    EXIT_MAILBOX,
    EXIT_STORAGE,
    city_time,
    container,
    fail,
    print_json,
)
from einvoice.errors import ConfigurationError
from einvoice.presentation.plurals import count_de

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
    from einvoice.logs import announce

    announce(f"Datenbank ist aktuell: {_safe_url(c.settings.database_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def run_inline(broker: Any, worker_threads: int = 2) -> None:
    """Drain a stub broker with an in-process dramatiq worker."""
    from dramatiq import Worker

    from einvoice.workers import QUEUE

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
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            help="maildir:PFAD, drop:PFAD, imaps://user@host/ORDNER oder ein Postfach aus "
            "EINVOICE_MAILBOXES (mehrfach möglich; ohne: alle Postfächer der Datei)",
        ),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Einmal abholen und enden.")] = False,
    limit: Annotated[
        int | None, typer.Option(help="Höchstens so viele Nachrichten je Abruf.")
    ] = None,
) -> None:
    """Rechnungen aus Postfächern oder Ordnern abholen und zur Verarbeitung einreihen.

    Mit dem eingebauten Broker (EINVOICE_BROKER_URL=stub) wird gleich hier verarbeitet.
    Ein fehlgeschlagener Abruf wird mit Grund festgehalten (einvoice status); mit --once
    Exit-Code 3: Datenbank nicht erreichbar, 4: Speicher voll oder nicht beschreibbar,
    5: Postfach nicht lesbar (Zertifikat, Anmeldung, Verbindung, Ordner; Grund in der
    Meldung). Nicht Gespeichertes bleibt im Postfach.
    """
    from einvoice import bootstrap
    from einvoice.services.fetch import DATABASE, MAILBOX, STORAGE
    from einvoice.workers.actors import poll_once, register

    c = container()
    sources = list(source or []) or [m.name for m in c.settings.mailboxes]
    if not sources:
        fail("Keine Quelle: --source angeben oder Postfächer in EINVOICE_MAILBOXES eintragen.")
    broker = bootstrap.make_broker(c.settings.broker_url)
    register(broker)
    inline = c.settings.broker_url == "stub"
    exit_codes = {DATABASE: EXIT_DATABASE, STORAGE: EXIT_STORAGE, MAILBOX: EXIT_MAILBOX}
    while True:
        results = []
        for spec in sources:
            try:
                results.append((spec, poll_once(spec, limit, respect_back_off=not once)))
            except ConfigurationError as exc:
                fail(f"Konfigurationsfehler: {exc}")
        fetched = sum(r.fetched for _, r in results)
        if inline and fetched and not any(r.error for _, r in results):
            run_inline(broker)
        worst = 0
        for spec, result in results:
            if result.busy:
                typer.echo(
                    f"{spec}: wird gerade von einem anderen Prozess abgerufen – übersprungen.",
                    err=True,
                )
                continue
            if result.skipped_until is not None:
                typer.echo(
                    f"{spec}: nach fehlgeschlagenen Abrufen wartet der nächste Versuch bis "
                    f"{result.skipped_until:%H:%M:%S} UTC.",
                    err=True,
                )
                continue
            if not result.error or result.fetched:
                typer.echo(f"{count_de(result.fetched, 'Nachricht')} aus {spec} übernommen.")
            if not result.error:
                continue
            typer.echo(
                f"Abruf von {spec} fehlgeschlagen – {result.error}"
                + ("" if once else " – nächster Versuch später."),
                err=True,
            )
            if inline and result.fetched:
                typer.echo(
                    "Die übernommenen Nachrichten sind gespeichert; 'einvoice sweep' verarbeitet "
                    "sie, sobald der Fehler behoben ist.",
                    err=True,
                )
            worst = worst or exit_codes.get(result.error_kind or "", 1)
        if once:
            if worst:
                raise typer.Exit(worst)
            return
        time.sleep(c.settings.poll_interval)


@app.command()
def worker(
    processes: Annotated[int, typer.Option(help="Anzahl Worker-Prozesse.", min=1)] = 1,
    threads: Annotated[int, typer.Option(help="Threads je Prozess.", min=1)] = 2,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Quellen regelmäßig abrufen.")
    ] = None,
    grace: Annotated[
        float,
        typer.Option(help="Sekunden, die laufende Arbeit beim Beenden fertig werden darf."),
    ] = 60.0,
    max_restarts: Annotated[
        int,
        typer.Option(help="Neustarts eines abgestürzten Prozesses je 10 Minuten, dann Abbruch."),
    ] = 10,
) -> None:
    """dramatiq-Worker starten und überwachen (Redis-Broker aus EINVOICE_BROKER_URL).

    Ein abgestürzter Worker-Prozess wird neu gestartet (mit Protokollzeile, höchstens
    --max-restarts-mal in 10 Minuten; danach Exit-Code 1). SIGTERM/SIGINT werden an die
    Prozesse weitergegeben; laufende Arbeit darf --grace Sekunden fertig werden, danach
    wird hart beendet. Mit --source werden die Quellen alle EINVOICE_POLL_INTERVAL Sekunden
    abgerufen; der Aufräumer reiht liegengebliebene Arbeit neu ein. Ausfälle von Redis oder
    der Datenbank überlebt der Zeitplaner: er versucht es weiter, bis sie zurück sind.
    """
    from einvoice.logs import configure_from_env, json_wanted
    from einvoice.workers.supervisor import Supervisor

    configure_from_env("INFO")  # a service: what it does is worth a line
    c = container()
    if c.settings.broker_url == "stub":
        fail(
            "Der eingebaute Broker (stub) hat keine getrennten Worker: EINVOICE_BROKER_URL="
            "redis://... setzen, oder 'einvoice ingest --once' / 'einvoice demo' verwenden."
        )
    from einvoice.workers import worker_command

    command = worker_command(threads)
    env = os.environ.copy()
    sources = _worker_sources(c, source or [])
    metrics_dir = _serve_metrics(c, env, len(sources)) if c.settings.metrics_port else None
    from einvoice.workers.actors import redrive
    from einvoice.workers.recovery import Recovery
    from einvoice.workers.scheduler import Scheduler

    schedule: list[Scheduler] = []
    recovery = Recovery(c, redrive, lambda: schedule[0].run_soon("poll ") if schedule else None)
    supervisor = Supervisor(
        command,
        processes,
        grace=grace,
        max_restarts=max_restarts,
        env=env,
        metrics_dir=metrics_dir,
        # with JSON logs the supervisor's own messages are log records too
        echo=logging.getLogger("einvoice.worker").warning if json_wanted() else None,
        on_restart=recovery.worker_restarted,
    )
    supervisor.install_signal_handlers()
    stop = threading.Event()
    scheduler = threading.Thread(
        target=_schedule,
        args=(c, sources, stop, recovery, schedule),
        daemon=True,
        name="scheduler",
    )
    scheduler.start()
    try:
        code = supervisor.run()
    finally:
        stop.set()
        supervisor.shutdown()
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    raise typer.Exit(code)


def _worker_sources(c: Any, given: list[str]) -> list[str]:
    """What this worker polls: --source, else every mailbox of EINVOICE_MAILBOXES, else
    EINVOICE_MAILBOX. An empty --source (an unset variable in a unit file) is dropped with
    a warning; a worker polling nothing says so at start and in its metrics
    (``einvoice_worker_mailboxes`` 0, the alert EinvoiceNoMailboxPolled)."""
    log = logging.getLogger("einvoice.worker")
    sources = [s.strip() for s in given if s.strip()]
    if len(sources) < len(given):
        log.warning("leere --source-Angabe ignoriert (nicht gesetzte Variable?)")
    if not sources:
        sources = [m.name for m in c.settings.mailboxes]
    if not sources and os.environ.get("EINVOICE_MAILBOX", "").strip():
        sources = [os.environ["EINVOICE_MAILBOX"].strip()]
    if sources:
        log.info("Postfächer: %s", ", ".join(sources))
    else:
        log.warning(
            "Dieser Worker ruft kein Postfach ab (weder --source noch EINVOICE_MAILBOXES oder "
            "EINVOICE_MAILBOX): er verarbeitet nur, was andere Worker oder Uploads einreihen."
        )
    return sources


def _serve_metrics(c: Any, env: dict[str, str], mailboxes: int) -> Path:
    """Serve this machine's worker metrics on PORT and the database state on PORT+1.

    A fresh folder for prometheus_client's multiprocess mode goes to the dramatiq processes
    (each writes its own files); the endpoint on PORT sums them. The state has a registry
    of its own. Each replica (container, machine) does the same with its own folder.
    """
    from einvoice.workers.metrics import MULTIPROC_ENV, serve, state_registry, worker_registry

    port = c.settings.metrics_port
    host = os.environ.get("EINVOICE_METRICS_HOST", "127.0.0.1")
    folder = Path(tempfile.mkdtemp(prefix="einvoice-metrics-"))
    env[MULTIPROC_ENV] = str(folder)
    try:
        serve(worker_registry(folder, mailboxes=mailboxes), port, host)
        serve(state_registry(c.pipeline, c.settings), port + 1, host)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        fail(
            f"Metrik-Endpunkt auf {host}:{port} bzw. :{port + 1} kann nicht geöffnet werden "
            f"({exc.strerror or exc}): EINVOICE_METRICS_PORT/EINVOICE_METRICS_HOST prüfen "
            "(läuft dort schon ein Worker?).",
            2,
        )
    from einvoice.logs import announce

    announce(f"Prometheus: Worker auf {host}:{port}, Zustand aus der Datenbank auf :{port + 1}")
    return folder


def _schedule(
    c: Any, sources: list[str], stop: threading.Event, recovery: Any, built: list[Any]
) -> None:
    from einvoice import bootstrap
    from einvoice.workers.actors import actors, register, sweep
    from einvoice.workers.recovery import CHECK_EVERY
    from einvoice.workers.scheduler import Scheduler, Task

    register(bootstrap.make_broker(c.settings.broker_url))

    def poll(spec: str) -> Any:
        return lambda: actors().poll.send(spec, None, True)  # backs off after log-in failures

    tasks = [Task(f"poll {spec}", c.settings.poll_interval, poll(spec)) for spec in sources]
    tasks += [
        # first: resume what a fault left behind as soon as it is over (and at start)
        Task("recovery", CHECK_EVERY, recovery.check),
        # the sweep runs here, not as a message: it must work when the broker lost everything
        Task("sweep", min(60.0, c.settings.sweep_after), sweep),
        Task(
            "deadline scan",
            c.settings.workflow.deadline_scan_interval,
            lambda: actors().deadlines.send(),
        ),
    ]
    scheduler = Scheduler(tasks, max_backoff=min(60.0, c.settings.poll_interval))
    built.append(scheduler)
    scheduler.run(stop)


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
        f"Unlesbar (keine Rechnung erkennbar): {counts['unreadable']}\n"
        f"Fehlgeschlagen: {counts['failed']}\n"
        f"Offen (noch in keinem Arbeitskorb): {counts['pending']}" + _open_detail(counts)
    )
    broker = counts["broker"]
    if broker["error"]:
        typer.echo(f"Broker: NICHT ERREICHBAR – {broker['error']}")
    elif broker["kind"] != "stub":
        dead = broker["dead_letters"]
        typer.echo(
            f"Broker: {broker['waiting']} Aufträge wartend, Dead Letters: {dead}"
            + (
                " – der Worker führt sie aus der Datenbank neu aus (sofort: einvoice fsck --repair)"
                if dead
                else ""
            )
        )
    mail = counts["mail"]
    if mail:
        labels = {
            "pending": "wartend",
            "sending": "im Versand",
            "sent": "gesendet",
            "failed": "FEHLGESCHLAGEN",
            "undeliverable": "ohne Adresse",
        }
        typer.echo(
            "E-Mails: " + ", ".join(f"{labels.get(k, k)} {n}" for k, n in sorted(mail.items()))
        )
    for poll in counts["last_polls"]:
        line = (
            f"Letzter Abruf {poll['source']}: {_moment(poll['polled_at'])} "
            f"({poll['fetched']} Nachrichten)"
        )
        if poll["error"]:
            line += (
                f" FEHLER ({poll['failures']}× in Folge seit {_moment(poll['failing_since'])}): "
                f"{poll['error']}"
            )
        typer.echo(line)


def _open_detail(counts: dict[str, Any]) -> str:
    """What "Offen" consists of, and how much of it is stuck (no attempt for 60 s)."""
    if not counts["pending"]:
        return ""
    split = sum(counts["message_states"].get(s, 0) for s in ("received",))
    process = counts["document_states"].get("stored", 0)
    text = (
        f" (nicht zerlegt {split}, nicht geprüft {process}, "
        f"keinem Amt zugeordnet {counts['unrouted']})"
    )
    if counts["stuck"]:
        text += (
            f"\nLiegengeblieben (seit {counts['stuck_after_seconds']} s kein "
            f"Verarbeitungsversuch): {counts['stuck']}"
        )
    return text


def _moment(text: str | None) -> str:
    """An ISO 8601 moment of the status report in the city's time (``02.12.2026 08:55``)."""
    from datetime import datetime

    if not text:
        return "–"
    try:
        return city_time(datetime.fromisoformat(text))
    except ValueError:
        return text


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
    typer.echo(f"{count_de(len(retried), 'Dokument')} erneut eingereiht.")


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
    typer.echo(
        f"{count_de(messages, 'Nachricht')} und {count_de(documents, 'Dokument')} neu eingereiht."
    )
