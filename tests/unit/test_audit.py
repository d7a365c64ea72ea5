"""The audit trail: canonical serialisation, hash chain, tamper detection, storage records."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from einvoice.domain.audit import (
    GENESIS,
    AuditEntry,
    AuditEvent,
    ChainProblemKind,
    canonical_bytes,
    chain,
    digest,
    from_record,
    seal,
    to_record,
    verify_chain,
)

BERLIN = timezone(timedelta(hours=1))


def entries(n: int = 5) -> list[AuditEntry]:
    states = [
        "received",
        "validated",
        "routed",
        "sachlich_richtig",
        "rechnerisch_richtig",
        "angeordnet",
        "exported",
    ]
    out = []
    for i in range(n):
        out.append(
            AuditEntry(
                invoice_id="inv-42",
                action=f"step-{i}",
                actor="system" if i < 3 else f"person{i}",
                at=datetime(2025, 3, 14, 9, i, tzinfo=BERLIN),
                from_state=None if i == 0 else states[(i - 1) % 7],
                to_state=states[i % 7],
                reason="Grund für Schritt" if i % 2 else None,
                department=None if i < 2 else "amt-10",
                details=(("amount", "560.25"),) if i == 4 else (),
            )
        )
    return out


def kinds(events: tuple[AuditEvent, ...] | list[AuditEvent]) -> set[ChainProblemKind]:
    return {p.kind for p in verify_chain(events)}


def test_chain_links_each_event_to_the_previous_one() -> None:
    events = chain(entries())
    assert events[0].previous_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.previous_hash == before.hash
        assert after.sequence == before.sequence + 1
    assert verify_chain(events) == []
    assert verify_chain(events, expected_head=events[-1].hash) == []


def test_hash_is_sha256_of_canonical_json_with_sorted_keys() -> None:
    event = chain(entries(1))[0]
    raw = canonical_bytes(event.entry, event.sequence, event.previous_hash)
    assert hashlib.sha256(raw).hexdigest() == event.hash == digest(event)
    parsed = json.loads(raw)
    assert list(parsed) == sorted(parsed)
    assert b" " not in raw.replace(b"inv-42", b"")
    assert "hash" not in parsed
    assert parsed["at"] == "2025-03-14T08:00:00.000000+00:00"  # UTC, microseconds


def test_time_zone_of_the_same_instant_does_not_change_the_hash() -> None:
    entry = entries(1)[0]
    utc = dataclasses.replace(entry, at=entry.at.astimezone(UTC))
    assert seal(entry, None).hash == seal(utc, None).hash


def test_umlauts_are_kept_as_utf8() -> None:
    entry = dataclasses.replace(entries(1)[0], reason="Prüfung ergab: Lieferung unvollständig")
    raw = canonical_bytes(entry, 0, GENESIS)
    assert "unvollständig".encode() in raw


def test_naive_time_is_refused() -> None:
    entry = dataclasses.replace(entries(1)[0], at=datetime(2025, 3, 14, 9, 0))
    with pytest.raises(ValueError):
        seal(entry, None)


def test_duplicate_detail_keys_are_refused() -> None:
    entry = dataclasses.replace(entries(1)[0], details=(("a", "1"), ("a", "2")))
    with pytest.raises(ValueError):
        seal(entry, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor", "someone-else"),
        ("action", "order"),
        ("reason", "anderer Grund"),
        ("department", "amt-99"),
        ("from_state", "routed"),
        ("to_state", "exported"),
        ("invoice_id", "inv-43"),
        ("acting_for", "boss"),
        ("details", (("amount", "9999.99"),)),
    ],
)
@pytest.mark.parametrize("index", [0, 2, 4])
def test_any_edited_field_is_found(field: str, value: object, index: int) -> None:
    events = list(chain(entries()))
    entry = dataclasses.replace(events[index].entry, **{field: value})
    events[index] = dataclasses.replace(events[index], entry=entry)
    problems = verify_chain(events)
    assert problems and problems[0].index == index
    assert problems[0].kind is ChainProblemKind.EDITED
    assert "verändert" in problems[0].message_de


def test_edit_with_recomputed_hash_breaks_the_next_link() -> None:
    events = list(chain(entries()))
    forged = seal(dataclasses.replace(events[1].entry, reason="gefälscht"), events[0])
    events[1] = forged
    problems = verify_chain(events)
    assert [(p.index, p.kind) for p in problems] == [(2, ChainProblemKind.BROKEN_LINK)]


def test_edit_of_the_last_event_with_recomputed_hash_needs_the_head_anchor() -> None:
    events = list(chain(entries()))
    head = events[-1].hash
    events[-1] = seal(dataclasses.replace(events[-1].entry, actor="someone"), events[-2])
    assert verify_chain(events) == []  # undetectable from the chain alone ...
    problems = verify_chain(events, expected_head=head)
    assert [p.kind for p in problems] == [ChainProblemKind.HEAD]  # ... but not with the anchor


def test_removed_event_is_found() -> None:
    events = list(chain(entries()))
    for index in range(len(events) - 1):
        shortened = events[:index] + events[index + 1 :]
        found = kinds(shortened)
        assert ChainProblemKind.BROKEN_LINK in found
        assert ChainProblemKind.SEQUENCE in found


def test_removed_last_event_is_found_with_the_head_anchor() -> None:
    events = list(chain(entries()))
    assert verify_chain(events[:-1]) == []
    problems = verify_chain(events[:-1], expected_head=events[-1].hash)
    assert [p.kind for p in problems] == [ChainProblemKind.HEAD]


def test_reordered_events_are_found() -> None:
    events = list(chain(entries()))
    events[1], events[2] = events[2], events[1]
    found = kinds(events)
    assert {ChainProblemKind.SEQUENCE, ChainProblemKind.BROKEN_LINK} <= found


def test_inserted_event_is_found() -> None:
    events = list(chain(entries()))
    intruder = seal(entries(1)[0], events[1])
    events.insert(2, intruder)
    assert ChainProblemKind.BROKEN_LINK in kinds(events)


def test_storage_record_round_trip_through_json() -> None:
    events = chain(entries())
    records = json.loads(json.dumps([to_record(e) for e in events]))
    back = tuple(from_record(r) for r in records)
    assert verify_chain(back, expected_head=events[-1].hash) == []
    assert [e.hash for e in back] == [e.hash for e in events]


def test_record_edited_in_storage_is_found() -> None:
    records = [to_record(e) for e in chain(entries())]
    records[3]["reason"] = "nachträglich geändert"
    assert ChainProblemKind.EDITED in kinds([from_record(r) for r in records])


# --- property -------------------------------------------------------------------------------

texts = st.text(min_size=0, max_size=20)
optional_texts = st.none() | texts
times = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)
entry_strategy = st.builds(
    AuditEntry,
    invoice_id=texts,
    action=texts,
    actor=texts,
    at=times,
    from_state=optional_texts,
    to_state=texts,
    reason=optional_texts,
    department=optional_texts,
    acting_for=optional_texts,
    details=st.dictionaries(texts, texts, max_size=3).map(lambda d: tuple(sorted(d.items()))),
)


@settings(max_examples=200)
@given(st.lists(entry_strategy, min_size=1, max_size=8), st.data())
def test_any_edit_makes_verification_fail(items: list[AuditEntry], data: st.DataObject) -> None:
    events = chain(items)
    assert verify_chain(events) == []
    index = data.draw(st.integers(0, len(events) - 1))
    field = data.draw(
        st.sampled_from(
            [
                "invoice_id",
                "action",
                "actor",
                "at",
                "from_state",
                "to_state",
                "reason",
                "department",
                "acting_for",
            ]
        )
    )
    old = getattr(events[index].entry, field)
    new: object
    if field == "at":
        new = old + timedelta(microseconds=data.draw(st.integers(1, 10**9)))
    else:
        new = data.draw(texts.filter(lambda t: t != old))
    edited = dataclasses.replace(
        events[index], entry=dataclasses.replace(events[index].entry, **{field: new})
    )
    tampered = (*events[:index], edited, *events[index + 1 :])
    assert verify_chain(tampered) != []
