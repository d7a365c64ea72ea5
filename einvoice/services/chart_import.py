"""Import of the chart of accounts (Buchungsstellen) from the finance system's CSV file.

Columns (names as in :data:`FIELDS`; a small TOML file maps the finance
system's own header names onto them, see :func:`load_mapping`)::

    produkt ; sachkonto ; kostenstelle ; auftrag ; bezeichnung ; gueltig_ab ; gueltig_bis ;
    aemter ; bga ; haushaltsjahr ; verfuegbare_mittel

``produkt``, ``sachkonto`` and ``kostenstelle`` are required; ``aemter`` lists
the Ämter (keys of the routing configuration) that may use the Buchungsstelle,
separated by ``,`` or ``|`` (empty: every Amt); ``bga`` is ``ja`` for a Betrieb
gewerblicher Art with input-tax deduction; ``haushaltsjahr`` +
``verfuegbare_mittel`` give the budget still available (a Buchungsstelle may
appear on several lines, one per year). Dates ``TT.MM.JJJJ`` or ISO, amounts
``1.234,56`` or ``1234.56``.

One transaction per file: any bad line and nothing is imported; the German
answer names the file, the line and the column. Buchungsstellen not in the
file stay as they are (retire one with ``gueltig_bis``). Importing the same
file again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import insert, select, update

from einvoice.domain.kontierung import Buchungsstelle
from einvoice.errors import PermanentError
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import ports_of
from einvoice.storage.kontierung_tables import BuchungsstelleRow, ChartImportRow, FundsRow

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_PROBLEMS = 50
FIELDS = (
    "produkt",
    "sachkonto",
    "kostenstelle",
    "auftrag",
    "bezeichnung",
    "gueltig_ab",
    "gueltig_bis",
    "aemter",
    "bga",
    "haushaltsjahr",
    "verfuegbare_mittel",
)
REQUIRED = ("produkt", "sachkonto", "kostenstelle")
_LENGTHS = {"produkt": 48, "sachkonto": 48, "kostenstelle": 48, "auftrag": 48, "bezeichnung": 255}
_YES = {"ja", "j", "1", "true", "x", "yes"}
_NO = {"nein", "n", "0", "false", "", "no"}


class ChartImportError(PermanentError):
    """The file was not imported (German message naming file, line and column)."""

    def __init__(self, message_de: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message_de)
        self.message_de = message_de
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Header name in the file for each field (lower case), and the separator."""

    columns: Mapping[str, str]
    delimiter: str | None = None  # None: recognise ; or ,


DEFAULT_MAPPING = ColumnMapping({f: f for f in FIELDS})


def load_mapping(path: Path | None) -> ColumnMapping:
    """The column mapping from a TOML file (``[spalten] produkt = "Produkt"`` ...)."""
    if path is None:
        return DEFAULT_MAPPING
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChartImportError(f"Die Spaltenzuordnung {path} ist nicht lesbar: {exc}") from exc
    spalten = data.get("spalten", {})
    if not isinstance(spalten, dict):
        raise ChartImportError(f"{path}: [spalten] muss eine Tabelle sein.")
    unknown = sorted(set(spalten) - set(FIELDS))
    if unknown:
        raise ChartImportError(
            f"{path}: unbekannte Felder {', '.join(unknown)}; möglich: {', '.join(FIELDS)}."
        )
    columns = {f: str(spalten.get(f, f)).strip().lower() for f in FIELDS}
    delimiter = data.get("trennzeichen")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise ChartImportError(f"{path}: trennzeichen muss genau ein Zeichen sein.")
    return ColumnMapping(columns, delimiter)


@dataclass(frozen=True, slots=True)
class ChartImportResult:
    filename: str
    lines: int
    created: int
    changed: int
    unchanged: int
    funds: int  # lines with verfügbare Mittel
    ignored_columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Line:
    line: int
    stelle: Buchungsstelle
    year: int | None
    available: Decimal | None


def _text(data: bytes, filename: str) -> str:
    if len(data) > MAX_BYTES:
        raise ChartImportError(
            f"{filename}: die Datei ist größer als {MAX_BYTES // (1024 * 1024)} MB."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _date(text: str) -> date | None:
    value = text.strip()
    if not value:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"„{value}“ ist kein Datum (TT.MM.JJJJ)")


def _amount(text: str) -> Decimal | None:
    value = text.strip().replace(" ", "").replace("€", "")
    if not value:
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"„{text.strip()}“ ist kein Betrag (z. B. 1.234,56)") from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e15"):
        raise ValueError(f"„{text.strip()}“ ist kein Betrag (z. B. 1.234,56)")
    return amount.quantize(Decimal("0.01"))


