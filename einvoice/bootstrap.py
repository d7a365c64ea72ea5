"""The composition root: the one place that wires settings, storage and services.

Nothing here runs at import; :func:`container` builds (once per process) what
the entry points need.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from einvoice import config
from einvoice.domain.kontierung import BudgetPolicy
from einvoice.domain.routing import RoutingConfig
from einvoice.services.ports import Mailer, Pipeline, WorkflowPorts
from einvoice.storage import db
from einvoice.storage.blobs import LocalBlobStore, ManagedBlobStore


@dataclass(frozen=True)
class Container:
    settings: config.Settings
    engine: Engine
    sessions: sessionmaker[Session]
    pipeline: Pipeline


def build(settings: config.Settings | None = None) -> Container:
    settings = settings or config.load()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(settings.database_url)
    sessions = db.make_session_factory(engine)
    policy = settings.validation

    def validate(data: bytes, name: str) -> Any:
        from einvoice.formats.validation import validate as run

        return run(data, name=name, policy=policy)

    pipeline = Pipeline(
        sessions=sessions,
        blobs=make_blob_store(settings, engine),
        validate=validate,
        extract=extract_semantic,
        limits=settings.limits,
        workflow=workflow_ports(settings.workflow),
        broker=broker_queue(settings.broker_url),
    )
    return Container(settings, engine, sessions, pipeline)


def broker_queue(url: str) -> Any:
    """What the Redis broker holds for the pipeline's queue (None for the in-process stub)."""
    if url == "stub":
        return None
    from einvoice.storage.broker_queue import RedisQueueView

    return RedisQueueView(url, "einvoice")  # einvoice.workers.QUEUE


def make_blob_store(settings: config.Settings, engine: Engine | None = None) -> ManagedBlobStore:
    """The blob store EINVOICE_BLOB_STORE selects: a folder, the database or S3."""
    if settings.blob_store == "database":
        from einvoice.storage.blobs_db import DatabaseBlobStore

        return DatabaseBlobStore(engine or db.make_engine(settings.database_url))
    if settings.s3 is not None:
        from einvoice.storage.blobs_s3 import S3BlobStore

        return S3BlobStore(settings.s3)
    return LocalBlobStore(settings.blob_dir)


def workflow_ports(settings: config.WorkflowSettings) -> WorkflowPorts:
    """Routing configuration (read on first use), invoice reader, HKR writer, SMTP."""
    from zoneinfo import ZoneInfo

    from einvoice.export.hkr import write_bookings
    from einvoice.formats.extract import extract

    return WorkflowPorts(
        routing=_routing_loader(settings.routing_config),
        read_invoice=extract,
        write_bookings=write_bookings,
        mailer=make_mailer(settings),
        warning_days=settings.deadline_warning_days,
        zone=ZoneInfo(settings.timezone),
        land=settings.land,
        budget=BudgetPolicy(
            closing_month=settings.year_closing[0],
            closing_day=settings.year_closing[1],
            refuse_over_budget=settings.refuse_over_budget,
        ),
        kasse=settings.kasse,
    )


def _routing_loader(path: Any) -> Any:
    """The routing configuration, read and checked once, on first use (not at start-up)."""
    lock = threading.Lock()
    loaded: list[RoutingConfig] = []

    def routing() -> RoutingConfig:
        with lock:
            if not loaded:
                from einvoice.routing_config import load_routing_config

                loaded.append(load_routing_config(path))
            return loaded[0]

    return routing


def make_mailer(settings: config.WorkflowSettings) -> Mailer | None:
    """The SMTP mailer of EINVOICE_SMTP_URL, or None (e-mails are then kept pending)."""
    if settings.smtp_url is None:
        return None
    from einvoice.mailbox.smtp import SmtpMailer, parse_smtp_url

    assert settings.mail_from is not None  # config.load insists on it with SMTP
    return SmtpMailer(parse_smtp_url(settings.smtp_url, settings.smtp_password), settings.mail_from)


def extract_semantic(data: bytes, name: str) -> tuple[dict[str, Any] | None, str | None]:
    """Adapter: the canonical model as semantic JSON, or the reason it is unreadable."""
    from einvoice.errors import PermanentError
    from einvoice.formats.extract import extract
    from einvoice.formats.semantic import to_semantic

    try:
        invoice = extract(data, name)
    except PermanentError as exc:
        return None, str(exc)
    return to_semantic(invoice), None


_lock = threading.Lock()
_container: Container | None = None


def container() -> Container:
    """The process-wide container, built on first use from the environment."""
    global _container
    with _lock:
        if _container is None:
            _container = build()
        return _container


def use(built: Container) -> None:
    """Install a container (tests, demo) instead of building one from the environment."""
    global _container
    with _lock:
        _container = built


def make_broker(url: str, metrics: bool = False) -> Any:
    """dramatiq broker: ``stub`` (in-process) or Redis.

    ``metrics``: this is a worker process of ``einvoice worker`` with metrics on; its message
    metrics go to the supervisor's multiprocess folder (``einvoice.workers.metrics``).
    """
    if url == "stub":
        from dramatiq.brokers.stub import StubBroker

        stub = StubBroker()
        stub.emit_after("process_boot")
        return stub
    from dramatiq.brokers.redis import RedisBroker

    broker = RedisBroker(url=url)  # type: ignore[no-untyped-call]
    if metrics:
        from einvoice.workers.metrics import worker_middleware

        broker.add_middleware(worker_middleware())
    return broker
