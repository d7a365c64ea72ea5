"""What the services need from the outside world (ports), as Protocols."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain.findings import Report
from einvoice.mailbox.mime import Limits


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, sha256: str) -> bytes: ...


class Validator(Protocol):
    def __call__(self, data: bytes, name: str) -> Report: ...


class Extraction(Protocol):
    """Semantic JSON (EN 16931 ids) of an invoice, or a German reason why not."""

    def __call__(self, data: bytes, name: str) -> tuple[dict[str, Any] | None, str | None]: ...


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
