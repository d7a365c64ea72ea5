"""What the payment files share: the city's settings for them and their errors.

A payment file is refused as a whole when anything in it is wrong (nothing is
half imported); :class:`PaymentFileError` carries every problem found, each
with file, line and column (for camt: the element), in German.

The settings come from a small TOML file (``EINVOICE_PAYMENTS_CONFIG``; the
package's ``einvoice/data/payments.toml`` serves the demo city)::

    [konten]                     # the city's own accounts: camt files of others are refused
    iban = ["DE02 1203 0000 0000 2020 51"]

    [csv]                        # the cash system's payment confirmation
    trennzeichen = ";"
    dezimalzeichen = ","         # German: 1.234,56
    datumsformat = "TT.MM.JJJJ"  # or JJJJ-MM-TT
    kodierung = "utf-8"          # utf-8 (with or without BOM) or cp1252
    [csv.spalten]                # our name = the column header in the file
    anordnungsnummer = "Anordnungsnummer"
    betrag = "Betrag"
    ...
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from einvoice.domain.creditors import iban_valid, normal_iban
from einvoice.errors import ConfigurationError, PermanentError

#: The demo city's settings (package data, so an installed wheel has them).
SAMPLE_PAYMENTS_CONFIG = Path(__file__).resolve().parent.parent / "data" / "payments.toml"
MAX_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 200_000
MAX_PROBLEMS = 50

#: Our names of the CSV's columns (required first) and their default headers.
CSV_COLUMNS: dict[str, str] = {
    "betrag": "Betrag",
    "zahlungsdatum": "Zahlungsdatum",
    "anordnungsnummer": "Anordnungsnummer",
    "verwendungszweck": "Verwendungszweck",
    "referenz": "Buchungsreferenz",
    "iban": "IBAN",
    "empfaenger": "Empfänger",
    "waehrung": "Währung",
    "ende_zu_ende": "Ende-zu-Ende-Referenz",
}
REQUIRED_CSV = ("betrag", "zahlungsdatum")
DATE_FORMATS = {"TT.MM.JJJJ": "%d.%m.%Y", "JJJJ-MM-TT": "%Y-%m-%d", "TT.MM.JJ": "%d.%m.%y"}


@dataclass(frozen=True, slots=True)
class FileProblem:
    line: int  # 0: the file as a whole
    column: str  # the column header or camt element ("" for the file)
    message_de: str

    def text(self, filename: str) -> str:
        where = [filename]
        if self.line:
            where.append(f"Zeile {self.line}")
        if self.column:
            where.append(f"Spalte „{self.column}“")
        return f"{', '.join(where)}: {self.message_de}"


class PaymentFileError(PermanentError):
    """The file was refused as a whole; ``problems`` says where and why (German)."""

    def __init__(self, filename: str, problems: Sequence[FileProblem]) -> None:
        self.filename = filename
        self.problems = tuple(problems)
        shown = [p.text(filename) for p in self.problems[:MAX_PROBLEMS]]
        more = len(self.problems) - len(shown)
        tail = [f"… und {more} weitere Fehler"] if more > 0 else []
        super().__init__(
            "Die Zahlungsdatei wurde nicht eingelesen (nichts übernommen):\n"
            + "\n".join(shown + tail)
        )


@dataclass(frozen=True, slots=True)
class CsvLayout:
    columns: Mapping[str, str] = field(default_factory=lambda: dict(CSV_COLUMNS))
    delimiter: str = ";"
    decimal: str = ","
    date_format: str = "TT.MM.JJJJ"
    encoding: str = "utf-8"
    currency: str = "EUR"  # when the file has no currency column


@dataclass(frozen=True, slots=True)
class PaymentSettings:
    accounts: frozenset[str] = frozenset()  # the city's IBANs (normal form)
    csv: CsvLayout = field(default_factory=CsvLayout)


def _table(data: Mapping[str, Any], key: str, source: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{source}: [{key}] muss eine Tabelle sein.")
    return value


def settings_from(data: Mapping[str, Any], source: str) -> PaymentSettings:
    """The settings of a parsed TOML document (ConfigurationError in German when wrong)."""
    accounts_raw = _table(data, "konten", source).get("iban", [])
    if not isinstance(accounts_raw, list) or not all(isinstance(a, str) for a in accounts_raw):
        raise ConfigurationError(f"{source}: konten.iban muss eine Liste von IBANs sein.")
    wrong = [a for a in accounts_raw if not iban_valid(a)]
    if wrong:
        raise ConfigurationError(f"{source}: keine gültige IBAN: {', '.join(wrong)}")
    csv_raw = _table(data, "csv", source)
    columns = dict(CSV_COLUMNS)
    for ours, header in _table(csv_raw, "spalten", source).items():
        if ours not in CSV_COLUMNS:
            raise ConfigurationError(
                f"{source}: csv.spalten.{ours} ist unbekannt; möglich: {', '.join(CSV_COLUMNS)}"
            )
        if not isinstance(header, str) or not header.strip():
            raise ConfigurationError(f"{source}: csv.spalten.{ours} muss ein Spaltenname sein.")
        columns[ours] = header.strip()
    date_format = str(csv_raw.get("datumsformat", "TT.MM.JJJJ"))
    if date_format not in DATE_FORMATS:
        raise ConfigurationError(
            f"{source}: csv.datumsformat {date_format!r}; möglich: {', '.join(DATE_FORMATS)}"
        )
    decimal = str(csv_raw.get("dezimalzeichen", ","))
    if decimal not in (",", "."):
        raise ConfigurationError(f"{source}: csv.dezimalzeichen muss ',' oder '.' sein.")
    encoding = str(csv_raw.get("kodierung", "utf-8")).lower()
    if encoding not in ("utf-8", "cp1252"):
        raise ConfigurationError(f"{source}: csv.kodierung muss utf-8 oder cp1252 sein.")
    delimiter = str(csv_raw.get("trennzeichen", ";"))
    if len(delimiter) != 1:
        raise ConfigurationError(f"{source}: csv.trennzeichen muss ein Zeichen sein.")
    layout = CsvLayout(
        columns=columns,
        delimiter=delimiter,
        decimal=decimal,
        date_format=date_format,
        encoding=encoding,
        currency=str(csv_raw.get("waehrung", "EUR")).upper(),
    )
    return PaymentSettings(frozenset(normal_iban(a) for a in accounts_raw), layout)


def load_settings(path: Path | None) -> PaymentSettings:
    """The settings from ``path``, or the package's demo settings when ``path`` is None."""
    if path is None:
        text = SAMPLE_PAYMENTS_CONFIG.read_text("utf-8")
        source = "payments.toml (Beispiel)"
    else:
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise ConfigurationError(f"{path}: nicht lesbar ({exc.strerror})") from exc
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{source}: kein gültiges TOML ({exc})") from exc
    return settings_from(data, source)
