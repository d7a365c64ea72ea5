"""What the services need from the outside world (ports), as Protocols."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain.booking import BookingRecord
from einvoice.domain.deadlines import DEFAULT_SOON_DAYS, LEGAL_PAYMENT_DAYS
from einvoice.domain.findings import Report
from einvoice.domain.invoice import Invoice
from einvoice.domain.kontierung import BudgetPolicy
from einvoice.domain.routing import RoutingConfig
from einvoice.mailbox.mime import Limits


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, sha256: str) -> bytes: ...


class BrokerQueue(Protocol):
    """The broker's queue of the pipeline: counts, dead letters (a storage adapter)."""

    def ping(self) -> None: ...

    def counts(self) -> dict[str, int]: ...

    def dead_letters(self, limit: int = 100_000) -> Sequence[Any]: ...

    def remove_dead(self, message_ids: list[str]) -> int: ...


class Validator(Protocol):
    def __call__(self, data: bytes, name: str) -> Report: ...


class Extraction(Protocol):
    """Semantic JSON (EN 16931 ids) of an invoice, or a German reason why not."""

    def __call__(self, data: bytes, name: str) -> tuple[dict[str, Any] | None, str | None]: ...


class InvoiceReader(Protocol):
    """The canonical invoice of an original (raises PermanentError when unreadable)."""

    def __call__(self, data: bytes, name: str) -> Invoice: ...


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """A plain-text e-mail the workflow sends (German, UTF-8)."""

    to: str
    subject: str
    body: str
    key: str | None = None  # stable id of this e-mail: the Message-ID is made from it
    cc: tuple[str, ...] = ()  # in copy (e.g. the invoice's address beside the uploader's)


class Mailer(Protocol):
    """Sends one e-mail; TransientError when retrying may help, PermanentError otherwise."""

    def send(self, mail: OutgoingMail) -> None: ...


class BookingWriter(Protocol):
    """The file handed to the budget system (HKR) for a batch of booking records."""

    def __call__(
        self, records: Sequence[BookingRecord], fmt: str, batch_id: str, created_at: datetime
    ) -> bytes: ...


@dataclass(frozen=True)
class WorkflowPorts:
    """What the approval workflow needs besides the pipeline's storage."""

    routing: Callable[[], RoutingConfig]  # the routing configuration (read on first use)
    read_invoice: InvoiceReader
    write_bookings: BookingWriter
    mailer: Mailer | None = None  # None: e-mails stay pending (recorded, never dropped)
    warning_days: int = DEFAULT_SOON_DAYS  # deadlines this close count as "soon"
    legal_payment_days: int = LEGAL_PAYMENT_DAYS
    duplicate_window_days: int = 14  # same creditor and amount this close: possible duplicate
    zone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Berlin"))  # local dates
    land: str = "TH"  # the city's Land: its public holidays move deadlines (§ 193 BGB)
    budget: BudgetPolicy = field(default_factory=BudgetPolicy)  # year closing, verfügbare Mittel
    kasse: str = "Stadtkasse"  # the paying cash office named on every payment order


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Pipeline:
    sessions: sessionmaker[Session]
    blobs: BlobStore
    validate: Validator
    extract: Extraction
    limits: Limits = field(default_factory=Limits)
    clock: Callable[[], datetime] = utcnow
    workflow: WorkflowPorts | None = None  # routing, approval, export, notifications
    broker: BrokerQueue | None = None  # the Redis broker's queue (None: in-process stub)
