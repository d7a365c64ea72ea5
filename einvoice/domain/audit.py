"""The audit trail: append-only events in a tamper-evident hash chain.

Every change of an invoice's approval state is one :class:`AuditEntry` (who,
when, from which state to which, by which action, why, in which department).
:func:`seal` turns it into an :class:`AuditEvent` that carries

* ``sequence``: its position in the chain (0, 1, 2, ...),
* ``previous_hash``: the SHA-256 of the previous event's canonical
  serialisation (:data:`GENESIS` for the first event),
* ``hash``: the SHA-256 of its own canonical serialisation.

The canonical serialisation is JSON with sorted keys, no insignificant white
space, UTF-8, the time in UTC with microseconds (so it survives a round trip
through a ``timestamptz`` column unchanged) and without the ``hash`` field itself.

:func:`verify_chain` recomputes everything and reports each edited, removed,
inserted or reordered event. An edit of the *last* event that also recomputes
its hash, or cutting events off the end, can only be seen against an anchor
kept elsewhere: pass the hash last written (e.g. stored with the invoice) as
``expected_head``. A chain per invoice is the intended use (each invoice's
events form one chain), but nothing here requires it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

#: ``previous_hash`` of the first event of a chain.
GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """What happened (not yet part of a chain)."""

    invoice_id: str
    action: str
    actor: str  # person id, or "system"
    at: datetime  # with time zone
    from_state: str | None  # None for the first event of an invoice
    to_state: str
    reason: str | None = None  # the comment: why
    department: str | None = None  # the department (after the action)
    acting_for: str | None = None  # the absent person a deputy acted for
    details: tuple[tuple[str, str], ...] = ()  # further facts, e.g. ("from_department", "amt-10")


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """An entry sealed into a chain."""

    sequence: int
    entry: AuditEntry
    previous_hash: str
    hash: str


class ChainProblemKind(StrEnum):
    SEQUENCE = "sequence"  # numbering has a gap or is out of order
    EDITED = "edited"  # content does not match its own hash
    BROKEN_LINK = "broken_link"  # previous_hash is not the previous event's hash
    HEAD = "head"  # the last event is not the expected one (cut off or replaced)


@dataclass(frozen=True, slots=True)
class ChainProblem:
    index: int  # position in the list given to verify_chain (-1: the chain as a whole)
    kind: ChainProblemKind
    message_de: str
    message_en: str


def canonical_bytes(entry: AuditEntry, sequence: int, previous_hash: str) -> bytes:
    """The canonical serialisation the hashes are computed over."""
    return json.dumps(
        {
            "sequence": sequence,
            "previous_hash": previous_hash,
            **_entry_record(entry),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def digest(event: AuditEvent) -> str:
    """The SHA-256 (hex) of the event's canonical serialisation, recomputed."""
    return hashlib.sha256(
        canonical_bytes(event.entry, event.sequence, event.previous_hash)
    ).hexdigest()


def seal(entry: AuditEntry, previous: AuditEvent | None) -> AuditEvent:
    """The entry as the next event after ``previous`` (``None``: the first event)."""
    _require_aware(entry.at)
    sequence = 0 if previous is None else previous.sequence + 1
    previous_hash = GENESIS if previous is None else previous.hash
    value = hashlib.sha256(canonical_bytes(entry, sequence, previous_hash)).hexdigest()
    return AuditEvent(sequence, entry, previous_hash, value)


def chain(entries: Sequence[AuditEntry]) -> tuple[AuditEvent, ...]:
    """Seal entries one after the other into a new chain."""
    events: list[AuditEvent] = []
    for entry in entries:
        events.append(seal(entry, events[-1] if events else None))
    return tuple(events)


def verify_chain(
    events: Sequence[AuditEvent], expected_head: str | None = None
) -> list[ChainProblem]:
    """Every problem of the chain; an empty list means it is intact."""
    problems: list[ChainProblem] = []
    previous: str = GENESIS
    for index, event in enumerate(events):
        if event.sequence != index:
            problems.append(
                ChainProblem(
                    index,
                    ChainProblemKind.SEQUENCE,
                    f"Ereignis an Position {index} trägt die Nummer {event.sequence}: "
                    "Ereignisse fehlen, wurden eingefügt oder umgestellt.",
                    f"Event at position {index} has sequence {event.sequence}: events are "
                    "missing, inserted or reordered.",
                )
            )
        actual = digest(event)
        if actual != event.hash:
            problems.append(
                ChainProblem(
                    index,
                    ChainProblemKind.EDITED,
                    f"Ereignis {index} wurde nachträglich verändert (Prüfsumme stimmt nicht).",
                    f"Event {index} was altered after it was written (hash mismatch).",
                )
            )
        if event.previous_hash != previous:
            problems.append(
                ChainProblem(
                    index,
                    ChainProblemKind.BROKEN_LINK,
                    f"Ereignis {index} verweist nicht auf das vorhergehende Ereignis: die Kette "
                    "ist unterbrochen (Ereignis entfernt, eingefügt, umgestellt oder verändert).",
                    f"Event {index} does not point to the event before it: the chain is broken.",
                )
            )
        previous = actual
    if expected_head is not None and previous != expected_head:
        problems.append(
            ChainProblem(
                -1,
                ChainProblemKind.HEAD,
                "Das letzte Ereignis ist nicht das zuletzt geschriebene: Ereignisse wurden am "
                "Ende entfernt oder das letzte wurde ersetzt.",
                "The last event is not the one written last: events were cut off or replaced.",
            )
        )
    return problems


def to_record(event: AuditEvent) -> dict[str, object]:
    """A JSON-compatible dict of the event (for storage), including its hash."""
    return {
        "sequence": event.sequence,
        "previous_hash": event.previous_hash,
        "hash": event.hash,
        **_entry_record(event.entry),
    }


def from_record(record: Mapping[str, object]) -> AuditEvent:
    """The event written by :func:`to_record` (no verification: use :func:`verify_chain`)."""
    details = record.get("details") or {}
    if not isinstance(details, Mapping):
        raise ValueError("details must be a mapping")
    entry = AuditEntry(
        invoice_id=str(record["invoice_id"]),
        action=str(record["action"]),
        actor=str(record["actor"]),
        at=datetime.fromisoformat(str(record["at"])),
        from_state=_optional(record.get("from_state")),
        to_state=str(record["to_state"]),
        reason=_optional(record.get("reason")),
        department=_optional(record.get("department")),
        acting_for=_optional(record.get("acting_for")),
        details=tuple(sorted((str(k), str(v)) for k, v in details.items())),
    )
    sequence = record["sequence"]
    if not isinstance(sequence, int):
        raise ValueError("sequence must be an integer")
    return AuditEvent(sequence, entry, str(record["previous_hash"]), str(record["hash"]))


def _entry_record(entry: AuditEntry) -> dict[str, object]:
    _require_aware(entry.at)
    details = dict(entry.details)
    if len(details) != len(entry.details):
        raise ValueError("audit details need unique keys")
    return {
        "invoice_id": entry.invoice_id,
        "action": entry.action,
        "actor": entry.actor,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "reason": entry.reason,
        "department": entry.department,
        "acting_for": entry.acting_for,
        "details": details,
    }


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("audit times need a time zone")


__all__ = [
    "GENESIS",
    "AuditEntry",
    "AuditEvent",
    "ChainProblem",
    "ChainProblemKind",
    "canonical_bytes",
    "chain",
    "digest",
    "from_record",
    "seal",
    "to_record",
    "verify_chain",
]
