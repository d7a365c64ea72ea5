"""Reading single form values of the Weberfassung: texts, German numbers, dates, codes.

Each reader returns the typed value or records a :class:`FieldError` in the
:class:`FieldReader` and returns ``None``; nothing raises on bad input. Numbers
may be written the German way (``1.234,56``, ``2,5``) or with a decimal point
as an ``<input type=number>`` sends them (``1234.56``); a text such as
``1.234`` that reads as a thousands group is refused as ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from einvoice.domain.invoice_entry import FieldError

EINGABE = "EINGABE"  # the rule of a plain format error

_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_GERMAN_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_AMBIGUOUS_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GERMAN_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
#: Characters XML 1.0 cannot carry, C0/C1 controls and unpaired surrogates (a line break
#: and a tab are allowed where a text may have several lines).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029\x85]")


def german_decimal(value: Decimal) -> str:
    """A quantity, price or rate as the form shows it: decimal comma, no exponent, no
    needless zeros (``1234,5``, ``0,125``, ``3``)."""
    return f"{value.normalize():f}".replace(".", ",")


def money_text(value: Decimal) -> str:
    """An amount as the form shows it: two decimals with a comma (``1234,50``)."""
    return f"{value:.2f}".replace(".", ",")


@dataclass
class FieldReader:
    """Reads fields of one form, collecting every problem (a supplier sees all at once)."""

    values: Mapping[str, str]
    #: the German label of a field, for messages such as "Zeile 2: Menge: ..."
    title: Callable[[str], str] = str
    errors: list[FieldError] = field(default_factory=list)

    def error(self, name: str, rule: str, message: str) -> None:
        self.errors.append(FieldError(name, rule, message))

    def has_error(self, name: str) -> bool:
        return any(e.field == name for e in self.errors)

    def raw(self, name: str) -> str:
        value = self.values.get(name, "")
        return value if isinstance(value, str) else ""

    def text(
        self,
        name: str,
        label: str,
        *,
        max_length: int = 200,
        required_rule: str | None = None,
        multiline: bool = False,
    ) -> str:
        """A text: stripped; refused when too long or with characters an invoice cannot hold."""
        value = self.raw(name).replace("\r\n", "\n").strip()
        if _BAD_CHARS.search(value):
            self.error(
                name,
                EINGABE,
                f"{self.title(name)}: enthält unsichtbare Sonderzeichen (etwa aus einer "
                "kopierten Vorlage); bitte neu eingeben.",
            )
            return ""
        if not multiline and _LINE_BREAKS.search(value):
            self.error(
                name, EINGABE, f"{self.title(name)}: bitte ohne Zeilenumbruch oder Tabulator."
            )
            return ""
        if multiline:
            value = "\n".join(line.rstrip() for line in value.split("\n"))
        if len(value) > max_length:
            self.error(
                name,
                EINGABE,
                f"{self.title(name)}: höchstens {max_length} Zeichen (jetzt {len(value)}).",
            )
            return ""
        if not value and required_rule is not None:
            self.error(name, required_rule, f"Bitte {label} angeben.")
        return value

    def decimal(
        self,
        name: str,
        label: str,
        *,
        places: int,
        required_rule: str | None = None,
        minimum: Decimal | None = None,
        positive: bool = False,
        maximum: Decimal = Decimal("999999999.99"),
        places_rule: str = EINGABE,
    ) -> Decimal | None:
        """A number, German or with a decimal point; ``places`` decimals at most."""
        text = self.raw(name).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            if required_rule is not None:
                self.error(name, required_rule, f"Bitte {label} angeben.")
            return None
        number = _parse_number(text)
        if number is None:
            hint = (
                " Bitte mit Komma als Dezimaltrennzeichen schreiben (z. B. 1234,50)."
                if _AMBIGUOUS_GROUPED.fullmatch(text)
                else " Erwartet wird eine Zahl wie 12 oder 1234,50."
            )
            self.error(
                name, EINGABE, f"{self.title(name)}: „{text[:30]}“ ist keine gültige Zahl.{hint}"
            )
            return None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            self.error(
                name,
                places_rule,
                f"{self.title(name)}: höchstens {places} Nachkommastellen"
                + (" (Beträge werden in Cent angegeben)." if places == 2 else "."),
            )
            return None
        if positive and number <= 0:
            self.error(name, EINGABE, f"{self.title(name)}: muss größer als 0 sein.")
            return None
        if minimum is not None and number < minimum:
            self.error(name, EINGABE, f"{self.title(name)}: darf nicht kleiner als {minimum} sein.")
            return None
        if abs(number) > maximum:
            self.error(name, EINGABE, f"{self.title(name)}: der Wert ist zu groß.")
            return None
        return number

    def date(self, name: str, label: str, *, required_rule: str | None = None) -> date | None:
        """A date as ``<input type=date>`` sends it (``2025-03-31``) or German (``31.03.2025``)."""
        text = self.raw(name).strip()
        if not text:
            if required_rule is not None:
                self.error(name, required_rule, f"Bitte {label} angeben.")
            return None
        day: date | None = None
        try:
            if _ISO_DATE.fullmatch(text):
                day = date.fromisoformat(text)
            elif match := _GERMAN_DATE.fullmatch(text):
                day = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            day = None
        if day is None:
            self.error(
                name,
                EINGABE,
                f"{self.title(name)}: „{text[:30]}“ ist kein gültiges Datum (z. B. 31.03.2025).",
            )
            return None
        if day.year < 2000 or day.year > 2099:
            self.error(
                name, EINGABE, f"{self.title(name)}: das Jahr {day.year} ist nicht plausibel."
            )
            return None
        return day


def _parse_number(text: str) -> Decimal | None:
    if _AMBIGUOUS_GROUPED.fullmatch(text):
        return None  # "1.234": a thousands group or three decimals? Ask.
    if _GERMAN_GROUPED.fullmatch(text):
        text = text.replace(".", "")
    elif not _PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


#: ISO 3166-1 alpha-2 country codes (BT-40, BT-55; code list of BR-CL-14).
_COUNTRIES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA
    ZM ZW"""
COUNTRY_CODES = frozenset(_COUNTRIES.split())
