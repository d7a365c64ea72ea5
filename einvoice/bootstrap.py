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
from einvoice.services.ports import Pipeline
from einvoice.storage import db
from einvoice.storage.blobs import LocalBlobStore


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
        blobs=LocalBlobStore(settings.blob_dir),
        validate=validate,
        extract=extract_semantic,
        limits=settings.limits,
    )
    return Container(settings, engine, sessions, pipeline)


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


def make_broker(url: str, metrics_port: int | None = None) -> Any:
    """dramatiq broker: ``stub`` (in-process) or Redis; Prometheus middleware on request."""
    if url == "stub":
        from dramatiq.brokers.stub import StubBroker

        stub = StubBroker()
        stub.emit_after("process_boot")
        return stub
    from dramatiq.brokers.redis import RedisBroker

    broker = RedisBroker(url=url)  # type: ignore[no-untyped-call]
    if metrics_port is not None:
        import os

        os.environ.setdefault("dramatiq_prom_host", "127.0.0.1")
        os.environ["dramatiq_prom_port"] = str(metrics_port)  # noqa: SIM112 - dramatiq reads it
        from dramatiq.middleware.prometheus import Prometheus

        broker.add_middleware(Prometheus())
    return broker
