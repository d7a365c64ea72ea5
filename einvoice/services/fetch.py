"""Poll a source: store each original, commit, enqueue it, then let the source move it.

A failed poll is recorded (German text, cause, failures in a row) and returned, never
reported as success. Mailbox causes that do not go away by themselves (log-in,
certificate, TLS, folder) back off: the next scheduled poll waits 2, 4, 8, ... poll
intervals (at most an hour) so that a wrong password does not lock the mailbox.

One mailbox is polled by one process at a time (``storage.poll_lock``: an advisory
lock on PostgreSQL, a lock file beside an SQLite database); a second poller skips it
meanwhile (``PollResult.busy``, a debug log line).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from einvoice.errors import ConfigurationError, TransientError
from einvoice.mailbox.errors import BACK_OFF_CAUSES, MailboxError
from einvoice.mailbox.sources import Source
from einvoice.services import ingest
from einvoice.services.ports import Pipeline
from einvoice.storage.blobs import StorageFull
from einvoice.storage.poll_lock import exclusive_poll
from einvoice.storage.tables import SourcePoll

log = logging.getLogger(__name__)


#: what a failed poll could not reach (the CLI's exit code depends on it)
MAILBOX, STORAGE, DATABASE = "mailbox", "storage", "database"


@dataclass(frozen=True, slots=True)
class PollResult:
    fetched: int
    new_messages: list[int]
    error: str | None = None
    error_kind: str | None = None  # MAILBOX, STORAGE, DATABASE
    cause: str | None = None  # mailbox: a MailboxCause value or "konfiguration"
    failures: int = 0  # failed polls in a row, this one included
    skipped_until: datetime | None = None  # backing off: not polled
    busy: bool = False  # another process polls this source right now: not polled


CONFIGURATION = "konfiguration"  # the cause recorded for a ConfigurationError
MAX_BACK_OFF = timedelta(hours=1)


def poll(
    pipeline: Pipeline,
    source: Source,
    on_new: Callable[[int], None],
    limit: int | None = None,
) -> PollResult:
    """Take what the source holds; ``on_new`` runs after each commit (enqueue).

    A message is left in the source unless it was stored and committed: a full disk or
    an unreachable database ends the poll with a recorded error (German), never with
    a message taken and lost. While another process polls the same source, nothing is
    fetched (``busy``).
    """
    with ExitStack() as stack:
        try:
            ours = stack.enter_context(exclusive_poll(_engine(pipeline), source.name))
        except DBAPIError as exc:
            return PollResult(0, [], f"Datenbank nicht erreichbar: {_db_reason(exc)}", DATABASE)
        if not ours:
            log.debug("polling %s skipped: another process polls it right now", source.name)
            return PollResult(0, [], busy=True)
        return _poll(pipeline, source, on_new, limit)


def _engine(pipeline: Pipeline) -> Engine:
    bind = getattr(pipeline.sessions, "kw", {}).get("bind")
    if isinstance(bind, Engine):
        return bind
    with pipeline.sessions() as session:
        found = session.get_bind()
    return found if isinstance(found, Engine) else found.engine


def _poll(
    pipeline: Pipeline, source: Source, on_new: Callable[[int], None], limit: int | None
) -> PollResult:
    fetched = 0
    new: list[int] = []
    error: str | None = None
    kind: str | None = None
    cause: str | None = None
    try:
        for item in source.fetch(limit):
            try:
                received = ingest.receive(
                    pipeline,
                    item.raw,
                    item.channel,
                    f"{source.name} {item.name}",
                    polled_item=True,
                )
            except StorageFull as exc:
                error, kind = f"Speicher voll: {exc}", STORAGE
                break
            except TransientError as exc:
                error, kind = f"Blob-Speicher nicht beschreibbar: {exc}", STORAGE
                break
            except DBAPIError as exc:
                error, kind = f"Datenbank nicht erreichbar: {_db_reason(exc)}", DATABASE
                break
            # enqueued before the move: a poll cut off between the two leaves the item in the
            # source, and fetching it again enqueues its message again while it is unsplit
            # (after the move nothing would find it before the sweeper)
            if received.new or received.unsplit:
                on_new(received.message_id)
            if received.new:
                new.append(received.message_id)
            source.done(item, ok=True)  # only after the commit above
            fetched += 1
    except MailboxError as exc:  # German, with the cause (certificate, log-in, ...)
        error, kind, cause = str(exc), MAILBOX, exc.cause.value
    except ConfigurationError as exc:
        error, kind, cause = f"Konfigurationsfehler: {exc}", MAILBOX, CONFIGURATION
    except TransientError as exc:
        error, kind = f"Postfach nicht erreichbar: {exc}", MAILBOX
    if error:
        # info: the caller reports it (the CLI in German, the actor as an error)
        log.info("polling %s failed after %d message(s): %s", source.name, fetched, error)
    failures = 0
    try:
        failures = _record_poll(pipeline, source.name, fetched, error, cause)
    except DBAPIError as exc:
        log.error("polling %s: the poll could not be recorded: %s", source.name, _db_reason(exc))
        if error is None:
            error, kind = f"Datenbank nicht erreichbar: {_db_reason(exc)}", DATABASE
    return PollResult(fetched, new, error, kind, cause, failures)


def record_unusable_source(pipeline: Pipeline, name: str, error: str) -> PollResult:
    """A source that cannot even be opened (unknown name, bad URL): recorded as a failed
    poll with the cause ``konfiguration``, so status, operations page and the alert on
    failing polls show it (instead of a traceback in the worker's log every interval)."""
    text = f"Konfigurationsfehler: {error}"
    failures = _record_poll(pipeline, name, 0, text, CONFIGURATION)
    return PollResult(0, [], text, MAILBOX, CONFIGURATION, failures)


def _db_reason(exc: DBAPIError) -> str:
    text = str(exc.orig).strip().splitlines()
    return f"{type(exc.orig).__name__}: {text[0] if text else ''}"[:500]


def _record_poll(
    pipeline: Pipeline, name: str, fetched: int, error: str | None, cause: str | None
) -> int:
    try:
        return _write_poll(pipeline, name, fetched, error, cause)
    except IntegrityError:  # another machine recorded its first poll of this source meanwhile
        return _write_poll(pipeline, name, fetched, error, cause)


def _write_poll(
    pipeline: Pipeline, name: str, fetched: int, error: str | None, cause: str | None
) -> int:
    now = pipeline.clock()
    with pipeline.sessions() as session:
        row = session.get(SourcePoll, name[:500])
        if row is None:
            row = SourcePoll(source=name[:500], polled_at=now, fetched=0, failures=0)
            session.add(row)
        row.polled_at = now
        row.fetched = fetched
        row.error = error
        row.cause = cause
        if error is None:
            row.failures, row.failing_since = 0, None
        else:
            row.failures = (row.failures or 0) + 1
            row.failing_since = row.failing_since or now
        failures = row.failures
        session.commit()
    return failures


#: The beginnings of a failed poll's text when our side failed (blob store, database), not
#: the mailbox: the poll is repeated as soon as that side works again (the recovery).
OWN_SIDE_ERRORS = (
    "Speicher voll",
    "Blob-Speicher nicht beschreibbar",
    "Datenbank nicht erreichbar",
)


def failed_on_our_side(pipeline: Pipeline, older_than: timedelta) -> list[str]:
    """Sources whose last poll (longer than ``older_than`` ago) failed on our side."""
    cutoff = pipeline.clock() - older_than
    with pipeline.sessions() as session:
        rows = session.execute(
            select(SourcePoll.source, SourcePoll.error, SourcePoll.polled_at).where(
                SourcePoll.error.is_not(None)
            )
        ).all()
    found = []
    for source, error, polled_at in rows:
        if polled_at.tzinfo is None:  # SQLite
            polled_at = polled_at.replace(tzinfo=UTC)
        if str(error).startswith(OWN_SIDE_ERRORS) and polled_at < cutoff:
            found.append(str(source))
    return found


def backing_off_until(pipeline: Pipeline, name: str, interval: float) -> datetime | None:
    """When the next scheduled poll of ``name`` may run, if it is backing off now."""
    with pipeline.sessions() as session:
        row = session.get(SourcePoll, name[:500])
        if row is None or not row.failures or row.cause not in _BACK_OFF:
            return None
        delay = min(timedelta(seconds=interval * 2**row.failures), MAX_BACK_OFF)
        polled_at = row.polled_at
    if polled_at.tzinfo is None:  # SQLite gives naive datetimes back
        polled_at = polled_at.replace(tzinfo=UTC)
    until = polled_at + delay
    return until if until > pipeline.clock() else None


_BACK_OFF = {cause.value for cause in BACK_OFF_CAUSES} | {CONFIGURATION}
