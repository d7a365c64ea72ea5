"""Import of the finance system's creditor file (CSV) into the creditor master data.

The file: ``;`` separated (``,`` is recognised too), UTF-8 with or without BOM
(Windows-1252, as older finance systems write it, is accepted), one header line.
Columns (German names as the finance system exports them; case and spaces are
ignored; unknown columns are reported and left aside)::

    kreditorennummer ; name ; strasse ; plz ; ort ; land ; ust_idnr ; steuernummer ;
    registernummer ; gln ; email ; iban ; bic ; kontoinhaber

Several VAT ids, GLNs or e-mail addresses / domains in one cell are separated
by ``,`` or ``|``. A creditor is keyed by its Kreditorennummer: importing the
same file again changes nothing; a changed line updates the creditor. Each
creditor created or changed is one master data event. A wrong line is
reported with its line number and the reason; the other lines are imported.
Imported bank accounts are unverified unless ``verified_how`` records how the
finance system's accounts were checked and ``verified_by`` names the second person
who vouches for that (four eyes: not who imports).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from einvoice.services.creditor_records import AccountInput, CreditorError, CreditorInput
from einvoice.services.creditors import check_verifier, save_creditor
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import BadRequest

MAX_BYTES = 100 * 1024 * 1024
MAX_ROWS = 500_000
BATCH = 500

COLUMNS = (
    "kreditorennummer",
    "name",
    "strasse",
    "plz",
    "ort",
    "land",
    "ust_idnr",
    "steuernummer",
    "registernummer",
    "gln",
    "email",
    "iban",
    "bic",
    "kontoinhaber",
)
_ALIASES = {
    "kreditor": "kreditorennummer",
    "kreditornr": "kreditorennummer",
    "kreditorennr": "kreditorennummer",
    "firma": "name",
    "straße": "strasse",
    "postleitzahl": "plz",
    "ustidnr": "ust_idnr",
    "ust-idnr": "ust_idnr",
    "ust_id": "ust_idnr",
    "handelsregister": "registernummer",
    "e-mail": "email",
    "mail": "email",
}


@dataclass(frozen=True, slots=True)
class ImportProblem:
    line: int
    message_de: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    lines: int  # data lines read
    created: int
    changed: int
    unchanged: int
    problems: tuple[ImportProblem, ...]
    ignored_columns: tuple[str, ...]


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise BadRequest(f"Die Datei ist größer als {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _column(name: str) -> str:
    key = name.strip().lower().replace(" ", "_")
    return _ALIASES.get(key, key)


def _many(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.replace("|", ",").split(",") if v.strip())


def parse_line(cells: dict[str, str]) -> CreditorInput:
    def get(column: str) -> str:
        return (cells.get(column) or "").strip()

    accounts = (
        (AccountInput(get("iban"), get("bic") or None, get("kontoinhaber") or None),)
        if get("iban")
        else ()
    )
    return CreditorInput(
        number=get("kreditorennummer"),
        name=get("name"),
        street=get("strasse") or None,
        post_code=get("plz") or None,
        city=get("ort") or None,
        country=get("land") or None,
        vat_ids=_many(get("ust_idnr")),
        tax_number=get("steuernummer") or None,
        registration=get("registernummer") or None,
        seller_ids=_many(get("gln")),
        emails=_many(get("email")),
        accounts=accounts,
    ).checked()


def import_csv(
    pipeline: Pipeline,
    data: bytes,
    actor: str,
    *,
    verified_how: str | None = None,
    verified_by: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import the creditor file (see the module docstring); commits every few hundred lines.

    Bank accounts count as verified only with ``verified_how`` and a second person,
    ``verified_by``, who is not ``actor`` (four eyes; CreditorError otherwise).
    """
    check_verifier(actor, verified_how, verified_by)
    text = _text(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_column(c) for c in next(reader)]
    except StopIteration:
        raise BadRequest("Die Datei ist leer.") from None
    if "kreditorennummer" not in header or "name" not in header:
        raise BadRequest(
            "Die Kopfzeile braucht mindestens die Spalten kreditorennummer und name "
            f"(gefunden: {', '.join(header) or '–'})."
        )
    ignored = tuple(c for c in header if c not in COLUMNS)
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    lines = 0
    session = pipeline.sessions()
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            lines += 1
            line = reader.line_num
            if lines > MAX_ROWS:
                problems.append(
                    ImportProblem(line, f"mehr als {MAX_ROWS} Zeilen: Rest nicht gelesen")
                )
                break
            if len(row) != len(header):
                problems.append(
                    ImportProblem(line, f"{len(row)} Spalten statt {len(header)} wie die Kopfzeile")
                )
                continue
            try:
                creditor = parse_line(dict(zip(header, row, strict=True)))
            except CreditorError as exc:
                problems.append(ImportProblem(line, str(exc)))
                continue
            number = creditor.number.strip()
            if number in seen:
                problems.append(
                    ImportProblem(line, f"Kreditorennummer {number} schon in Zeile {seen[number]}")
                )
                continue
            seen[number] = line
            _, action = save_creditor(
                session,
                creditor,
                actor,
                pipeline.clock(),
                verified_how=verified_how,
                verified_by=verified_by,
            )
            counts[action] += 1
            if lines % BATCH == 0:
                session.commit()
                if progress:
                    progress(lines)
        session.commit()
        if progress:
            progress(lines)
    finally:
        session.close()
    return ImportResult(
        lines=lines,
        created=counts["created"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        problems=tuple(problems),
        ignored_columns=ignored,
    )
