"""The correction loop in the domain: a returned or rejected invoice replaced by a new version."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from einvoice.domain.approval import ApprovalState, Refusal, Status, Transition
from einvoice.domain.correction import duplicate_advice_de, replace, replaceable

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", [Status.RETURNED_TO_SUPPLIER, Status.REJECTED])
def test_returned_or_rejected_invoice_is_replaced(status: Status) -> None:
    state = ApprovalState("7", Decimal("100.00"), status=status, department="amt-10")
    outcome = replace(state, "9", 2, AT)
    assert isinstance(outcome, Transition)
    assert outcome.state.status is Status.REPLACED
    assert outcome.state.is_final
    assert outcome.event.action == "replace"
    assert outcome.event.from_state == status.value
    assert dict(outcome.event.details) == {"replaced_by": "9", "version": "2"}
    assert outcome.event.actor == "system"


@pytest.mark.parametrize(
    "status",
    [Status.ROUTED, Status.SACHLICH_RICHTIG, Status.ANGEORDNET, Status.EXPORTED, Status.REPLACED],
)
def test_invoice_in_work_or_paid_is_not_replaceable(status: Status) -> None:
    state = ApprovalState("7", Decimal("100.00"), status=status)
    assert isinstance(replace(state, "9", 2, AT), Refusal)
    assert not replaceable(status.value)


def test_replace_needs_an_aware_time() -> None:
    state = ApprovalState("7", Decimal("1"), status=Status.REJECTED)
    with pytest.raises(ValueError):
        replace(state, "9", 2, datetime(2026, 12, 1, 9, 0))


def test_duplicate_advice_tells_the_supplier_what_to_do() -> None:
    text = duplicate_advice_de("R-1", "routed", "zugeordnet")
    assert "R-1" in text and "zugeordnet" in text
    assert "zurückgegeben" in text and "384" in text
    assert "Stadtkasse" in duplicate_advice_de("R-1", "exported", "übergeben")
