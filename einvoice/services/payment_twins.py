"""A payment read before from the other source (the cash office's CSV or the bank's camt).

:func:`same_payments` looks up, for the new entries of a payment file, the
payments recorded from the other source that no entry matched yet, and pairs
them by what both files carry (:func:`einvoice.domain.payment_identity.pair`).
The import records a paired entry as a payment of state ``same`` pointing at the
first (``payments.same_as``, unique: one to one, also when two imports run at
once): it pays nothing, waits for nobody and is counted as known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from einvoice.domain.payment_identity import (
    SAME_PAYMENT_DAYS,
    Recorded,
    identity,
    pair,
    source_of,
)
from einvoice.domain.payment_matching import Match, Outcome, PaymentEntry
from einvoice.storage.payment_tables import PaymentFileRow, PaymentRow

_CHUNK = 1000  # amounts in one IN list


@dataclass(frozen=True, slots=True)
class Twin:
    payment_id: int  # the payment recorded before
    match: Match  # what the new entry is recorded with (Outcome.SAME)


def same_payments(session: Session, entries: Sequence[PaymentEntry]) -> dict[str, Twin]:
    """Entry key -> the payment of the other source it is the same as (see the module)."""
    eligible = [
        e
        for e in entries
        if identity(e.orders, e.amount, e.currency, returned=e.returned) is not None
    ]
    if not eligible:
        return {}
    window = timedelta(days=SAME_PAYMENT_DAYS)
    start = min(e.booked_on for e in eligible) - window
    end = max(e.booked_on for e in eligible) + window
    amounts = sorted({e.amount for e in eligible})
    paired = select(PaymentRow.same_as).where(PaymentRow.same_as.is_not(None))
    found: dict[int, tuple[Recorded, str, int]] = {}
    for at in range(0, len(amounts), _CHUNK):
        rows = session.execute(
            select(PaymentRow, PaymentFileRow.filename)
            .join(PaymentFileRow, PaymentFileRow.id == PaymentRow.file_id)
            .where(
                PaymentRow.amount.in_(amounts[at : at + _CHUNK]),
                PaymentRow.booked_on.between(start, end),
                PaymentRow.same_as.is_(None),
                PaymentRow.outcome.notin_((Outcome.RETURNED.value, Outcome.SAME.value)),
                PaymentRow.id.notin_(paired),
            )
        )
        for row, filename in rows:
            recorded = Recorded(
                payment_id=row.id,
                source=source_of(row.entry_key),
                booked_on=row.booked_on,
                amount=row.amount,
                currency=row.currency,
                orders=tuple(int(i) for i in row.orders.split(",") if i),
                creditor_iban=row.creditor_iban,
                end_to_end=row.end_to_end,
            )
            found[row.id] = (recorded, filename, row.line)
    twins = pair(eligible, (r for r, _, _ in found.values()))
    named = {e.key: tuple(dict.fromkeys(e.orders)) for e in eligible}
    out: dict[str, Twin] = {}
    for key, payment_id in twins.items():
        recorded, filename, line = found[payment_id]
        reason = (
            f"Dieselbe Zahlung wie Zahlung {payment_id} aus {filename}, Zeile {line} "
            f"(Anordnung, Betrag{', IBAN' if recorded.creditor_iban else ''} und Tag "
            "passen): nicht noch einmal gezählt."
        )
        out[key] = Twin(payment_id, Match(Outcome.SAME, reason, invoice_ids=named[key]))
    return out


def payment_values(
    file_id: int, entry: PaymentEntry, found: Match, same_as: int | None = None
) -> dict[str, object]:
    """The ``payments`` row of ``entry`` as :func:`einvoice.domain.payment_matching.match`
    (or :func:`same_payments`) found it."""
    state = "same" if same_as is not None else "matched" if found.paid else "open"
    return {
        "file_id": file_id,
        "entry_key": entry.key[:255],
        "line": entry.line,
        "booked_on": entry.booked_on,
        "amount": entry.amount,
        "currency": entry.currency,
        "creditor_iban": entry.creditor_iban,
        "creditor_name": (entry.creditor_name or "")[:512] or None,
        "remittance": entry.remittance,
        "orders": ",".join(str(i) for i in found.invoice_ids)[:512],
        "outcome": found.outcome.value,
        "reason_de": found.reason_de,
        "state": state,
        "proposal_invoice_id": found.proposal,
        "decision": None,
        "decided_invoice_id": None,
        "decided_by": None,
        "decided_at": None,
        "note": None,
        "end_to_end": entry.end_to_end,
        "same_as": same_as,
    }


__all__ = ["Twin", "payment_values", "same_payments"]
