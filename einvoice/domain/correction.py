"""The correction loop: a returned or rejected invoice replaced by the supplier's corrected one.

A supplier whose invoice was returned ("Bitte Bestellnummer ergänzen") or rejected
sends it again, corrected, under the *same* invoice number (BT-1) - often with
the same amount. That is not a duplicate: the new document becomes the next
*version* of the invoice, the old one is closed as ``replaced`` ("ersetzt") and
both histories point at each other.

An invoice that is still being worked on, or was accepted and paid, is not
replaceable: a second copy of it is a true duplicate and is refused, with a
message that tells the supplier what to do instead (:func:`duplicate_advice_de`).
"""

from __future__ import annotations

from dataclasses import replace as dataclass_replace
from datetime import datetime

from einvoice.domain.approval import (
    SYSTEM,
    ActionKind,
    ApprovalState,
    Refusal,
    RefusalCode,
    Status,
    Transition,
)
from einvoice.domain.audit import AuditEntry

#: States in which a corrected version may replace the invoice.
REPLACEABLE = frozenset({Status.REJECTED, Status.RETURNED_TO_SUPPLIER})


def replaceable(status: str | None) -> bool:
    """May a corrected version replace an invoice in ``status`` (``None``: not routed yet)?"""
    return status is not None and status in {s.value for s in REPLACEABLE}


def replace(
    state: ApprovalState, successor_id: str, version: int, at: datetime
) -> Transition | Refusal:
    """Close ``state`` as replaced by invoice ``successor_id`` (its ``version``), by the system."""
    if at.tzinfo is None:
        raise ValueError("the time of a workflow step needs a time zone")
    if state.status not in REPLACEABLE:
        return Refusal(
            RefusalCode.STATE,
            "Nur eine zurückgegebene oder abgelehnte Rechnung kann durch eine korrigierte "
            "Fassung ersetzt werden.",
        )
    new_state = dataclass_replace(state, status=Status.REPLACED)
    entry = AuditEntry(
        invoice_id=state.invoice_id,
        action=ActionKind.REPLACE.value,
        actor=SYSTEM.id,
        at=at,
        from_state=state.status.value,
        to_state=Status.REPLACED.value,
        reason=f"Korrigierte Fassung eingegangen (Version {version}).",
        department=state.department,
        details=(("replaced_by", successor_id), ("version", str(version))),
    )
    return Transition(new_state, entry)


def duplicate_advice_de(number: str, status: str | None, status_label_de: str) -> str:
    """What a supplier is told when the same invoice arrives again while the first is valid."""
    if status is None:
        state = "ist eingegangen und wird gerade geprüft"
    elif status == Status.EXPORTED.value:
        state = "wurde bereits zur Zahlung an die Stadtkasse übergeben"
    else:
        state = f"liegt bereits zur Bearbeitung vor (Stand: {status_label_de})"
    return (
        f"Die Rechnung {number} {state}; eine zweite Fassung mit derselben Nummer wird nicht "
        "angenommen. Eine Korrektur unter derselben Nummer ist nur möglich, nachdem wir die "
        "Rechnung an Sie zurückgegeben oder abgelehnt haben. Wollen Sie den Betrag ändern, "
        "senden Sie bitte eine Rechnungskorrektur (Rechnungsart 384) oder eine Gutschrift "
        "(381) mit eigener Nummer."
    )


__all__ = ["REPLACEABLE", "duplicate_advice_de", "replace", "replaceable"]