def _parse(
    cells: dict[str, str], known_departments: frozenset[str]
) -> tuple[Buchungsstelle, int | None, Decimal | None, list[tuple[str, str]]]:
    """The line's values, or the problems as (field, German message)."""
    problems: list[tuple[str, str]] = []

    def get(field: str) -> str:
        return (cells.get(field) or "").strip()

    for field, length in _LENGTHS.items():
        value = get(field)
        if "/" in value and field != "bezeichnung":
            problems.append((field, f"„{value}“ darf keinen Schrägstrich enthalten"))
        if len(value) > length:
            problems.append((field, f"länger als {length} Zeichen"))
    for field in REQUIRED:
        if not get(field):
            problems.append((field, "fehlt"))
    dates: dict[str, date | None] = {}
    for field in ("gueltig_ab", "gueltig_bis"):
        try:
            dates[field] = _date(get(field))
        except ValueError as exc:
            problems.append((field, str(exc)))
            dates[field] = None
    if dates["gueltig_ab"] and dates["gueltig_bis"] and dates["gueltig_bis"] < dates["gueltig_ab"]:
        problems.append(("gueltig_bis", "liegt vor gueltig_ab"))
    departments = frozenset(
        d.strip() for d in get("aemter").replace("|", ",").split(",") if d.strip()
    )
    unknown = sorted(departments - known_departments)
    if unknown:
        problems.append(("aemter", f"unbekanntes Amt {', '.join(unknown)}"))
    bga_text = get("bga").lower()
    if bga_text not in _YES | _NO:
        problems.append(("bga", f"„{get('bga')}“: erwartet ja oder nein"))
    year: int | None = None
    if get("haushaltsjahr"):
        text = get("haushaltsjahr")
        if not (text.isdigit() and 1990 <= int(text) <= 2200):
            problems.append(("haushaltsjahr", f"„{text}“ ist kein Jahr"))
        else:
            year = int(text)
    available: Decimal | None = None
    try:
        available = _amount(get("verfuegbare_mittel"))
    except ValueError as exc:
        problems.append(("verfuegbare_mittel", str(exc)))
    if (year is None) != (available is None) and not any(
        f in ("haushaltsjahr", "verfuegbare_mittel") for f, _ in problems
    ):
        problems.append(
            ("verfuegbare_mittel", "haushaltsjahr und verfuegbare_mittel nur zusammen angeben")
        )
    stelle = Buchungsstelle(
        produkt=get("produkt"),
        sachkonto=get("sachkonto"),
        kostenstelle=get("kostenstelle"),
        auftrag=get("auftrag"),
        name=get("bezeichnung"),
        valid_from=dates["gueltig_ab"],
        valid_to=dates["gueltig_bis"],
        departments=departments,
        bga=bga_text in _YES,
    )
    return stelle, year, available, problems


