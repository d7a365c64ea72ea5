"""The fields of the Weberfassung form: German labels, numbered rows, limits, attachments.

Field names are fixed by the contract of issue 26 (see
:mod:`einvoice.domain.invoice_entry_form`); numbered fields name their row:
``zeile-2-menge`` is "Zeile 2: Menge", ``abzug-1-betrag`` "Abzug 1: Betrag",
``anlage-3`` the third attached file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from einvoice.domain.entry_values import EINGABE
from einvoice.domain.invoice_entry import EntryAttachment

MAX_LINES = 200
MAX_ALLOWANCES = 20  # each of allowances and charges
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # one file
MAX_ATTACHMENTS_BYTES = 10 * 1024 * 1024  # all files (base64 makes 4/3 of it in the XML)
MAX_ATTACHMENT_DESCRIPTION = 200  # characters of BT-123

FIELD_LABELS_DE: dict[str, str] = {
    "art": "Art der Rechnung",
    "nummer": "Rechnungsnummer",
    "datum": "Rechnungsdatum",
    "faellig": "Fälligkeitsdatum",
    "leitweg_id": "Leitweg-ID",
    "bestellnummer": "Bestellnummer",
    "vorherige_nummer": "Nummer der ursprünglichen Rechnung",
    "vorherige_datum": "Datum der ursprünglichen Rechnung",
    "lieferdatum": "Liefer- oder Leistungsdatum",
    "zeitraum_von": "Leistungszeitraum von",
    "zeitraum_bis": "Leistungszeitraum bis",
    "hinweis": "Hinweis",
    "zahlungsbedingungen": "Zahlungsbedingungen",
    "skonto_tage": "Skonto: Tage",
    "skonto_prozent": "Skonto: Prozent",
    "verkaeufer_name": "Name Ihres Unternehmens",
    "verkaeufer_strasse": "Straße und Hausnummer",
    "verkaeufer_plz": "Postleitzahl",
    "verkaeufer_ort": "Ort",
    "verkaeufer_land": "Land",
    "verkaeufer_ustid": "USt-IdNr.",
    "verkaeufer_steuernummer": "Steuernummer",
    "verkaeufer_kennung": "Kennung beim Rechnungsempfänger (z. B. Kreditorennummer)",
    "verkaeufer_register": "Handelsregisternummer",
    "verkaeufer_email": "E-Mail-Adresse für Rechnungen",
    "kontakt_name": "Ansprechpartner",
    "kontakt_telefon": "Telefon",
    "kontakt_email": "E-Mail des Ansprechpartners",
    "iban": "IBAN",
    "kontoinhaber": "Kontoinhaber",
    "bic": "BIC",
    "befreiung": "Grund der Steuerbefreiung",
    "zeilen": "Rechnungszeilen",
    "abzuege": "Abzüge",
    "zuschlaege": "Zuschläge",
    "anlagen": "Anlagen",
    "kaeufer": "Rechnungsempfänger (Einstellung der Stadt)",
    "summe": "Rechnungsbetrag",
}
LINE_LABELS_DE: dict[str, str] = {
    "beschreibung": "Beschreibung",
    "menge": "Menge",
    "einheit": "Einheit",
    "preis": "Einzelpreis (netto)",
    "ust": "Umsatzsteuer",
    "nachlass": "Nachlass",
    "nachlass_grund": "Grund des Nachlasses",
}
ALLOWANCE_LABELS_DE: dict[str, str] = {"betrag": "Betrag", "grund": "Grund", "ust": "Umsatzsteuer"}
_GROUP_NAMES = {"zeile": "Zeile", "abzug": "Abzug", "zuschlag": "Zuschlag"}
_INDEXED = re.compile(r"(zeile|abzug|zuschlag)-([0-9]{1,4})-([a-z_]+)")
_ATTACHMENT_FIELD = re.compile(r"anlage-([0-9]{1,3})")


def label_de(field: str) -> str:
    """The German label of a form field, also of numbered ones: ``Zeile 2: Menge``.

    A name the form does not have comes back as it is (a page never fails on it); tests
    ask :func:`is_known_field`."""
    return _label(field) or field


def _label(field: str) -> str | None:
    if field in FIELD_LABELS_DE:
        return FIELD_LABELS_DE[field]
    match = _INDEXED.fullmatch(field)
    if match is not None:
        group, index, part = match.groups()
        labels = LINE_LABELS_DE if group == "zeile" else ALLOWANCE_LABELS_DE
        if part in labels:
            return f"{_GROUP_NAMES[group]} {int(index)}: {labels[part]}"
    match = _ATTACHMENT_FIELD.fullmatch(field)
    if match is not None:
        return f"Anlage {int(match[1])}"
    return None


def is_known_field(field: str) -> bool:
    """Whether ``field`` is a field of the form (numbered ones included)."""
    return _label(field) is not None


def indices(values: Mapping[str, str], group: str) -> list[int]:
    found = set()
    for key in values:
        match = _INDEXED.fullmatch(key)
        if match is not None and match[1] == group:
            found.add(int(match[2]))
    return sorted(found)


def line_count(values: Mapping[str, str]) -> int:
    """How many line rows the form has (the highest ``zeile-{i}`` used), at most MAX_LINES."""
    return min(max(indices(values, "zeile"), default=0), MAX_LINES)


def allowance_count(values: Mapping[str, str], kind: str) -> int:
    """How many rows of ``abzug`` or ``zuschlag`` the form has, at most MAX_ALLOWANCES."""
    if kind not in ("abzug", "zuschlag"):
        raise ValueError(kind)
    return min(max(indices(values, kind), default=0), MAX_ALLOWANCES)


#: BT-125-1 MIME codes XRechnung allows (BR-CL-24) and how such a file begins.
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "application/pdf": ("PDF", (b"%PDF-",)),
    "image/png": ("PNG-Bild", (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": ("JPEG-Bild", (b"\xff\xd8\xff",)),
    "text/csv": ("CSV-Datei", ()),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "Excel-Tabelle",
        (b"PK\x03\x04",),
    ),
    "application/vnd.oasis.opendocument.spreadsheet": ("ODS-Tabelle", (b"PK\x03\x04",)),
}


def attachment_problem(attachment: EntryAttachment, seen: set[str]) -> tuple[str, str] | None:
    name = attachment.filename.strip()
    if not name or len(name) > 100 or re.search(r"[\x00-\x1f\x7f/\\]", name):
        return EINGABE, "der Dateiname fehlt, ist zu lang oder enthält unzulässige Zeichen."
    if name.casefold() in seen:
        return "BR-DE-22", "eine Anlage mit diesem Dateinamen gibt es schon."
    kind = ATTACHMENT_TYPES.get(attachment.mime_code)
    if kind is None:
        return "BR-CL-24", "erlaubt sind PDF, PNG, JPEG, CSV, XLSX und ODS."
    if not attachment.content:
        return EINGABE, "die Datei ist leer."
    if len(attachment.content) > MAX_ATTACHMENT_BYTES:
        return EINGABE, "die Datei ist größer als 5 MB."
    label, magic = kind
    if magic and not attachment.content.startswith(magic):
        return EINGABE, f"die Datei ist keine {label}."
    description = attachment.description
    if len(description) > MAX_ATTACHMENT_DESCRIPTION or re.search(r"[\x00-\x1f\x7f]", description):
        return EINGABE, "die Beschreibung ist zu lang oder enthält unsichtbare Sonderzeichen."
    return None
