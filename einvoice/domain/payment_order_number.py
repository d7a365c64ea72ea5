"""The identity of a payment order (Auszahlungsanordnung): its Anordnungsnummer.

One ordered invoice has one payment order; its number is ``AO-`` followed by the
invoice's id in this system, seven digits with leading zeros (``AO-0000123``).
The HKR export carries it, the cash office copies it into the payment's
remittance information (Verwendungszweck), and the payment import finds the
order again by it (also when the bank reflowed the text: spaces and a missing
hyphen are tolerated, see :func:`find_order_numbers`).
"""

from __future__ import annotations

import re

PREFIX = "AO-"
_DIGITS = 7
_IN_TEXT = re.compile(r"\bAO\s*-?\s*(\d{1," + str(_DIGITS) + r"})\b", re.IGNORECASE)


def order_number(invoice_id: int) -> str:
    """The Anordnungsnummer of the payment order for invoice ``invoice_id``."""
    if invoice_id <= 0 or invoice_id >= 10**_DIGITS:
        raise ValueError(f"invoice id out of range for an order number: {invoice_id}")
    return f"{PREFIX}{invoice_id:0{_DIGITS}d}"


def invoice_id_of(number: str) -> int | None:
    """The invoice id an Anordnungsnummer names, or None when ``number`` is not one."""
    match = _IN_TEXT.fullmatch(number.strip())
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def find_order_numbers(text: str) -> list[int]:
    """Invoice ids of every Anordnungsnummer in a free text (remittance information), in order."""
    seen: list[int] = []
    for match in _IN_TEXT.finditer(text):
        found = int(match.group(1))
        if found > 0 and found not in seen:
            seen.append(found)
    return seen
