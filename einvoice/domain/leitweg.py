"""The Leitweg-ID: the routing key German public buyers put into BT-10 (buyer reference).

A Leitweg-ID has up to three parts joined by hyphens::

    04011000-1234512345-06
    ^^^^^^^^ ^^^^^^^^^^ ^^
    coarse   fine       check digits
    address  address

* **Grobadressierung** (coarse address, mandatory): 2 to 12 digits. The Land
  code comes first (``01``..``16``, ``99`` for the federal level), then
  optionally the Regierungsbezirk (1 digit), the Landkreis (2 digits) and the
  Gemeinde (3, 4 or 7 digits) - so a coarse address has 2, 3, 5, 8, 9 or 12 digits.
* **Feinadressierung** (fine address, optional): 1 to 30 letters or digits,
  assigned by the authority itself.
* **Prüfziffer** (check digits, mandatory): two digits after ISO 7064
  MOD 97-10, computed as for the IBAN: the coarse and fine address are written
  one after the other without hyphens, letters become numbers (A=10 .. Z=35),
  ``00`` is appended, and the check digits are ``98 - (n mod 97)``. A complete
  id is correct when the number formed from all its parts is 1 mod 97 - and,
  as for the IBAN, its check digits are the computed ones (02..98): ``01`` or
  ``99`` also give 1 mod 97 for some ids but are never issued, so they are refused.

:func:`parse_leitweg_id` returns a :class:`LeitwegId` or a :class:`LeitwegProblem`
(never raises on bad input); problems carry a German and an English message.
Letters are compared case-insensitively (the check digits do not see case);
the canonical form written by :class:`LeitwegId` uses upper case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

#: Land codes of the coarse address: the 16 Länder and 99 for the federal level.
LAND_CODES = frozenset({f"{n:02d}" for n in range(1, 17)} | {"99"})
FEDERAL_LAND_CODE = "99"
#: Lengths a coarse address can have: Land 2 (+ Regierungsbezirk 1 (+ Landkreis 2
#: (+ Gemeinde 3, 4 or 7))).
COARSE_LENGTHS = frozenset({2, 3, 5, 8, 9, 12})
MAX_FINE_LENGTH = 30

_ALNUM = re.compile(r"[0-9A-Za-z]+")
_DIGITS = re.compile(r"[0-9]+")


class LeitwegProblemKind(StrEnum):
    """What is wrong with a text that should be a Leitweg-ID."""

    EMPTY = "empty"
    CHARACTERS = "characters"  # something other than letters, digits, hyphens
    PARTS = "parts"  # not 2 or 3 non-empty parts
    COARSE_ADDRESS = "coarse_address"  # not 2-12 digits / impossible length
    LAND_CODE = "land_code"  # not 01-16 or 99
    FINE_ADDRESS = "fine_address"  # longer than 30 characters
    CHECK_FORMAT = "check_format"  # check digits are not two digits
    CHECK_DIGITS = "check_digits"  # check digits do not match (expected ones named)


@dataclass(frozen=True, slots=True)
class LeitwegProblem:
    """Why a text is not a valid Leitweg-ID (German and English message)."""

    kind: LeitwegProblemKind
    text: str  # the text as given (stripped)
    message_de: str
    message_en: str
    expected_check_digits: str | None = None  # for CHECK_DIGITS: what they should be

    def __str__(self) -> str:
        return self.message_de


@dataclass(frozen=True, slots=True)
class LeitwegId:
    """A valid Leitweg-ID in canonical form (upper case, parts joined by hyphens)."""

    coarse: str  # Grobadressierung, 2-12 digits
    fine: str  # Feinadressierung, "" when absent
    check: str  # Prüfziffer, two digits

    @property
    def land_code(self) -> str:
        """The first two digits: 01-16 for a Land, 99 for the federal level."""
        return self.coarse[:2]

    @property
    def is_federal(self) -> bool:
        return self.land_code == FEDERAL_LAND_CODE

    @property
    def text(self) -> str:
        """The canonical written form, e.g. ``04011000-1234512345-06``."""
        parts = [self.coarse, self.fine, self.check] if self.fine else [self.coarse, self.check]
        return "-".join(parts)

    def __str__(self) -> str:
        return self.text


def _number(text: str) -> int:
    """Digits as they are, letters A=10 .. Z=35 (case-insensitive), read as one integer."""
    return int("".join(str(int(ch, 36)) for ch in text))


def expected_check_digits(coarse: str, fine: str = "") -> str:
    """The two MOD 97-10 check digits for a coarse and (optional) fine address.

    Raises ``ValueError`` when the parts contain anything but letters and digits.
    """
    body = coarse + fine
    if not _ALNUM.fullmatch(body):
        raise ValueError(f"not letters and digits only: {body!r}")
    return f"{98 - _number(body + '00') % 97:02d}"


def make_leitweg_id(coarse: str, fine: str = "") -> LeitwegId:
    """A Leitweg-ID with computed check digits; ``ValueError`` if the parts are malformed."""
    check = expected_check_digits(coarse, fine)
    result = parse_leitweg_id("-".join(p for p in (coarse, fine, check) if p))
    if isinstance(result, LeitwegProblem):
        raise ValueError(result.message_en)
    return result


def parse_leitweg_id(text: str | None) -> LeitwegId | LeitwegProblem:
    """Read and check a Leitweg-ID: structure and check digits.

    Surrounding white space is ignored; everything else must be exact.
    """
    value = (text or "").strip()
    if not value:
        return _problem(
            LeitwegProblemKind.EMPTY,
            value,
            "Die Leitweg-ID fehlt oder ist leer.",
            "The Leitweg-ID is missing or empty.",
        )
    if not re.fullmatch(r"[0-9A-Za-z-]+", value):
        return _problem(
            LeitwegProblemKind.CHARACTERS,
            value,
            f"Die Leitweg-ID '{_short(value)}' enthält unzulässige Zeichen: erlaubt sind "
            "nur Ziffern, Buchstaben und Bindestriche (keine Leerzeichen).",
            f"The Leitweg-ID '{_short(value)}' contains characters other than digits, "
            "letters and hyphens.",
        )
    parts = value.split("-")
    if len(parts) not in (2, 3) or not all(parts):
        return _problem(
            LeitwegProblemKind.PARTS,
            value,
            f"Die Leitweg-ID '{_short(value)}' muss aus Grobadressierung, optionaler "
            "Feinadressierung und Prüfziffer bestehen, getrennt durch je einen Bindestrich "
            "(z. B. 04011000-1234512345-06).",
            f"The Leitweg-ID '{_short(value)}' must consist of coarse address, optional fine "
            "address and check digits, separated by single hyphens.",
        )
    coarse, check = parts[0], parts[-1]
    fine = parts[1].upper() if len(parts) == 3 else ""
    problem = _structure_problem(value, coarse, fine, check)
    if problem is not None:
        return problem
    expected = expected_check_digits(coarse, fine)
    if check != expected:
        return _problem(
            LeitwegProblemKind.CHECK_DIGITS,
            value,
            f"Die Prüfziffer der Leitweg-ID '{value}' ist falsch: angegeben {check}, "
            f"richtig wäre {expected} ({'-'.join(p for p in (coarse, fine, expected) if p)}).",
            f"The check digits of the Leitweg-ID '{value}' are wrong: given {check}, "
            f"expected {expected}.",
            expected,
        )
    return LeitwegId(coarse, fine, check)


def is_valid_leitweg_id(text: str | None) -> bool:
    return isinstance(parse_leitweg_id(text), LeitwegId)


def _structure_problem(value: str, coarse: str, fine: str, check: str) -> LeitwegProblem | None:
    if not _DIGITS.fullmatch(coarse) or not 2 <= len(coarse) <= 12:
        return _problem(
            LeitwegProblemKind.COARSE_ADDRESS,
            value,
            f"Die Grobadressierung '{coarse}' der Leitweg-ID muss aus 2 bis 12 Ziffern bestehen.",
            f"The coarse address '{coarse}' must consist of 2 to 12 digits.",
        )
    if coarse[:2] not in LAND_CODES:
        return _problem(
            LeitwegProblemKind.LAND_CODE,
            value,
            f"Die Grobadressierung '{coarse}' beginnt mit '{coarse[:2]}': das ist kein "
            "Länderschlüssel (01 bis 16, 99 für den Bund).",
            f"The coarse address '{coarse}' starts with '{coarse[:2]}', which is no Land code "
            "(01 to 16, 99 for the federal level).",
        )
    if len(coarse) not in COARSE_LENGTHS:
        return _problem(
            LeitwegProblemKind.COARSE_ADDRESS,
            value,
            f"Die Grobadressierung '{coarse}' hat {len(coarse)} Ziffern; möglich sind 2 (Land), "
            "3 (+ Regierungsbezirk), 5 (+ Landkreis), 8, 9 oder 12 (+ Gemeinde mit 3, 4 "
            "oder 7 Ziffern).",
            f"The coarse address '{coarse}' has {len(coarse)} digits; possible are 2, 3, 5, 8, "
            "9 or 12.",
        )
    if len(fine) > MAX_FINE_LENGTH:
        return _problem(
            LeitwegProblemKind.FINE_ADDRESS,
            value,
            f"Die Feinadressierung der Leitweg-ID hat {len(fine)} Zeichen; höchstens "
            f"{MAX_FINE_LENGTH} sind erlaubt.",
            f"The fine address has {len(fine)} characters; at most {MAX_FINE_LENGTH} are allowed.",
        )
    if not re.fullmatch(r"[0-9]{2}", check):
        return _problem(
            LeitwegProblemKind.CHECK_FORMAT,
            value,
            f"Die Prüfziffer '{check}' der Leitweg-ID muss aus genau zwei Ziffern bestehen.",
            f"The check digits '{check}' must be exactly two digits.",
        )
    return None


def _problem(
    kind: LeitwegProblemKind,
    value: str,
    de: str,
    en: str,
    expected: str | None = None,
) -> LeitwegProblem:
    return LeitwegProblem(kind, value, de, en, expected)


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."


__all__ = [
    "COARSE_LENGTHS",
    "FEDERAL_LAND_CODE",
    "LAND_CODES",
    "MAX_FINE_LENGTH",
    "LeitwegId",
    "LeitwegProblem",
    "LeitwegProblemKind",
    "expected_check_digits",
    "is_valid_leitweg_id",
    "make_leitweg_id",
    "parse_leitweg_id",
]
