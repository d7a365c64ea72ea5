"""The export's last look at the payee: money goes only to a creditor's account that two
people checked (issue 21, separation of duties).

At the moment a booking line is written, every IBAN of the invoice (BT-84) must be a
bank account of the invoice's matched creditor, entered by one person and verified by
another (:meth:`~einvoice.domain.creditors.Creditor.payable_to`). The holds and the
four eyes before should already make this so; this check does not trust them (a hold
cleared by a bug, a row changed in the database, an old verification by one person).
A refused line is not written: the invoice gets the hold ``bank-account-unverified``
again with the reason, shown on its page and by ``einvoice export``, and leaves the
export until the account is verified by a second person (``holds.release_answered``).

Kept apart from ``export`` so that the export's columns can change without touching it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from einvoice.domain.creditors import grouped_iban, normal_iban
from einvoice.domain.holds import HoldCode, Placement
from einvoice.services import creditor_records
from einvoice.services.holds import hold_again
from einvoice.storage.creditor_tables import InvoiceSupplierRow
from einvoice.storage.tables import Workflow


@dataclass(frozen=True, slots=True)
class RefusedLine:
    """An ordered invoice the export did not write, and why (German)."""

    invoice_id: int
    reason_de: str


def refusal(session: Session, invoice_id: int, ibans: Iterable[str | None]) -> str | None:
    """None when every IBAN may be paid to; else why the line is refused (German)."""
    wanted = list(dict.fromkeys(normal_iban(i) for i in ibans if i and normal_iban(i)))
    if not wanted:
        return None  # no credit transfer: no account the money could be redirected to
    supplier = session.get(InvoiceSupplierRow, invoice_id)
    shown = ", ".join(grouped_iban(i) for i in wanted)
    if supplier is None or supplier.creditor_id is None:
        return (
            f"Export verweigert: die Rechnung ist keinem Kreditor zugeordnet; an die "
            f"Bankverbindung {shown} zahlt die Stadt nicht."
        )
    creditor = creditor_records.load(session, supplier.creditor_id)
    unpaid = [i for i in wanted if not creditor.payable_to(i)]
    if not unpaid:
        return None
    return (
        f"Export verweigert: die Bankverbindung {', '.join(grouped_iban(i) for i in unpaid)} "
        f"ist keine von zwei Personen geprüfte Bankverbindung des Kreditors {creditor.number} "
        f"{creditor.name} (erfasst von einer Person, geprüft von einer zweiten). Die "
        "Kreditorenbuchhaltung erfasst und prüft sie; dann geht die Rechnung mit dem nächsten "
        "Export an die Kasse."
    )


def hold_refused(session: Session, row: Workflow, reason_de: str, at: datetime) -> None:
    """Hold the invoice whose line was refused (``bank-account-unverified``, an event in its
    audit chain), re-opening that hold if it was cleared before."""
    hold_again(session, row, Placement(HoldCode.BANK_ACCOUNT_UNVERIFIED, reason_de), at)


__all__ = ["RefusedLine", "hold_refused", "refusal"]
