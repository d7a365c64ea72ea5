"""Reading the semantic data types of EN 16931 from their written form.

Amounts, quantities and percentages are ``Decimal`` exactly as written (the
scale is kept: ``158.1250000000`` stays ``158.1250000000``); dates are
``datetime.date``. A value that cannot be read raises :class:`InvalidValueError`
with a German message naming the business term - never a binary float, never a
silent default.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from einvoice.errors import PermanentError

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
CENT = Decimal("0.01")


class InvalidValueError(PermanentError):
    """A business term's value is not of its semantic data type (German message)."""

    def __init__(self, term: str, value: str, expected: str) -> None:
        self.term = term
        self.value = value
        self.expected = expected
        super().__init__(
            f"Der Wert '{value[:60]}' in {term} ist {expected}.",
        )


def parse_decimal(text: str, term: str) -> Decimal:
    """An amount, quantity or percentage as written (xs:decimal lexical form)."""
    value = text.strip()
    if not _DECIMAL.fullmatch(value):
        raise InvalidValueError(term, value, "keine Dezimalzahl (erwartet z. B. 1234.56)")
    return Decimal(value)


def parse_iso_date(text: str, term: str) -> date:
    """A date written ``YYYY-MM-DD`` (UBL, optionally with a time zone suffix)."""
    value = text.strip()
    if len(value) == 10 and value[4] == "-" and value[7] == "-":  # fast path, C parser
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise InvalidValueError(term, value, "kein gültiges Kalenderdatum") from exc
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        raise InvalidValueError(term, value, "kein Datum im Format JJJJ-MM-TT")
    return _date(match.groups(), term, value)


def parse_compact_date(text: str, date_format: str | None, term: str) -> date:
    """A CII date ``YYYYMMDD`` (format code 102, the only one EN 16931 allows)."""
    value = text.strip()
    if date_format not in (None, "", "102"):
        raise InvalidValueError(
            term, value, f"im Datumsformat {date_format}; erlaubt ist nur 102 (JJJJMMTT)"
        )
    if len(value) == 8 and value.isascii() and value.isdigit():  # fast path
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError as exc:
            raise InvalidValueError(term, value, "kein gültiges Kalenderdatum") from exc
    match = _COMPACT_DATE.fullmatch(value)
    if match is None:
        raise InvalidValueError(term, value, "kein Datum im Format JJJJMMTT (Format 102)")
    return _date(match.groups(), term, value)


def _date(parts: tuple[str | None, ...], term: str, value: str) -> date:
    year, month, day = (int(p or "0") for p in parts[:3])
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidValueError(term, value, "kein gültiges Kalenderdatum") from exc


def round_half_up(amount: Decimal, exponent: Decimal = CENT) -> Decimal:
    """Commercial rounding (half up) to two decimals, as EN 16931 rounds amounts."""
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def decimal_text(value: Decimal) -> str:
    """The canonical string of a decimal: plain notation, scale kept (``10.50``)."""
    return format(value, "f")


#: ISO 4217 currencies whose minor unit is not 2 decimals (all others: 2, as EUR).
_MINOR_UNITS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG"), 0),
    **dict.fromkeys(("RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}


def minor_units(currency: str | None) -> int:
    """Decimals of the currency's amounts (ISO 4217 minor unit; EUR and unknown: 2)."""
    return _MINOR_UNITS.get((currency or "").strip().upper(), 2)


def amount_text(amount: Decimal, currency: str | None) -> str:
    """An amount as a plain decimal string with the currency's places (``123.45`` for EUR),
    rounded half up - for machine outputs such as the JSON API."""
    return decimal_text(round_half_up(amount, Decimal(1).scaleb(-minor_units(currency))))
