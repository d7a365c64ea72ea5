"""The recovery of `einvoice worker` (issue 23): work lost to a fault is re-driven when the
fault is over - not after EINVOICE_SWEEP_AFTER - and the mailboxes are polled at once."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from einvoice.workers import recovery as module
from einvoice.workers.recovery import Recovery


class Broker:
    def __init__(self) -> None:
        self.dead = 0

    def counts(self) -> dict[str, int]:
        return {"waiting": 0, "dead_letters": self.dead}


def make(monkeypatch: pytest.MonkeyPatch, own_side: list[str] | None = None) -> Any:
    broker = Broker()
    container = SimpleNamespace(pipeline=SimpleNamespace(broker=broker))
    calls: list[str] = []
    state = {"problem": None}
    monkeypatch.setattr(
        "einvoice.services.fetch.failed_on_our_side", lambda pipeline, older_than: own_side or []
    )
    recovery = Recovery(
        container,
        redrive=lambda reason: calls.append(f"redrive: {reason}"),
        poll_now=lambda: calls.append("poll"),
        probe=lambda c: state["problem"],
    )
    return recovery, calls, state, broker


def test_start_then_nothing_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    recovery, calls, _, _ = make(monkeypatch)
    assert recovery.check() == "Worker gestartet"
    assert calls == ["redrive: Worker gestartet", "poll"]
    calls.clear()
    assert recovery.check() is None and calls == []  # no fault: the queue does the work


def test_a_fault_waits_then_everything_is_re_driven_when_it_is_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recovery, calls, state, _ = make(monkeypatch)
    recovery.check()
    calls.clear()
    state["problem"] = "Datenbank nicht erreichbar (OperationalError)"
    for _ in range(5):
        assert recovery.check() is None
    assert calls == []  # nothing re-driven while the database is away
    state["problem"] = None
    reason = recovery.check()
    assert reason is not None and reason.startswith("behoben nach")
    assert "Datenbank nicht erreichbar" in reason
    assert calls == [f"redrive: {reason}", "poll"]


def test_a_restarted_worker_and_dead_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    recovery, calls, _, broker = make(monkeypatch)
    recovery.check()
    calls.clear()
    recovery.worker_restarted()
    assert recovery.check() == "Worker-Prozess neu gestartet"
    assert calls == ["redrive: Worker-Prozess neu gestartet", "poll"]
    calls.clear()
    broker.dead = 72
    assert recovery.check() == "Dead Letters beim Broker: 72"
    assert calls == ["redrive: Dead Letters beim Broker: 72"]  # no poll needed for those


def test_a_poll_that_failed_on_our_side_is_repeated_once_that_side_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disk was freed before the probe saw it full: the failed poll still counts."""
    recovery, calls, _, _ = make(monkeypatch, own_side=["imaps://rechnung@mail/INBOX"])
    recovery.check()
    calls.clear()
    reason = recovery.check()
    assert reason is not None and "Speicher oder Datenbank" in reason
    assert calls[-1] == "poll"


def test_the_probe_finds_an_unwritable_blob_folder(tmp_path: Any) -> None:
    blocker = tmp_path / "kein-ordner"
    blocker.write_text("x")
    assert module._writable(blocker / "blobs") is not None
    assert module._writable(tmp_path / "blobs") is None
    assert list((tmp_path / "blobs").iterdir()) == []  # the probe leaves nothing behind
