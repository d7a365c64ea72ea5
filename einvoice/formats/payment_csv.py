"""The cash system's payment confirmation as CSV -> payment entries.

Columns as configured (:class:`~einvoice.formats.payment_files.CsvLayout`);
amounts in the German form (``1.234,56``, thousands dots optional) unless the
city configured ``.`` as the decimal sign; dates as configured (``TT.MM.JJJJ``).
Every wrong cell is reported with line and column; one wrong cell refuses the
file (:class:`~einvoice.formats.payment_files.PaymentFileError`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from einvoice.domain.creditors import iban_valid, normal_iban
from einvoice.domain.payment_matching import PaymentEntry
from einvoice.domain.payment_order_number import find_order_numbers
from einvoice.formats.payment_files import (
    DATE_FORMATS,
    MAX_BYTES,
    MAX_ENTRIES,
    REQUIRED_CSV,
    CsvLayout,
    FileProblem,
    PaymentFileError,
)

_GERMAN = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2})?")
_DOTTED = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?")
_CURRENCY = re.compile(r"[A-Z]{3}")


def parse_amount(text: str, decimal: str = ",") -> Decimal | None:
    """``1.234,56`` -> Decimal('1234.56') (decimal ``,``); None when not an amount."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").removesuffix("€").removesuffix("EUR")
    shape, thousands = (_GERMAN, ".") if decimal == "," else (_DOTTED, ",")
    if not shape.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation:
        return None


def amount_example(decimal: str) -> str:
    return "1.234,56" if decimal == "," else "1,234.56"


