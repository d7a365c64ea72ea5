"""The actors. They take ids, call one service each, and enqueue the next step
only after that service committed. Transient errors are retried with backoff;
permanent ones, and documents out of attempts, end in the FAILED state."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import dramatiq

from einvoice import bootstrap
from einvoice.errors import PermanentError
from einvoice.services import (
    fetch,
    ingest,
    notifications,
    outbox,
    process,
    states,
    status,
    workflow,
)
from einvoice.storage.tables import Document
from einvoice.workers import QUEUE

log = logging.getLogger(__name__)

RETRY_OPTIONS: dict[str, Any] = {
    "max_retries": process.MAX_ATTEMPTS,
    "min_backoff": 500,
    "max_backoff": 30_000,
    "time_limit": 10 * 60 * 1000,
}


@dataclass(frozen=True)
class Actors:
    poll: dramatiq.Actor[Any, Any]
    split: dramatiq.Actor[Any, Any]
    process: dramatiq.Actor[Any, Any]
    route: dramatiq.Actor[Any, Any]
    sweep: dramatiq.Actor[Any, Any]
    deadlines: dramatiq.Actor[Any, Any]
    deliver_mail: dramatiq.Actor[Any, Any]


_actors: Actors | None = None


def actors() -> Actors:
    if _actors is None:
        raise RuntimeError("actors are not registered: call register(broker) first")
    return _actors


def poll_source(spec: str, limit: int | None = None) -> int:
    return poll_once(spec, limit).fetched


def _deadlines_actor() -> None:
    scan_deadlines()


def _sweep_actor() -> None:
    sweep()


def _poll_actor(spec: str, limit: int | None = None, respect_back_off: bool = False) -> None:
    """The ``poll_source`` actor: the result is recorded in ``source_polls``.

    Scheduled polls (``respect_back_off``) skip a mailbox that is backing off after a
    log-in, certificate or folder failure; a failure is logged, not retried at once.
    """
    result = poll_once(spec, limit, respect_back_off)
    if result.error is not None:
        log.error("poll of %s failed (%d in a row): %s", spec, result.failures, result.error)


_poll_locks: dict[str, threading.Lock] = {}
_poll_locks_guard = threading.Lock()


def poll_once(
    spec: str, limit: int | None = None, respect_back_off: bool = False
) -> fetch.PollResult:
    """One poll of a source; what could not be reached is in the result (and recorded)."""

    with _poll_locks_guard:
        lock = _poll_locks.setdefault(spec, threading.Lock())
    if not lock.acquire(blocking=False):  # this process polls the source already
        return fetch.PollResult(0, [])
    try:
        return _poll(spec, limit, respect_back_off)
    finally:
        lock.release()


def _poll(spec: str, limit: int | None, respect_back_off: bool = False) -> fetch.PollResult:
    from einvoice.errors import ConfigurationError, TransientError
    from einvoice.mailbox.sources import open_source

    container = bootstrap.container()
    pipeline, settings = container.pipeline, container.settings
    try:
        source = open_source(
            spec, settings.imap_password, settings.mailboxes, settings.imap_secrets
        )
    except ConfigurationError as exc:  # recorded and alerted, not a traceback per interval
        return fetch.record_unusable_source(pipeline, spec, str(exc))
    except TransientError as exc:
        return fetch.PollResult(0, [], f"Postfach nicht erreichbar: {exc}", fetch.MAILBOX)
    if respect_back_off:
        until = fetch.backing_off_until(pipeline, source.name, settings.poll_interval)
        if until is not None:
            source.close()
            log.info("mailbox %s backs off until %s after failed polls", source.name, until)
            return fetch.PollResult(0, [], skipped_until=until)
    try:
        return fetch.poll(pipeline, source, _enqueue_split, limit)
    finally:
        source.close()


def _enqueue_split(message_id: int) -> None:
    actors().split.send(message_id)


def split_message(message_id: int) -> None:
    pipeline = bootstrap.container().pipeline
    for document_id in ingest.split(pipeline, message_id):
        actors().process.send(document_id)


def process_document(document_id: int) -> None:
    pipeline = bootstrap.container().pipeline
    with pipeline.sessions() as session:
        document = session.get(Document, document_id)
        attempts = document.attempts if document else 0
        last_error = document.last_error if document else None
    if attempts >= process.MAX_ATTEMPTS:
        process.mark_failed(
            pipeline, document_id, f"nach {attempts} Versuchen aufgegeben: {last_error}"
        )
        return
    from einvoice.workers.metrics import OUTCOMES, PROCESSING_SECONDS

    try:
        with PROCESSING_SECONDS.time():
            outcome = process.process(pipeline, document_id)
        OUTCOMES.labels(outcome.state).inc()
    except PermanentError as exc:
        OUTCOMES.labels("failed").inc()
        log.warning("document %s failed permanently: %s", document_id, exc)
        process.mark_failed(pipeline, document_id, f"{type(exc).__name__}: {exc}")
        return
    except Exception as exc:
        log.warning("document %s: attempt failed, will retry: %s", document_id, exc)
        _note_error(document_id, f"{type(exc).__name__}: {exc}")
        if attempts + 1 >= process.MAX_ATTEMPTS:
            process.mark_failed(
                pipeline, document_id, f"nach {attempts + 1} Versuchen aufgegeben: {exc}"
            )
            return
        raise
    if outcome.invoice_id is not None:
        actors().route.send(outcome.invoice_id)
    elif outcome.state == states.UNREADABLE and pipeline.workflow is not None:
        notifications.deliver(pipeline, document_id=document_id)  # the answer to the sender
    prepare_page_images(document_id=document_id)


def prepare_page_images(*, document_id: int | None = None, invoice_id: int | None = None) -> None:
    """Draw a PDF's pages as pictures when it arrives (also an upload's, routed here), so
    the invoice page and the supplier portal show them at once; they are drawn on demand
    should this fail (never an error here). Pictures already drawn are kept."""
    from sqlalchemy import select

    from einvoice.presentation.page_images import PageImages, is_pdf
    from einvoice.storage.tables import Invoice

    container = bootstrap.container()
    try:
        with container.pipeline.sessions() as session:
            query = select(Document.sha256)
            if invoice_id is not None:
                query = query.join(Invoice, Invoice.document_id == Document.id).where(
                    Invoice.id == invoice_id
                )
            else:
                query = query.where(Document.id == document_id)
            sha = session.scalar(query)
        if sha is None:
            return
        data = container.pipeline.blobs.get(sha)
        if is_pdf(data):
            PageImages(container.settings.data_dir / "page-images").prepare(sha, data)
    except Exception:
        log.warning(
            "page pictures of document %s / invoice %s not drawn now",
            document_id,
            invoice_id,
            exc_info=True,
        )


def _note_error(document_id: int, error: str) -> None:
    try:
        pipeline = bootstrap.container().pipeline
        with pipeline.sessions() as session:
            document = session.get(Document, document_id)
            if document is not None:
                document.last_error = error[:4000]
                session.commit()
    except Exception:
        log.exception("could not record the error of document %s", document_id)


def route_invoice(invoice_id: int) -> None:
    """The invoice enters the workflow: its department's queue, or rejected (idempotent)."""
    try:
        result = workflow.route(bootstrap.container().pipeline, invoice_id)
    except PermanentError as exc:
        # e.g. a broken routing configuration: the sweeper re-enqueues it once fixed
        log.error("invoice %s could not be routed: %s", invoice_id, exc)
        return
    log.info("invoice %s: %s %s", invoice_id, result.status, result.department or "")
    prepare_page_images(invoice_id=invoice_id)


