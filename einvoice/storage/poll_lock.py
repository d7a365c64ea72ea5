"""One poll of a mailbox at a time, across processes and machines.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) keyed on the
source's name, held on its own connection for the poll and released at its end -
or by the server when the process dies. SQLite (one machine): an exclusive ``flock``
on a lock file beside the database file, released by the kernel when the process dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for the source ``name``."""
    digest = hashlib.sha256(f"einvoice-poll:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def exclusive_poll(engine: Engine, name: str) -> Iterator[bool]:
    """Yield True when this process may poll ``name`` now, False when another one does."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, lock_key(name)) as held:
            yield held
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with _file_lock(Path(str(engine.url.database)), lock_key(name)) as held:
            yield held
    else:  # an in-memory database lives in one process only
        yield True


@contextmanager
def _advisory(engine: Engine, key: int) -> Iterator[bool]:
    with engine.connect() as connection:
        held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}))
        connection.commit()  # the lock belongs to the session, not to this transaction
        try:
            yield held
        finally:
            if held:
                try:
                    connection.scalar(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    connection.commit()
                except DBAPIError as exc:  # the connection is gone, and the lock with it
                    log.warning("poll lock %d not released: %s", key, exc.orig)


@contextmanager
def _file_lock(database: Path, key: int) -> Iterator[bool]:
    path = database.with_name(f"{database.name}.poll-{key & 0xFFFFFFFFFFFFFFFF:016x}.lock")
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
