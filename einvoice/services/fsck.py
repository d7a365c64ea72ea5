"""`einvoice fsck`: is what the database says true of the blob store, the audit chain
and the pipeline's intermediate states? And, on request, repair what is safe to repair.

Checks
  * blobs: every recorded blob exists and matches its SHA-256 (``missing``, ``corrupt``);
    every stored file is recorded (``unrecorded``); every recorded blob is referred to by
    a message, document, duplicate delivery or export (``unreferenced``); temporary files
    of writes cut off by a crash or a full disk (``leftover``);
  * the audit chain of every invoice (``audit``, from :mod:`einvoice.services.audit_trail`);
  * work left in an intermediate state without a processing attempt for ``stuck_after``
    (default 60 s, :data:`status.STUCK_AFTER`; ``stuck``): messages not split, documents not
    processed, invoices never routed, e-mails left ``sending``;
  * dead letters at the broker (``dead_letter``): messages whose retries ran out; a broker
    that cannot be read is a finding too (the check could not run).

Repairs (``repair=True``) never delete an original: a file or row nothing refers to
is moved into a quarantine folder; leftover temporary files (never a whole blob) are
removed; e-mails stuck in ``sending`` are released for a retry (same Message-ID);
stuck work is handed back to the caller to re-enqueue. Missing or corrupt blobs and
a broken audit chain are reported, never "repaired": they need a backup and a person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, select, union
from sqlalchemy.orm import Session

from einvoice.errors import PermanentError
from einvoice.presentation.plurals import count_de
from einvoice.services import audit_trail, outbox, states, status
from einvoice.services.ports import Pipeline
from einvoice.storage.ops_tables import DeletedBlob, erased_digests_query
from einvoice.storage.tables import (
    Blob,
    Document,
    DuplicateRecord,
    ExportBatch,
    Invoice,
    Message,
    Workflow,
)

log = logging.getLogger(__name__)

KINDS = (
    "missing",
    "corrupt",
    "unrecorded",
    "unreferenced",
    "leftover",
    "audit",
    "stuck",
    "dead_letter",
)


class InspectableBlobs(Protocol):
    """What fsck needs of a blob store beyond put/get."""

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def hashes(self) -> Iterator[str]: ...

    def leftovers(self, older_than: float) -> Iterator[Path]: ...

    def strays(self) -> Iterator[Path]: ...

    def quarantine(self, sha256: str | Path, folder: Path) -> Path: ...


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # one of KINDS
    subject: str  # a SHA-256, "invoice 12", "document 7", a path
    message_de: str
    repaired: bool = False


@dataclass(frozen=True, slots=True)
class FsckReport:
    blobs_recorded: int
    blobs_stored: int
    blobs_hashed: int
    audit_invoices: int
    audit_events: int
    problems: tuple[Problem, ...]
    requeue_messages: tuple[int, ...] = ()  # stuck work for the caller to enqueue (repair)
    requeue_documents: tuple[int, ...] = ()
    requeue_invoices: tuple[int, ...] = ()
    dead_letters: int = 0  # at the broker (repair: re-driven from the database)

    @property
    def open_problems(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.repaired)

    @property
    def ok(self) -> bool:
        return not self.open_problems

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for p in self.open_problems:
            counts[p.kind] += 1
        return counts


@dataclass
class _Run:
    problems: list[Problem] = field(default_factory=list)

    def add(self, kind: str, subject: str, message: str, repaired: bool = False) -> None:
        self.problems.append(Problem(kind, subject, message, repaired))


def referenced_hashes(session: Session) -> set[str]:
    """Every blob hash a row refers to."""
    query: Any = union(
        select(Message.raw_sha256),
        select(Document.sha256),
        select(DuplicateRecord.raw_sha256).where(DuplicateRecord.raw_sha256.is_not(None)),
        select(ExportBatch.sha256),
        select(DeletedBlob.sha256),
    )
    return {str(h) for h in session.scalars(query)}


def fsck(
    pipeline: Pipeline,
    *,
    stuck_after: timedelta,
    quarantine: Path,
    repair: bool = False,
    verify_hashes: bool = True,
    grace_seconds: float = 300.0,
    progress: Callable[[int, int], None] | None = None,
) -> FsckReport:
    """Check (and with ``repair`` mend what is safe); see the module docstring."""
    blobs = pipeline.blobs
    methods = ("hashes", "strays", "leftovers", "quarantine", "exists")
    if not all(hasattr(blobs, m) for m in methods):
        raise PermanentError(
            f"Der Blob-Speicher {type(blobs).__name__} lässt sich nicht prüfen "
            "(kein Verzeichnis der gespeicherten Originale)."
        )
    store: InspectableBlobs = blobs  # type: ignore[assignment]
    run = _Run()
    with pipeline.sessions() as session:
        rows = session.execute(select(Blob.sha256, Blob.size))
        recorded = {str(sha): int(size) for sha, size in rows}
        referenced = referenced_hashes(session)
        erased = {str(h) for h in session.scalars(erased_digests_query())}
    stored = set(store.hashes())
    live = {sha: size for sha, size in recorded.items() if sha not in erased}  # retention
    hashed = _check_recorded(store, live, stored, verify_hashes, run, progress)
    _check_unrecorded(store, recorded, stored, grace_seconds, quarantine, repair, run)
    _check_unreferenced(pipeline, store, recorded, referenced, quarantine, repair, run)
    for path in store.leftovers(grace_seconds):
        done = False
        if repair:
            path.unlink(missing_ok=True)
            done = True
        run.add("leftover", str(path), "Temporäre Datei eines abgebrochenen Schreibvorgangs.", done)
    audit = audit_trail.verify(pipeline)
    for problem in audit.problems:
        run.add("audit", f"invoice {problem.invoice_id}", problem.message_de)
    requeue = _check_stuck(pipeline, stuck_after, repair, run)
    dead = _check_dead_letters(pipeline, repair, run)
    return FsckReport(
        blobs_recorded=len(recorded),
        blobs_stored=len(stored),
        blobs_hashed=hashed,
        audit_invoices=audit.invoices,
        audit_events=audit.events,
        problems=tuple(run.problems),
        requeue_messages=requeue[0],
        requeue_documents=requeue[1],
        requeue_invoices=requeue[2],
        dead_letters=dead,
    )


def _check_recorded(
    store: InspectableBlobs,
    recorded: dict[str, int],
    stored: set[str],
    verify_hashes: bool,
    run: _Run,
    progress: Callable[[int, int], None] | None,
) -> int:
    hashed = 0
    for index, sha in enumerate(sorted(recorded), 1):
        if progress is not None:
            progress(index, len(recorded))
        if sha not in stored and not store.exists(sha):
            run.add("missing", sha, "Original fehlt im Blob-Speicher (aus der Sicherung holen).")
            continue
        if not verify_hashes:
            continue
        try:
            data = store.get(sha)  # the store verifies the hash on reading
        except PermanentError:
            run.add(
                "corrupt",
                sha,
                "Original beschädigt: der Inhalt passt nicht zum SHA-256 (aus der Sicherung "
                "holen).",
            )
            continue
        hashed += 1
        if len(data) != recorded[sha]:
            run.add(
                "corrupt",
                sha,
                f"Größe {len(data)} Bytes, in der Datenbank {recorded[sha]} Bytes.",
            )
    return hashed


def _check_unrecorded(
    store: InspectableBlobs,
    recorded: dict[str, int],
    stored: set[str],
    grace_seconds: float,
    quarantine: Path,
    repair: bool,
    run: _Run,
) -> None:
    young = {p.name for p in _young_files(store, grace_seconds)}
    for sha in sorted(stored - recorded.keys()):
        if sha in young:  # a write in flight: its row is being committed right now
            continue
        done = False
        if repair:
            store.quarantine(sha, quarantine)
            done = True
        run.add(
            "unrecorded",
            sha,
            "Datei im Blob-Speicher, von der die Datenbank nichts weiß"
            + (f" (verschoben nach {quarantine})." if done else "."),
            done,
        )
    for path in store.strays():
        done = False
        if repair:
            store.quarantine(path, quarantine)
            done = True
        run.add(
            "unrecorded",
            str(path),
            "Fremde Datei im Blob-Speicher (kein Original an seinem Platz)"
            + (f" (verschoben nach {quarantine})." if done else "."),
            done,
        )


def _young_files(store: InspectableBlobs, grace_seconds: float) -> list[Path]:
    path_of = getattr(store, "path", None)
    if path_of is None or grace_seconds <= 0:
        return []
    import time

    cutoff = time.time() - grace_seconds
    young = []
    for sha in store.hashes():
        try:
            if Path(path_of(sha)).stat().st_mtime >= cutoff:
                young.append(Path(path_of(sha)))
        except FileNotFoundError:
            continue
    return young


def _check_unreferenced(
    pipeline: Pipeline,
    store: InspectableBlobs,
    recorded: dict[str, int],
    referenced: set[str],
    quarantine: Path,
    repair: bool,
    run: _Run,
) -> None:
    for sha in sorted(recorded.keys() - referenced):
        done = False
        if repair:
            with pipeline.sessions() as session:
                # only while still unreferenced (a delivery may have just referred to it)
                if sha not in referenced_hashes(session):
                    session.execute(delete(Blob).where(Blob.sha256 == sha))
                    session.commit()
                    if store.exists(sha):
                        store.quarantine(sha, quarantine)
                    done = True
        run.add(
            "unreferenced",
            sha,
            "Blob in der Datenbank, auf den keine Nachricht, kein Dokument und kein Export "
            "verweist" + (f" (verschoben nach {quarantine})." if done else "."),
            done,
        )


def _check_stuck(
    pipeline: Pipeline, stuck_after: timedelta, repair: bool, run: _Run
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    messages, documents = status.stuck(pipeline, stuck_after)
    cutoff = pipeline.clock() - stuck_after
    with pipeline.sessions() as session:
        invoices = list(
            session.scalars(
                select(Invoice.id)
                .outerjoin(Workflow, Workflow.invoice_id == Invoice.id)
                .where(Workflow.invoice_id.is_(None), Invoice.created_at < cutoff)
                .order_by(Invoice.id)
            )
        )
    for message_id in messages:
        run.add(
            "stuck",
            f"message {message_id}",
            f"Nachricht {message_id} wartet seit über {_minutes(stuck_after)} auf die "
            f"Zerlegung (Zustand {states.RECEIVED}).",
            repair,
        )
    for document_id in documents:
        run.add(
            "stuck",
            f"document {document_id}",
            f"Dokument {document_id} wartet seit über {_minutes(stuck_after)} auf die Prüfung "
            f"(Zustand {states.STORED}).",
            repair,
        )
    for invoice_id in invoices:
        run.add(
            "stuck",
            f"invoice {invoice_id}",
            f"Rechnung {invoice_id} ist seit über {_minutes(stuck_after)} keinem Amt zugeordnet.",
            repair,
        )
    for mail in outbox.stuck_sending(pipeline):
        released = repair and outbox.release(pipeline, mail.id)
        run.add(
            "stuck",
            f"notification {mail.id}",
            f"E-Mail {mail.id} an {mail.recipient} hängt seit {mail.claimed_at:%d.%m.%Y %H:%M} "
            "im Versand.",
            released,
        )
    if not repair:
        return (), (), ()
    return tuple(messages), tuple(documents), tuple(invoices)


def _check_dead_letters(pipeline: Pipeline, repair: bool, run: _Run) -> int:
    broker = status.broker_counts(pipeline)
    if broker["error"]:
        run.add("dead_letter", "broker", f"{broker['error']}: Dead Letters nicht geprüft.")
        return 0
    dead = int(broker["dead_letters"] or 0)
    if dead:
        run.add(
            "dead_letter",
            "broker",
            f"{count_de(dead, 'Nachricht')} im Dead-Letter-Speicher des Brokers "
            "(dramatiq:einvoice.XQ): "
            "Wiederholungen aufgebraucht. Der Worker führt die Arbeit aus der Datenbank neu "
            "aus, sobald alles erreichbar ist; --repair sofort.",
            repair,
        )
    return dead


def _minutes(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 60} min" if seconds >= 120 else f"{seconds} s"
