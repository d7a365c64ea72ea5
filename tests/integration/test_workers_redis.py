"""The dramatiq actors on a real Redis broker and a real PostgreSQL database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dramatiq import Worker

from einvoice import bootstrap
from einvoice.mailbox.sources import MaildirSource
from einvoice.services.status import status
from einvoice.workers import QUEUE
from einvoice.workers.actors import poll_source, register
from tests.integration.conftest import make_container
from tests.integration.mail import email_with, invoice_xml
from tests.integration.services import postgres_database, redis_url


@pytest.fixture
def redis_container(tmp_path: Path) -> Iterator[bootstrap.Container]:
    url = redis_url()
    with postgres_database() as database:
        built = make_container(tmp_path, database, broker=url)
        bootstrap.use(built)
        yield built
        built.engine.dispose()


def test_actors_process_a_maildir_through_redis(
    redis_container: bootstrap.Container, tmp_path: Path
) -> None:
    import redis

    broker = bootstrap.make_broker(redis_container.settings.broker_url)
    register(broker)
    maildir = tmp_path / "Maildir"
    source = MaildirSource(maildir, create=True)
    for seed in range(10):
        source.box.add(email_with([(f"r{seed}.xml", invoice_xml(100 + seed))]))
    source.box.add(email_with([], body="Keine Rechnung."))
    source.close()
    assert poll_source(f"maildir:{maildir}") == 11
    worker = Worker(broker, worker_threads=2)
    worker.start()
    try:
        deadline = time.monotonic() + 120
        while (
            status(redis_container.pipeline)["pending"]
            or status(redis_container.pipeline)["invoices"] < 10
        ):
            assert time.monotonic() < deadline, status(redis_container.pipeline)
            time.sleep(0.2)
        broker.join(QUEUE, timeout=60_000)
    finally:
        worker.stop()
        broker.close()
    counts = status(redis_container.pipeline)
    assert counts["invoices"] == 10 and counts["no_invoice"] == 1 and counts["failed"] == 0
    assert list(MaildirSource(maildir).box.keys()) == []  # all moved to .processed
    redis.Redis.from_url(redis_container.settings.broker_url).flushdb()
