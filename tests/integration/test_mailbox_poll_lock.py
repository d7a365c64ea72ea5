"""One mailbox, one poll at a time: a second poller - another thread with its own
connection, or another process - skips the mailbox while the first one polls it
(SQLite: lock file; PostgreSQL: advisory lock)."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from einvoice.bootstrap import Container
from einvoice.mailbox.sources import DropFolderSource, RawItem
from einvoice.services import fetch
from einvoice.storage.poll_lock import exclusive_poll
from tests.integration.mail import invoice_xml


class Gated(DropFolderSource):
    """A drop folder whose fetch waits, inside the poll, until the test lets it go on."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.inside, self.go_on = threading.Event(), threading.Event()
        self.fetches = 0

    def fetch(self, limit: int | None = None) -> Iterator[RawItem]:
        self.fetches += 1
        self.inside.set()
        assert self.go_on.wait(30)
        yield from super().fetch(limit)


def test_a_second_poll_of_the_same_mailbox_skips_while_the_first_runs(
    container: Container, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "eingang"
    folder.mkdir()
    for seed in range(2):
        (folder / f"r{seed}.xml").write_bytes(invoice_xml(300 + seed))
    first, second = Gated(folder), Gated(folder)
    second.go_on.set()
    results: list[fetch.PollResult] = []
    polling = threading.Thread(
        target=lambda: results.append(fetch.poll(container.pipeline, first, lambda _: None))
    )
    polling.start()
    try:
        assert first.inside.wait(30)
        with caplog.at_level(logging.DEBUG, logger="einvoice.services.fetch"):
            skipped = fetch.poll(container.pipeline, second, lambda _: None)
    finally:
        first.go_on.set()
        polling.join(30)
    assert (second.fetches, skipped.fetched) == (0, 0)  # the mailbox was not even asked
    assert skipped.busy and skipped.error is None
    assert "another process polls it" in caplog.text
    (done,) = results
    assert (done.fetched, len(done.new_messages), done.busy) == (2, 2, False)
    again = fetch.poll(container.pipeline, second, lambda _: None)  # the lock was let go
    assert not again.busy and second.fetches == 1 and again.fetched == 0


_HOLDER = """
import sys
from einvoice.storage import db
from einvoice.storage.poll_lock import exclusive_poll
engine = db.make_engine(sys.argv[1])
with exclusive_poll(engine, sys.argv[2]) as held:
    print("held" if held else "busy", flush=True)
    sys.stdin.read()
"""


def test_the_lock_holds_across_processes(container: Container) -> None:
    name = "imap://rechnung@stadt.example/INBOX"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, container.settings.database_url, name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with exclusive_poll(container.engine, name) as ours:
            assert ours is False
        with exclusive_poll(container.engine, name + "-other") as other:
            assert other is True  # only the same mailbox is exclusive
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    with exclusive_poll(container.engine, name) as ours:
        assert ours is True  # released when the other process let go