def scan_deadlines() -> int:
    """Flag invoices nearing or past a deadline and remind the departments (once each)."""
    scan = workflow.deadline_scan(bootstrap.container().pipeline)
    if scan.warnings:
        log.info("deadline scan: %d warning(s), %d reminder(s)", len(scan.warnings), scan.queued)
    return len(scan.warnings)


def sweep() -> tuple[int, int]:
    """Re-enqueue work left in an intermediate state (a lost broker message).

    Also releases e-mails that hung in ``sending`` and hands the e-mails due for
    a (next) attempt to the ``deliver_mail`` actor.
    """
    container = bootstrap.container()
    pipeline = container.pipeline
    messages, documents = status.stuck(pipeline, timedelta(seconds=container.settings.sweep_after))
    for message_id in messages:
        actors().split.send(message_id)
    for document_id in documents:
        actors().process.send(document_id)
    status.touch(pipeline, messages, documents)  # not again before another sweep_after
    invoices = workflow.unrouted(pipeline, timedelta(seconds=container.settings.sweep_after))
    for invoice_id in invoices:
        actors().route.send(invoice_id)
    released = outbox.release_stuck(pipeline)
    mails = outbox.due(pipeline) if pipeline.workflow is not None else []
    if mails:
        actors().deliver_mail.send(mails)
    _sweep_page_images(container)
    if messages or documents or invoices or released:
        log.info(
            "sweeper re-enqueued %d messages, %d documents, %d invoices to route; "
            "%d e-mail(s) released from 'sending'",
            len(messages),
            len(documents),
            len(invoices),
            released,
        )
    return len(messages), len(documents)


