"""IBAN plausibility check (ISO 13616, MOD 97-10), used by BR-DE-19 and BR-DE-20."""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"[ \t\r\n]+")
_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Za-z0-9]{0,30}")


def compact_iban(value: str | None) -> str:
    """The IBAN without any whitespace (printed IBANs are grouped by spaces)."""
    return _WHITESPACE.sub("", value or "")


def iban_is_valid(value: str | None) -> bool:
    """True when ``value`` has the IBAN shape and its check digits are right.

    Spaces, tabs and line breaks are tolerated; the country code must be
    upper case. The checksum moves the first four characters to the end,
    replaces letters by 10..35 and requires the number to be 1 modulo 97.
    """
    iban = compact_iban(value)
    if not _SHAPE.fullmatch(iban):
        return False
    rearranged = (iban[4:] + iban[:4]).upper()
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1