def _decode(data: bytes, layout: CsvLayout, filename: str) -> str:
    if len(data) > MAX_BYTES:
        raise PaymentFileError(
            filename, [FileProblem(0, "", f"größer als {MAX_BYTES // (1024 * 1024)} MB")]
        )
    if layout.encoding == "cp1252":
        return data.decode("cp1252", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PaymentFileError(
            filename,
            [
                FileProblem(
                    line,
                    "",
                    "kein UTF-8-Text (ist die Datei in Windows-1252 gespeichert? Dann "
                    'kodierung = "cp1252" in der Einstellung).',
                )
            ],
        ) from None


def read_csv(data: bytes, filename: str, layout: CsvLayout) -> list[PaymentEntry]:
    """Every payment line of the file, or PaymentFileError naming each wrong cell."""
    text = _decode(data, layout, filename)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise PaymentFileError(filename, [FileProblem(0, "", "Die Datei ist leer.")]) from None
    except csv.Error as exc:
        raise PaymentFileError(filename, [FileProblem(1, "", f"kein CSV ({exc})")]) from None
    folded = {h.casefold(): i for i, h in enumerate(header)}
    index = {
        ours: folded[name.casefold()]
        for ours, name in layout.columns.items()
        if name.casefold() in folded
    }
    missing = [layout.columns[c] for c in REQUIRED_CSV if c not in index]
    if "anordnungsnummer" not in index and "verwendungszweck" not in index:
        missing.append(
            f"{layout.columns['anordnungsnummer']} oder {layout.columns['verwendungszweck']}"
        )
    if missing:
        raise PaymentFileError(
            filename,
            [
                FileProblem(
                    1,
                    "",
                    f"{'Spalte' if len(missing) == 1 else 'Spalten'} "
                    f"{', '.join(f'„{m}“' for m in missing)} "
                    f"{'fehlt' if len(missing) == 1 else 'fehlen'} in der Kopfzeile "
                    f"(gefunden: {', '.join(header) or '–'}; Spaltennamen einstellbar in "
                    "[csv.spalten]).",
                )
            ],
        )
    entries: list[PaymentEntry] = []
    problems: list[FileProblem] = []
    seen: Counter[str] = Counter()
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(entries) >= MAX_ENTRIES:
                problems.append(FileProblem(line, "", f"mehr als {MAX_ENTRIES} Zahlungen"))
                break
            if len(row) != len(header):
                problems.append(
                    FileProblem(
                        line, "", f"{len(row)} Spalten statt {len(header)} wie die Kopfzeile"
                    )
                )
                continue
            entry = _entry(row, line, index, layout, problems, seen)
            if entry is not None:
                entries.append(entry)
    except csv.Error as exc:
        problems.append(FileProblem(reader.line_num, "", f"kein gültiges CSV ({exc})"))
    if problems:
        raise PaymentFileError(filename, problems)
    if not entries:
        raise PaymentFileError(filename, [FileProblem(0, "", "keine Zahlungen in der Datei")])
    return entries


def _entry(
    row: list[str],
    line: int,
    index: dict[str, int],
    layout: CsvLayout,
    problems: list[FileProblem],
    seen: Counter[str],
) -> PaymentEntry | None:
    def cell(ours: str) -> str:
        return row[index[ours]].strip() if ours in index else ""

    def problem(ours: str, message: str) -> None:
        problems.append(FileProblem(line, layout.columns[ours], message))

    before = len(problems)
    amount = parse_amount(cell("betrag"), layout.decimal)
    if amount is None:
        problem(
            "betrag",
            f"„{cell('betrag')}“ ist kein Betrag "
            f"(erwartet z. B. {amount_example(layout.decimal)}).",
        )
    elif amount <= 0:
        problem("betrag", f"„{cell('betrag')}“: ausgezahlte Beträge müssen größer als 0 sein.")
    booked = _date(cell("zahlungsdatum"), layout.date_format)
    if booked is None:
        problem(
            "zahlungsdatum",
            f"„{cell('zahlungsdatum')}“ ist kein Datum (erwartet {layout.date_format}).",
        )
    currency = (cell("waehrung") or layout.currency).upper()
    if not _CURRENCY.fullmatch(currency):
        problem("waehrung", f"„{currency}“ ist keine Währung (ISO 4217, z. B. EUR).")
    iban = normal_iban(cell("iban")) or None
    if iban is not None and not _iban_ok(iban):
        problem("iban", f"„{cell('iban')}“ ist keine gültige IBAN (Prüfziffer oder Form).")
    if cell("anordnungsnummer") and not find_order_numbers(cell("anordnungsnummer")):
        problem(
            "anordnungsnummer",
            f"„{cell('anordnungsnummer')}“ ist keine Anordnungsnummer (erwartet z. B. AO-0000123).",
        )
    if len(problems) > before or amount is None or booked is None:
        return None
    order_column = "anordnungsnummer" if cell("anordnungsnummer") else "verwendungszweck"
    remittance = cell("verwendungszweck")
    reference = cell("referenz")
    if reference:
        key = f"csv:{reference}"
    else:  # no reference column: the line's content (and how often it came before) is the key
        content = "|".join(
            (cell("anordnungsnummer"), str(amount), booked.isoformat(), iban or "", remittance)
        )
        seen[content] += 1
        digest = hashlib.sha256(f"{content}#{seen[content]}".encode()).hexdigest()[:32]
        key = f"csv-line:{digest}"
    return PaymentEntry(
        key=key,
        line=line,
        booked_on=booked,
        amount=amount,
        currency=currency,
        remittance=remittance,
        order_text=cell(order_column),
        order_column=layout.columns[order_column],
        creditor_iban=iban,
        creditor_name=cell("empfaenger") or None,
        end_to_end=_end_to_end(cell("ende_zu_ende")),
    )


def _end_to_end(text: str) -> str | None:
    """The end-to-end reference the cash office gave the transfer (None: not given)."""
    return text[:64] if text and text.upper() != "NOTPROVIDED" else None


_GERMAN_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


def _date(text: str, layout_format: str) -> date | None:
    try:
        if layout_format == "TT.MM.JJJJ":  # the usual case, without strptime's cost
            found = _GERMAN_DATE.fullmatch(text)
            if found is None:
                return None
            return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        return datetime.strptime(text, DATE_FORMATS[layout_format]).date()
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _iban_ok(iban: str) -> bool:
    return iban_valid(iban)
