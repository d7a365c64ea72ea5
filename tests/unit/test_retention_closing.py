"""The one function deciding when an invoice was closed (retention counts from that year)."""

from __future__ import annotations

from datetime import date

from einvoice.domain.retention import StateChange, closed_on, decide

TRAIL = [
    StateChange(None, "received", date(2016, 3, 1)),
    StateChange("received", "validated", date(2016, 3, 1)),
    StateChange("validated", "routed", date(2016, 3, 1)),
    StateChange("routed", "sachlich_richtig", date(2016, 4, 1)),
    StateChange("sachlich_richtig", "rechnerisch_richtig", date(2016, 5, 1)),
    StateChange("rechnerisch_richtig", "angeordnet", date(2016, 6, 1)),
    StateChange("angeordnet", "exported", date(2016, 12, 30)),
    StateChange("exported", "exported", date(2017, 2, 1)),  # a hold event: no change
]


def test_open_states_have_no_closing_day() -> None:
    for status in ("received", "validated", "routed", "sachlich_richtig", "angeordnet", None):
        assert closed_on(status, TRAIL) is None


def test_the_export_closes_and_a_later_payment_moves_the_day() -> None:
    assert closed_on("exported", TRAIL) == date(2016, 12, 30)
    assert closed_on("exported", TRAIL, paid_on=date(2017, 1, 10)) == date(2017, 1, 10)
    assert closed_on("exported", TRAIL, paid_on=date(2016, 12, 1)) == date(2016, 12, 30)


def test_rejected_then_replaced_counts_from_the_replacement() -> None:
    trail = [
        StateChange("routed", "rejected", date(2016, 11, 1)),
        StateChange("rejected", "replaced", date(2017, 1, 5)),
    ]
    assert closed_on("replaced", trail) == date(2017, 1, 5)


def test_decide_counts_from_the_closing_year_never_from_receipt() -> None:
    today = date(2026, 12, 1)
    received = date(2016, 3, 1)
    assert decide(received, today, (), 8, closed=(date(2017, 6, 1),)).due  # until 2025
    late = decide(received, today, (), 8, closed=(date(2018, 1, 2),))
    assert not late.due and late.retained_until == date(2026, 12, 31)
    still_open = decide(received, today, (), 8, closed=(date(2016, 5, 1), None))
    assert not still_open.due and "noch offen" in still_open.reason_de
    held = decide(received, today, ("Rechnung 1: Betriebsprüfung",), 8, closed=(received,))
    assert held.due and held.held and not held.delete
    assert decide(received, today, (), 8).due  # no invoice in the message: from receipt
