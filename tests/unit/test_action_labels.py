"""Every protocol entry has a German name in the CLI's history."""

from __future__ import annotations

from einvoice.services.workflow_base import action_label_de


def test_hold_entries_are_named_in_german() -> None:
    # Tried with `einvoice invoice show 4`: the history read "System: hold -> zugeordnet".
    assert action_label_de("hold") == "Zahlung sperren"
    assert action_label_de("clear_hold") == "Zahlungssperre aufheben"
    assert action_label_de("assign_creditor") == "Kreditor zuordnen"
    assert action_label_de("confirm_sachlich") == "sachlich richtig zeichnen"  # unchanged
