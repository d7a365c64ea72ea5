"""Poll a source: store each original, commit, then let the source move it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from einvoice.errors import TransientError
from einvoice.mailbox.sources import Source
from einvoice.services import ingest
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import SourcePoll

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollResult:
    fetched: int
    new_messages: list[int]
    error: str | None = None


def poll(
    pipeline: Pipeline,
    source: Source,
    on_new: Callable[[int], None],
    limit: int | None = None,
) -> PollResult:
    """Take what the source holds; ``on_new`` runs after each commit (enqueue)."""
    fetched = 0
    new: list[int] = []
    error: str | None = None
    try:
        for item in source.fetch(limit):
            received = ingest.receive(
                pipeline, item.raw, item.channel, f"{source.name} {item.name}"
            )
            source.done(item, ok=True)  # only after the commit above
            fetched += 1
            if received.new:
                new.append(received.message_id)
                on_new(received.message_id)
    except TransientError as exc:
        error = str(exc)
        log.warning("polling %s failed: %s", source.name, exc)
    _record_poll(pipeline, source.name, fetched, error)
    return PollResult(fetched, new, error)


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
