"""Duplicate suspicion does not depend on the order or timing of routing (issue 21,
finding 8), on SQLite and PostgreSQL.

Before: an invoice was compared only with invoices of a lower id that already had a
workflow; when the earlier one was routed after the later one (a job re-queued after a
fault), neither was held. Now each pair is compared whenever either is routed, and
the later invoice of a suspicious pair is held - routed in either order or at once.
"""

from __future__ import annotations

import threading
from itertools import permutations

from einvoice.bootstrap import Container
from einvoice.services import holds, workflow
from einvoice.services.ports import Pipeline
from tests.integration.workflow_setup import receive, sample, setup


def _held(p: Pipeline, invoice_id: int) -> bool:
    return any(
        h.code.value == "possible-duplicate" and h.open for h in holds.holds_of(p, invoice_id)
    )


def _pair(p: Pipeline, seed: int) -> tuple[int, int]:
    """Two invoices of one creditor with the same amount and consecutive numbers."""
    first = receive(p, sample(seed, number=f"BH-2025-{seed:03d}01"))
    second = receive(p, sample(seed, number=f"BH-2025-{seed:03d}02"))
    return first, second


def test_the_later_of_a_pair_is_held_in_either_order(container: Container) -> None:
    p = setup(container).pipeline
    for n, order in enumerate(permutations((0, 1))):
        pair = _pair(p, n)
        for index in order:
            workflow.route(p, pair[index])
        earlier, later = pair
        assert not _held(p, earlier), order
        assert _held(p, later), order
        (hold,) = [h for h in holds.holds_of(p, later) if h.open]
        assert f"(interne Nr. {earlier})" in hold.message_de
    assert workflow.verify_audit(p).ok  # the hold on the routed-before invoice is in its chain


def test_three_of_a_kind_routed_backwards(container: Container) -> None:
    p = setup(container).pipeline
    ids = [receive(p, sample(0, number=f"BH-2025-0990{i}")) for i in range(3)]
    for invoice_id in reversed(ids):
        workflow.route(p, invoice_id)
    assert [_held(p, i) for i in ids] == [False, True, True]
    last = next(h for h in holds.holds_of(p, ids[2]) if h.open)
    assert f"(interne Nr. {ids[0]})" in last.message_de
    assert f"(interne Nr. {ids[1]})" in last.message_de
    assert workflow.verify_audit(p).ok


def test_pairs_routed_at_the_same_moment(container: Container) -> None:
    p = setup(container).pipeline
    pairs = [_pair(p, seed) for seed in (4, 5, 6)]
    everything = [i for pair in pairs for i in reversed(pair)]
    start = threading.Barrier(len(everything))
    errors: list[BaseException] = []

    def route(invoice_id: int) -> None:
        try:
            start.wait()
            workflow.route(p, invoice_id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=route, args=(i,)) for i in everything]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    for earlier, later in pairs:
        assert (_held(p, earlier), _held(p, later)) == (False, True), (earlier, later)
    assert workflow.verify_audit(p).ok
