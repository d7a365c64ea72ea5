"""Poll a source: store each original, commit, then let the source move it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from einvoice.errors import TransientError
from einvoice.mailbox.sources import Source
from einvoice.services import ingest
from einvoice.services.ports import Pipeline
from einvoice.storage.blobs import StorageFull
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


def poll(
    pipeline: Pipeline,
    source: Source,
    on_new: Callable[[int], None],
    limit: int | None = None,
) -> PollResult:
    """Take what the source holds; ``on_new`` runs after each commit (enqueue).

    A message is left in the source unless it was stored and committed: a full disk or
    an unreachable database ends the poll with a recorded error (German), never with
    a message taken and lost.
    """
    fetched = 0
    new: list[int] = []
    error: str | None = None
    kind: str | None = None
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
            source.done(item, ok=True)  # only after the commit above
            fetched += 1
            if received.new:
                new.append(received.message_id)
                on_new(received.message_id)
    except TransientError as exc:
        error, kind = f"Postfach nicht erreichbar: {exc}", MAILBOX
    if error:
        log.warning("polling %s failed after %d message(s): %s", source.name, fetched, error)
    try:
        _record_poll(pipeline, source.name, fetched, error)
    except DBAPIError as exc:
        log.error("polling %s: the poll could not be recorded: %s", source.name, _db_reason(exc))
        if error is None:
            error, kind = f"Datenbank nicht erreichbar: {_db_reason(exc)}", DATABASE
    return PollResult(fetched, new, error, kind)


def _db_reason(exc: DBAPIError) -> str:
    text = str(exc.orig).strip().splitlines()
    return f"{type(exc.orig).__name__}: {text[0] if text else ''}"[:500]


def _record_poll(pipeline: Pipeline, name: str, fetched: int, error: str | None) -> None:
    with pipeline.sessions() as session:
        row = session.get(SourcePoll, name[:500])
        if row is None:
            row = SourcePoll(source=name[:500], polled_at=pipeline.clock(), fetched=0)
            session.add(row)
        row.polled_at = pipeline.clock()
        row.fetched = fetched
        row.error = error
        session.commit()
