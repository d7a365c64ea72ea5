"""What every invoice source yields, and the interface it offers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RawItem:
    key: str
    raw: bytes
    channel: str  # "mail" or "drop"
    name: str


class Source(Protocol):
    name: str

    def fetch(self, limit: int | None = None) -> Iterator[RawItem]: ...

    def done(self, item: RawItem, ok: bool) -> None: ...

    def close(self) -> None: ...