@dataclass(frozen=True)
class Redriven:
    messages: int
    documents: int
    invoices: int
    dead_letters: int  # dead letters read from the broker (and removed)

    @property
    def total(self) -> int:
        return self.messages + self.documents + self.invoices


def redrive(reason: str) -> Redriven:
    """Re-enqueue every piece of unfinished work the database knows, now, whatever its age.

    Run when a fault is over (broker or database back, disk writable again, a worker
    restarted, the worker started): what the fault cost is then resumed in seconds, not
    after EINVOICE_SWEEP_AFTER. The broker's dead letters are only pointers: the work they
    stood for is re-driven from the database's truth (still pending: enqueued again;
    finished meanwhile: dropped), then they are removed. Work still in the queue may run
    twice; every actor is idempotent.
    """
    pipeline = bootstrap.container().pipeline
    dead = list(pipeline.broker.dead_letters()) if pipeline.broker is not None else []
    messages, documents = status.stuck(pipeline, timedelta(0))
    invoices = workflow.unrouted(pipeline, timedelta(0))
    for message_id in messages:
        actors().split.send(message_id)
    for document_id in documents:
        actors().process.send(document_id)
    for invoice_id in invoices:
        actors().route.send(invoice_id)
    status.touch(pipeline, messages, documents)
    if dead and pipeline.broker is not None:
        pipeline.broker.remove_dead([letter.message_id for letter in dead])
    result = Redriven(len(messages), len(documents), len(invoices), len(dead))
    if result.total or dead:
        log.warning(
            "recovery (%s): re-enqueued %d message(s), %d document(s), %d invoice(s) to "
            "route; %d dead letter(s) at the broker re-driven from the database",
            reason,
            result.messages,
            result.documents,
            result.invoices,
            result.dead_letters,
        )
    return result


PAGE_IMAGES_SWEEP_SECONDS = 3600


def _sweep_page_images(container: Any) -> None:
    """Once an hour: the page pictures of originals that retention deleted go too."""
    import time

    from einvoice.presentation.page_images import PageImages

    root = container.settings.data_dir / "page-images"
    marker = root / ".swept"
    try:
        if marker.exists() and time.time() - marker.stat().st_mtime < PAGE_IMAGES_SWEEP_SECONDS:
            return
        root.mkdir(parents=True, exist_ok=True)
        marker.touch()
        removed = PageImages(root).sweep(container.pipeline.blobs.exists)
        if removed:
            log.info("page pictures of %d deleted original(s) removed", removed)
    except Exception:
        log.warning("page pictures not swept", exc_info=True)


def deliver_mail(notification_ids: list[int]) -> None:
    """Send the given pending e-mails (the outbox; each is claimed before it is sent)."""
    notifications.deliver(bootstrap.container().pipeline, ids=notification_ids)


def register(broker: Any) -> Actors:
    """Declare the actors on ``broker`` (once per process) and make it the global one."""
    global _actors
    dramatiq.set_broker(broker)

    def declare(fn: Any, name: str | None = None, **options: Any) -> dramatiq.Actor[Any, Any]:
        return dramatiq.Actor(
            fn,
            broker=broker,
            actor_name=name or fn.__name__,
            queue_name=QUEUE,
            priority=0,
            options=options,
        )

    _actors = Actors(
        poll=declare(_poll_actor, "poll_source", max_retries=3, min_backoff=5_000),
        split=declare(split_message, **RETRY_OPTIONS),
        process=declare(process_document, **RETRY_OPTIONS),
        route=declare(route_invoice, **RETRY_OPTIONS),
        sweep=declare(_sweep_actor, "sweep", max_retries=0),
        deadlines=declare(_deadlines_actor, "scan_deadlines", max_retries=0),
        deliver_mail=declare(deliver_mail, max_retries=0),
    )
    return _actors