def read_chart(
    data: bytes, filename: str, mapping: ColumnMapping, known_departments: frozenset[str]
) -> tuple[list[_Line], tuple[str, ...]]:
    """Every line of the file, or :class:`ChartImportError` listing the bad ones."""
    text = _text(data, filename)
    first = text.split("\n", 1)[0]
    delimiter = mapping.delimiter or (";" if first.count(";") >= first.count(",") else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [c.strip().lower() for c in next(reader)]
    except StopIteration:
        raise ChartImportError(f"{filename}: die Datei ist leer.") from None
    except csv.Error as exc:
        raise ChartImportError(f"{filename}, Zeile 1: nicht lesbar ({exc}).") from None
    by_name = {name: field for field, name in mapping.columns.items()}
    fields = [by_name.get(name) for name in header]
    missing = [mapping.columns[f] for f in REQUIRED if f not in fields]
    if missing:
        raise ChartImportError(
            f"{filename}, Zeile 1: die Kopfzeile braucht die Spalten {', '.join(missing)} "
            f"(gefunden: {', '.join(header) or '–'})."
        )
    ignored = tuple(name for name, field in zip(header, fields, strict=True) if field is None)
    problems: list[str] = []
    lines: list[_Line] = []
    seen: dict[tuple[str, int | None], int] = {}
    stellen: dict[str, tuple[int, Buchungsstelle]] = {}
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            number = reader.line_num
            if len(lines) >= MAX_ROWS:
                raise ChartImportError(f"{filename}: mehr als {MAX_ROWS} Zeilen.")
            if len(row) != len(header):
                problems.append(
                    f"{filename}, Zeile {number}: {len(row)} Spalten statt {len(header)} "
                    "wie die Kopfzeile."
                )
                continue
            cells = {f: v for f, v in zip(fields, row, strict=True) if f is not None}
            stelle, year, available, found = _parse(cells, known_departments)
            for field, message in found:
                problems.append(
                    f"{filename}, Zeile {number}, Spalte „{mapping.columns[field]}“: {message}."
                )
            if found:
                continue
            key = stelle.key
            if (key, year) in seen:
                problems.append(
                    f"{filename}, Zeile {number}: Buchungsstelle {key}"
                    + (f" für {year}" if year else "")
                    + f" steht schon in Zeile {seen[(key, year)]}."
                )
                continue
            seen[(key, year)] = number
            earlier = stellen.get(key)
            if earlier is not None and earlier[1] != stelle:
                problems.append(
                    f"{filename}, Zeile {number}: Buchungsstelle {key} hat andere Angaben als "
                    f"in Zeile {earlier[0]}."
                )
                continue
            stellen.setdefault(key, (number, stelle))
            lines.append(_Line(number, stelle, year, available))
            if len(problems) >= MAX_PROBLEMS:
                break
    except csv.Error as exc:
        problems.append(f"{filename}, Zeile {reader.line_num}: nicht lesbar ({exc}).")
    if problems:
        raise ChartImportError(
            f"{filename}: nicht importiert, {len(problems)} Fehler"
            + (" (die ersten)" if len(problems) >= MAX_PROBLEMS else "")
            + ". Es wurde nichts übernommen.",
            tuple(problems),
        )
    if not lines:
        raise ChartImportError(f"{filename}: keine Buchungsstellen in der Datei.")
    return lines, ignored


def import_chart(
    pipeline: Pipeline,
    data: bytes,
    filename: str,
    actor: str,
    mapping: ColumnMapping = DEFAULT_MAPPING,
) -> ChartImportResult:
    """Import the file in one transaction (see the module docstring)."""
    config = ports_of(pipeline).routing()
    known = frozenset(d.key for d in config.departments)
    lines, ignored = read_chart(data, filename, mapping, known)
    at = pipeline.clock().astimezone(UTC)
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    with pipeline.sessions() as session:
        existing = {
            row.key: row
            for row in session.execute(
                select(
                    BuchungsstelleRow.id,
                    BuchungsstelleRow.key,
                    *(getattr(BuchungsstelleRow, name) for name in _VALUES),
                )
            )
        }
        funds = {
            (row.key, row.year): row
            for row in session.execute(
                select(FundsRow.id, FundsRow.key, FundsRow.year, FundsRow.available)
            )
        }
        record = ChartImportRow(
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            imported_by=actor,
            imported_at=at,
            lines=len(lines),
            created=0,
            changed=0,
            funds=0,
        )
        session.add(record)
        session.flush()
        new: list[dict[str, object]] = []
        changed: list[dict[str, object]] = []
        new_funds: list[dict[str, object]] = []
        changed_funds: list[dict[str, object]] = []
        done: set[str] = set()
        funds_count = 0
        for line in lines:
            stelle = line.stelle
            if stelle.key not in done:
                done.add(stelle.key)
                values = _values(stelle)
                row = existing.get(stelle.key)
                if row is None:
                    new.append({"key": stelle.key, "import_id": record.id, **values})
                    counts["created"] += 1
                elif all(getattr(row, name) == value for name, value in values.items()):
                    counts["unchanged"] += 1
                else:
                    changed.append({"id": row.id, "import_id": record.id, **values})
                    counts["changed"] += 1
            if line.year is not None and line.available is not None:
                funds_count += 1
                found = funds.get((stelle.key, line.year))
                if found is None:
                    new_funds.append(
                        {"key": stelle.key, "year": line.year, "available": line.available}
                    )
                elif Decimal(found.available) != line.available:
                    changed_funds.append({"id": found.id, "available": line.available})
        for start in range(0, len(new), _CHUNK):
            session.execute(insert(BuchungsstelleRow), new[start : start + _CHUNK])
        if changed:
            session.execute(update(BuchungsstelleRow), changed)
        for start in range(0, len(new_funds), _CHUNK):
            session.execute(insert(FundsRow), new_funds[start : start + _CHUNK])
        if changed_funds:
            session.execute(update(FundsRow), changed_funds)
        record.created = counts["created"]
        record.changed = counts["changed"]
        record.funds = funds_count
        session.commit()
    return ChartImportResult(
        filename=filename,
        lines=len(lines),
        created=counts["created"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        funds=funds_count,
        ignored_columns=ignored,
    )


_VALUES = (
    "produkt",
    "sachkonto",
    "kostenstelle",
    "auftrag",
    "name",
    "valid_from",
    "valid_to",
    "departments",
    "bga",
)
_CHUNK = 2_000


def _values(stelle: Buchungsstelle) -> dict[str, object]:
    return {
        "produkt": stelle.produkt,
        "sachkonto": stelle.sachkonto,
        "kostenstelle": stelle.kostenstelle,
        "auftrag": stelle.auftrag,
        "name": stelle.name,
        "valid_from": stelle.valid_from,
        "valid_to": stelle.valid_to,
        "departments": ",".join(sorted(stelle.departments)),
        "bga": stelle.bga,
    }


__all__ = [
    "DEFAULT_MAPPING",
    "FIELDS",
    "ChartImportError",
    "ChartImportResult",
    "import_chart",
    "load_mapping",
    "read_chart",
]
