"""Prometheus metrics: processing time and outcomes (per worker), queue depth (from the DB).

The process model (``einvoice worker`` with N dramatiq processes, several replicas):

* each ``einvoice worker`` (one per machine or container) makes a fresh folder for
  prometheus_client's multiprocess mode and hands it to its dramatiq processes
  (``PROMETHEUS_MULTIPROC_DIR``); every process writes its own counters there;
* the supervisor serves the sum over its processes on ``EINVOICE_METRICS_PORT``
  (:func:`serve_worker_metrics`, a registry holding only the multiprocess collector);
* the state read from the database is served on the next port from a registry of its
  own (:func:`state_registry`), so its gauge names never meet the counters' names
  (``einvoice_documents`` the gauge, ``einvoice_documents_total`` the counter);
* each replica has its own supervisor, folder and endpoint: Prometheus scrapes every
  replica (``deploy/prometheus/prometheus.yml``).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

#: the variable prometheus_client reads in every worker process (set by the supervisor)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

PROCESSING_SECONDS = Histogram(
    "einvoice_processing_seconds",
    "Time to validate, extract and record one document",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
OUTCOMES = Counter("einvoice_documents_total", "Processed documents by outcome", ["outcome"])


class DatabaseCollector(Collector):
    """Queue depth and states, read from the database (the source of truth)."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from einvoice.services.status import status

        counts = status(self.pipeline)
        pending = GaugeMetricFamily(
            "einvoice_pending",
            "Work not yet in a department's queue (messages, documents, invoices)",
        )
        pending.add_metric([], counts["pending"])
        yield pending
        documents = GaugeMetricFamily("einvoice_documents", "Documents by state", labels=["state"])
        for state, value in counts["document_states"].items():
            documents.add_metric([state], value)
        yield documents
        messages = GaugeMetricFamily("einvoice_messages", "Messages by state", labels=["state"])
        for state, value in counts["message_states"].items():
            messages.add_metric([state], value)
        yield messages
        invoices = GaugeMetricFamily(
            "einvoice_invoices", "Distinct invoices by recommendation", labels=["recommendation"]
        )
        invoices.add_metric(["accept"], counts["accepted"])
        invoices.add_metric(["reject"], counts["rejected"])
        yield invoices
        yield from _unseen(counts)


def _unseen(counts: dict[str, Any]) -> Iterator[GaugeMetricFamily]:
    """Work not yet in a department's queue by stage, what is stuck, the broker's dead letters
    (issue 23: nothing waits unseen; alert rules EinvoiceWorkStuck, EinvoiceBrokerDeadLetters)."""
    open_work = GaugeMetricFamily(
        "einvoice_pipeline_open",
        "Work not yet in a department's queue, by stage (split, process, route)",
        labels=["stage"],
    )
    open_work.add_metric(["split"], counts["message_states"].get("received", 0))
    open_work.add_metric(["process"], counts["document_states"].get("stored", 0))
    open_work.add_metric(["route"], counts["unrouted"])
    yield open_work
    stuck = GaugeMetricFamily(
        "einvoice_pipeline_stuck",
        f"Open work without a processing attempt for {counts['stuck_after_seconds']} s",
    )
    stuck.add_metric([], counts["stuck"])
    yield stuck
    broker = counts["broker"]
    reachable = GaugeMetricFamily(
        "einvoice_broker_reachable", "1 if the broker's queue could be read (0: down)"
    )
    reachable.add_metric([], 0.0 if broker["error"] else 1.0)
    yield reachable
    if broker["error"] is None:  # unknown is not 0: the gauge is absent while the broker is down
        dead = GaugeMetricFamily(
            "einvoice_broker_dead_letters",
            "Messages in the broker's dead-letter queue (dramatiq:einvoice.XQ)",
        )
        dead.add_metric([], broker["dead_letters"])
        yield dead


def state_registry(pipeline: Any, settings: Any = None) -> CollectorRegistry:
    """The registry of the state endpoint (PORT+1): everything read from the database."""
    from einvoice.workers.ops_metrics import OperationsCollector

    registry = CollectorRegistry()
    registry.register(DatabaseCollector(pipeline))
    registry.register(OperationsCollector(pipeline))
    if settings is not None:
        from einvoice.workers.storage_metrics import StorageCollector

        registry.register(StorageCollector(settings))
    return registry


class ReplicaCollector(Collector):
    """What this ``einvoice worker`` (one replica) was started with."""

    def __init__(self, mailboxes: int) -> None:
        self.mailboxes = mailboxes

    def collect(self) -> Iterator[GaugeMetricFamily]:
        polled = GaugeMetricFamily(
            "einvoice_worker_mailboxes", "Mailboxes this worker polls (0: it polls none)"
        )
        polled.add_metric([], float(self.mailboxes))
        yield polled


def worker_registry(folder: Path, mailboxes: int = 0) -> CollectorRegistry:
    """The registry of the worker endpoint (PORT): the sum over this supervisor's processes
    and the number of mailboxes it polls."""
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(folder))  # type: ignore[no-untyped-call]
    registry.register(ReplicaCollector(mailboxes))
    return registry


def serve(registry: CollectorRegistry, port: int, host: str) -> None:
    """Serve ``registry`` on host:port in a daemon thread (``OSError`` if the port is taken)."""
    from prometheus_client import start_http_server

    start_http_server(port, addr=host, registry=registry)


_LIVE_FILE = re.compile(r"^gauge_live\w*_(\d+)\.db$")


def forget_dead_processes(folder: Path) -> int:
    """Drop the live gauges of worker processes that are gone (SIGKILL, OOM): counters stay.

    dramatiq marks a process dead when it shuts down cleanly; a killed one cannot, so the
    supervisor does it whenever one of its processes ended. The number of files removed.
    """
    from prometheus_client.multiprocess import mark_process_dead

    dead: set[int] = set()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _LIVE_FILE.match(entry.name)
            if match and not _alive(int(match.group(1))):
                dead.add(int(match.group(1)))
    for pid in dead:
        mark_process_dead(pid, str(folder))  # type: ignore[no-untyped-call]
    return len(dead)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_middleware() -> Any:
    """dramatiq's own message metrics (counts, errors, durations) for one worker process,
    written into the supervisor's multiprocess folder; the supervisor serves them, so the
    middleware's own HTTP server (a forked process binding one port per dramatiq main
    process: the second process of a machine could not bind it) is left out."""
    folder = os.environ[MULTIPROC_ENV]
    os.environ["dramatiq_prom_db"] = folder  # noqa: SIM112 - dramatiq reads this name
    from dramatiq.middleware import prometheus

    prometheus.DB_PATH = folder  # read at import time; the module may have been imported

    class WorkerMetrics(prometheus.Prometheus):
        @property
        def forks(self) -> list[Any]:
            return []

    return WorkerMetrics()
