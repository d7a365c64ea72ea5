"""The API's Weberfassung (issue 26): an invoice as JSON in, XRechnung 3.0 UBL out.

For small integrations: the same invoice the portal's form takes, as one JSON object
(:class:`EntryIn`, English names, amounts as decimal strings, ISO dates). It is turned into
the form's values and read by the form's rules (``read_form``, one truth), the buyer is the
city's, the seller's fields left out come from the account's bound creditor. Refused
invoices answer 422 with every problem: the JSON path, the form field, the rule (EN 16931 /
XRechnung id or ``EINGABE``) and a German message.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from einvoice.domain.entry_fields import (
    MAX_ALLOWANCES,
    MAX_ATTACHMENTS,
    MAX_LINES,
    label_de,
)
from einvoice.domain.entry_values import EINGABE
from einvoice.domain.invoice_entry import VAT_CHOICES, EntryAttachment, FieldError
from einvoice.presentation.plurals import count_de
from einvoice.services import invoice_entry, invoice_entry_direct, submissions
from einvoice.services.accounts import Role, User
from einvoice.services.workflow_base import BadRequest, NotFound
from einvoice.web.api import SubmissionOut, _submission
from einvoice.web.deps import api_user, workflow_status
from einvoice.web.security import check_csrf, require_role

router = APIRouter(prefix="/api/invoice-entry", tags=["api"])


_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CATEGORIES = frozenset(value.split(":")[0] for value, _ in VAT_CHOICES)
_VAT_TEXT = ", ".join(f"{value} ({label})" for value, label in VAT_CHOICES)


def _text(description: str, example: str | None = None) -> Any:
    return Field(None, description=description, examples=[example] if example else None)


def _decimal(description: str, example: str) -> Any:
    return Field(
        None,
        description=description + ' (Dezimalzahl-Text mit Punkt, z. B. "' + example + '")',
        examples=[example],
        json_schema_extra={"pattern": _DECIMAL.pattern.join("^$")},
    )


def _date(description: str) -> Any:
    return Field(
        None,
        description=description + " (ISO 8601, z. B. 2025-03-31)",
        examples=["2025-03-31"],
        json_schema_extra={"format": "date"},
    )


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SellerIn(_In):
    """BG-4 Verkäufer. Jedes weggelassene Feld (``null``) kommt aus dem an das Konto
    gebundenen Kreditor (wie beim Formular vorbelegt); ``""`` heißt: nicht angeben."""

    name: str | None = _text("BT-27 Name des Unternehmens", "Malerbetrieb Schmidt")
    street: str | None = _text("BT-35 Straße und Hausnummer", "Hauptstraße 5")
    post_code: str | None = _text("BT-38 Postleitzahl", "50667")
    city: str | None = _text("BT-37 Ort", "Köln")
    country_code: str | None = _text("BT-40 Land (ISO 3166-1, z. B. DE)", "DE")
    vat_id: str | None = _text("BT-31 USt-IdNr.", "DE123456788")
    tax_number: str | None = _text("BT-32 Steuernummer", "21/815/08150")
    identifier: str | None = _text("BT-29 Kennung beim Rechnungsempfänger (Kreditorennummer)")
    legal_registration: str | None = _text("BT-30 Handelsregisternummer")
    electronic_address: str | None = _text(
        "BT-34 E-Mail-Adresse für Rechnungen (Schema EM)", "rechnung@schmidt.example"
    )
    contact_name: str | None = _text("BT-41 Ansprechpartner (BG-6)", "Anna Schmidt")
    contact_phone: str | None = _text("BT-42 Telefon (BG-6)", "0221 12345")
    contact_email: str | None = _text("BT-43 E-Mail des Ansprechpartners (BG-6)")


class PaymentIn(_In):
    """BG-17 SEPA-Überweisung (BT-81 = 58). Weggelassen: das erste geprüfte Konto des
    Kreditors. Eine neue IBAN ist möglich; die Zahlung wird dann gesperrt, bis die Stadt
    das Konto geprüft hat."""

    iban: str | None = _text("BT-84 IBAN", "DE89 3704 0044 0532 0130 00")
    account_name: str | None = _text("BT-85 Kontoinhaber")
    bic: str | None = _text("BT-86 BIC")


class SkontoIn(_In):
    """Skonto, geschrieben in BT-20 als ``#SKONTO#TAGE=14#PROZENT=2.00#`` (BR-DE-18)."""

    days: int | None = Field(None, description="Tage ab Rechnungsdatum", examples=[14])
    percent: str | None = _decimal("Prozent", "2.00")


class LineIn(_In):
    """BG-25 eine Rechnungszeile."""

    name: str | None = _text("BT-153 Beschreibung der Leistung", "Malerarbeiten Flur")
    quantity: str | None = _decimal("BT-129 Menge", "12.5")
    unit_code: str | None = _text(
        "BT-130 Einheit (UN/ECE Rec 20, z. B. H87 Stück, HUR Stunde, LS Pauschale)", "HUR"
    )
    net_price: str | None = _decimal("BT-146 Einzelpreis netto", "48.50")
    vat_category: str | None = _text(
        f"BT-151 Umsatzsteuer-Kategorie mit BT-152; erlaubt: {_VAT_TEXT}", "S"
    )
    vat_rate: str | None = _decimal("BT-152 Steuersatz in Prozent (bei Z, E, AE: 0)", "19")
    allowance: str | None = _decimal("BT-136 Nachlass auf die Zeile", "2.00")
    allowance_reason: str | None = _text("BT-139 Grund des Nachlasses", "Treuerabatt")


class AllowanceChargeIn(_In):
    """BG-20 Abzug bzw. BG-21 Zuschlag auf Dokumentebene."""

    amount: str | None = _decimal("BT-92 / BT-99 Betrag", "10.00")
    reason: str | None = _text("BT-97 / BT-104 Grund", "Rabatt")
    vat_category: str | None = _text("BT-95 / BT-102 Umsatzsteuer-Kategorie", "S")
    vat_rate: str | None = _decimal("BT-96 / BT-103 Steuersatz in Prozent", "19")


class AttachmentIn(_In):
    """BG-24 eine Anlage, eingebettet (BT-125): PDF, PNG, JPEG, CSV, XLSX oder ODS,
    höchstens 5 MB je Datei und 10 MB zusammen."""

    filename: str = Field(description="BT-125-2 Dateiname", examples=["stundenzettel.pdf"])
    mime_code: str = Field(description="BT-125-1 MIME-Typ", examples=["application/pdf"])
    content: str = Field(description="BT-125 Inhalt, Base64")
    description: str = Field("", description="BT-123 Beschreibung")


#: A complete invoice (the seller's name, address, VAT id and bank account left out: they
#: come from the bound creditor); also the example of the OpenAPI description.
EXAMPLE: dict[str, Any] = {
    "number": "R-2025-001",
    "issue_date": "2025-03-10",
    "due_date": "2025-04-09",
    "leitweg_id": "04011000-12345-03",
    "delivery_date": "2025-03-07",
    "payment_terms": "Zahlbar innerhalb von 30 Tagen ohne Abzug.",
    "skonto": {"days": 14, "percent": "2.00"},
    "seller": {
        "electronic_address": "rechnung@lieferant.example",
        "contact_name": "Anna Schmidt",
        "contact_phone": "0221 12345",
        "contact_email": "anna@lieferant.example",
    },
    "lines": [
        {
            "name": "Malerarbeiten Flur",
            "quantity": "12.5",
            "unit_code": "HUR",
            "net_price": "48.50",
            "vat_category": "S",
            "vat_rate": "19",
        },
        {
            "name": "Wandfarbe weiß",
            "quantity": "3",
            "unit_code": "LTR",
            "net_price": "12.99",
            "vat_category": "S",
            "vat_rate": "19",
            "allowance": "2.00",
            "allowance_reason": "Treuerabatt",
        },
    ],
    "attachments": [
        {
            "filename": "stundenzettel.pdf",
            "mime_code": "application/pdf",
            "content": "JVBERi0xLjQKJSVFT0YK",
            "description": "Stundenzettel März",
        }
    ],
}


class EntryIn(_In):
    """Eine Rechnung (380) oder Gutschrift (381), wie sie das Formular „Rechnung erfassen“
    nimmt. Die Stadt ist Rechnungsempfängerin (BG-7 aus ihrer Konfiguration); geprüft wird
    nach denselben Regeln wie im Formular. Weggelassene Felder (``null``) des Verkäufers und
    der Zahlung kommen aus dem an das Konto gebundenen Kreditor."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    type_code: str | None = _text("BT-3 Art: 380 Rechnung (Vorgabe), 381 Gutschrift", "380")
    number: str | None = _text("BT-1 Rechnungsnummer", "R-2025-001")
    issue_date: str | None = _date("BT-2 Rechnungsdatum (Vorgabe: heute)")
    due_date: str | None = _date("BT-9 Fälligkeitsdatum")
    leitweg_id: str | None = _text("BT-10 Leitweg-ID des Amts (Käuferreferenz)", "05315000-KAEM-62")
    order_reference: str | None = _text("BT-13 Bestellnummer")
    preceding_invoice_number: str | None = _text(
        "BT-25 Nummer der ursprünglichen Rechnung (BG-3; bei 381 Pflicht)"
    )
    preceding_invoice_date: str | None = _date("BT-26 Datum der ursprünglichen Rechnung")
    delivery_date: str | None = _date("BT-72 Liefer- oder Leistungsdatum")
    period_start: str | None = _date("BT-73 Leistungszeitraum von (BG-14)")
    period_end: str | None = _date("BT-74 Leistungszeitraum bis (BG-14)")
    note: str | None = _text("BT-22 Hinweis")
    payment_terms: str | None = _text("BT-20 Zahlungsbedingungen (Text, ohne #)")
    skonto: SkontoIn | None = None
    exemption_reason: str | None = _text("BT-120 Grund der Steuerbefreiung (Kategorie E)")
    creditor_id: int | None = Field(
        None,
        description="Für welchen gebundenen Kreditor die Vorgaben gelten (Vorgabe: der erste "
        "nach Name)",
    )
    seller: SellerIn | None = None
    payment: PaymentIn | None = None
    lines: list[LineIn] = Field(
        default_factory=list, description=f"BG-25 Rechnungszeilen (1 bis {MAX_LINES})"
    )
    allowances: list[AllowanceChargeIn] = Field(
        default_factory=list, description=f"BG-20 Abzüge (höchstens {MAX_ALLOWANCES})"
    )
    charges: list[AllowanceChargeIn] = Field(
        default_factory=list, description=f"BG-21 Zuschläge (höchstens {MAX_ALLOWANCES})"
    )
    attachments: list[AttachmentIn] = Field(
        default_factory=list, description=f"BG-24 Anlagen (höchstens {MAX_ATTACHMENTS})"
    )


class EntryError(BaseModel):
    """One problem of the invoice: where (JSON path and form field), which rule, why."""

    field: str | None = Field(
        description="JSON-Pfad, z. B. lines[1].quantity (Zählung ab 0); null: die Rechnung "
        "als Ganzes oder die Angaben der Stadt"
    )
    form_field: str | None = Field(
        description="Das Feld im Formular „Rechnung erfassen“, z. B. zeile-2-menge"
    )
    label: str | None = Field(description="Die Bezeichnung im Formular, z. B. „Zeile 2: Menge“")
    rule: str = Field(description="Regel nach EN 16931 / XRechnung (z. B. BR-DE-15) oder EINGABE")
    message: str = Field(description="Was nicht passt, auf Deutsch")


class EntryRefused(BaseModel):
    """The invoice cannot be written (or would not be accepted): every problem at once."""

    detail: str
    errors: list[EntryError] = Field(default_factory=list)


# --- JSON -> form values ----------------------------------------------------------------

_HEADER = {
    "type_code": "art",
    "number": "nummer",
    "issue_date": "datum",
    "due_date": "faellig",
    "leitweg_id": "leitweg_id",
    "order_reference": "bestellnummer",
    "preceding_invoice_number": "vorherige_nummer",
    "preceding_invoice_date": "vorherige_datum",
    "delivery_date": "lieferdatum",
    "period_start": "zeitraum_von",
    "period_end": "zeitraum_bis",
    "note": "hinweis",
    "payment_terms": "zahlungsbedingungen",
    "exemption_reason": "befreiung",
}
_SELLER = {
    "name": "verkaeufer_name",
    "street": "verkaeufer_strasse",
    "post_code": "verkaeufer_plz",
    "city": "verkaeufer_ort",
    "country_code": "verkaeufer_land",
    "vat_id": "verkaeufer_ustid",
    "tax_number": "verkaeufer_steuernummer",
    "identifier": "verkaeufer_kennung",
    "legal_registration": "verkaeufer_register",
    "electronic_address": "verkaeufer_email",
    "contact_name": "kontakt_name",
    "contact_phone": "kontakt_telefon",
    "contact_email": "kontakt_email",
}
_PAYMENT = {"iban": "iban", "account_name": "kontoinhaber", "bic": "bic"}
_SKONTO = {"days": "skonto_tage", "percent": "skonto_prozent"}
_LINE = {
    "name": "beschreibung",
    "quantity": "menge",
    "unit_code": "einheit",
    "net_price": "preis",
    "allowance": "nachlass",
    "allowance_reason": "nachlass_grund",
}
_ALLOWANCE = {"amount": "betrag", "reason": "grund"}
_DECIMALS = {"quantity", "net_price", "allowance", "amount", "percent", "vat_rate"}
_DATES = {"issue_date", "due_date", "preceding_invoice_date", "delivery_date"}
_DATES |= {"period_start", "period_end"}
_GROUPS = {"zeilen": "lines", "abzuege": "allowances", "zuschlaege": "charges"}
_GROUPS |= {"anlagen": "attachments"}
_ROWS = {"zeile": "lines", "abzug": "allowances", "zuschlag": "charges"}
_ROW_FIELD = re.compile(r"(zeile|abzug|zuschlag)-([0-9]+)-([a-z_]+)")


class _Reader:
    """Turns the JSON invoice into the form's values, with the JSON's own format errors."""

    def __init__(self, defaults: dict[str, str]) -> None:
        self.values = dict(defaults)
        self.errors: list[FieldError] = []
        self.vat_fields: dict[str, str] = {}  # form field -> JSON path of its VAT choice
        self.counts: dict[str, int] = {}  # zeile, abzug, zuschlag -> entries sent

    def put(self, form_field: str, name: str, value: Any) -> None:
        if value is None:
            return
        text = str(value)
        if name in _DECIMALS and text.strip():
            if not _DECIMAL.fullmatch(text.strip()):
                self.errors.append(
                    FieldError(
                        form_field,
                        EINGABE,
                        f"„{text[:30]}“ ist keine Dezimalzahl: bitte mit Punkt schreiben, "
                        "z. B. 1234.50.",
                    )
                )
                return
            text = text.strip().replace(".", ",")
        if name in _DATES and text.strip() and not _ISO_DATE.fullmatch(text.strip()):
            self.errors.append(
                FieldError(
                    form_field, EINGABE, f"„{text[:30]}“ ist kein Datum nach ISO 8601 (2025-03-31)."
                )
            )
            return
        self.values[form_field] = text

    def fields(self, model: BaseModel | None, names: dict[str, str]) -> None:
        if model is not None:
            for name, form_field in names.items():
                self.put(form_field, name, getattr(model, name))

    def vat(self, form_field: str, path: str, category: str | None, rate: str | None) -> None:
        known = (category or "").strip().upper() in _CATEGORIES
        self.vat_fields[form_field] = path + (".vat_rate" if known else ".vat_category")
        if category is None and rate is None:
            return
        cat = (category or "").strip().upper()
        text = (rate or "").strip()
        if not text and cat in _CATEGORIES - {"S"}:
            text = "0"
        number = f"{Decimal(text).normalize():f}" if _DECIMAL.fullmatch(text) else text
        self.values[form_field] = f"{cat}:{number}"

    def rows(self, kind: str, items: list[Any], names: dict[str, str]) -> None:
        self.counts[kind] = len(items)
        for i, item in enumerate(items, start=1):
            prefix = f"{kind}-{i}-"
            self.fields(item, {name: prefix + part for name, part in names.items()})
            self.vat(prefix + "ust", f"{_ROWS[kind]}[{i - 1}]", item.vat_category, item.vat_rate)
            typed = [getattr(item, name) for name in names if name != "unit_code"]
            if not any((value or "").strip() for value in typed):
                first = prefix + ("beschreibung" if kind == "zeile" else "betrag")
                self.errors.append(
                    FieldError(
                        first, EINGABE, "Dieser Eintrag ist leer: bitte ausfüllen oder weglassen."
                    )
                )

    def attachments(self, items: list[AttachmentIn]) -> list[EntryAttachment]:
        found = []
        for i, item in enumerate(items, start=1):
            try:
                content = base64.b64decode(item.content, validate=True)
            except (binascii.Error, ValueError):
                self.errors.append(
                    FieldError(f"anlage-{i}", EINGABE, "Der Inhalt ist kein gültiges Base64.")
                )
                continue
            found.append(EntryAttachment(item.filename, item.mime_code, content, item.description))
        return found


def _path(reader: _Reader, form_field: str | None) -> str | None:
    """The JSON path of a form field (``zeile-2-menge`` -> ``lines[1].quantity``)."""
    if not form_field:
        return None
    for names, prefix in ((_HEADER, ""), (_SELLER, "seller."), (_PAYMENT, "payment.")):
        for name, field in names.items():
            if field == form_field:
                return prefix + name
    for name, field in _SKONTO.items():
        if field == form_field:
            return f"skonto.{name}"
    if form_field in reader.vat_fields:
        return reader.vat_fields[form_field]
    if form_field in _GROUPS:
        return _GROUPS[form_field]
    if form_field.startswith("anlage-") and form_field[7:].isdigit():
        return f"attachments[{int(form_field[7:]) - 1}]"
    match = _ROW_FIELD.fullmatch(form_field)
    if match is not None:
        kind, index, part = match.groups()
        if int(index) > reader.counts.get(kind, 0):  # e.g. "at least one line" of none sent
            return _ROWS[kind]
        names = _LINE if kind == "zeile" else _ALLOWANCE
        name = next((n for n, p in names.items() if p == part), part)
        return f"{_ROWS[kind]}[{int(index) - 1}].{name}"
    return None


def _label(form_field: str) -> str | None:
    if not form_field:
        return None
    try:
        return label_de(form_field)
    except KeyError:
        return None


def _refused(reader: _Reader, errors: list[FieldError]) -> JSONResponse:
    items = [
        EntryError(
            field=_path(reader, e.field),
            form_field=e.field or None,
            label=_label(e.field),
            rule=e.rule,
            message=e.message_de,
        )
        for e in errors
    ]
    detail = (
        "Aus diesen Angaben lässt sich keine gültige Rechnung erzeugen: "
        f"{count_de(len(items), 'Fehler')} (siehe „errors“)."
    )
    body = EntryRefused(detail=detail, errors=items)
    return JSONResponse(body.model_dump(), status_code=422)


def supplier(request: Request, user: Annotated[User, Depends(api_user)]) -> User:
    """The logged-in supplier (401 without login, 403 for other roles or without the
    CSRF header), checked before the body is looked at."""
    require_role(user, [Role.SUPPLIER])
    check_csrf(request, None)
    return user


def _read(
    request: Request, user: User, body: EntryIn
) -> tuple[_Reader, list[EntryAttachment]] | JSONResponse:
    limits = (
        (len(body.lines), MAX_LINES, "zeilen", "Rechnungszeilen"),
        (len(body.allowances), MAX_ALLOWANCES, "abzuege", "Abzüge"),
        (len(body.charges), MAX_ALLOWANCES, "zuschlaege", "Zuschläge"),
        (len(body.attachments), MAX_ATTACHMENTS, "anlagen", "Anlagen"),
    )
    over = [
        FieldError(field, EINGABE, f"Höchstens {most} {word} (jetzt {count}).")
        for count, most, field, word in limits
        if count > most
    ]
    pipeline = request.app.state.container.pipeline
    try:
        reader = _Reader(invoice_entry.defaults(pipeline, user.id, body.creditor_id))
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    if over:
        return _refused(reader, over)
    reader.fields(body, _HEADER)
    reader.fields(body.skonto, _SKONTO)
    reader.fields(body.seller, _SELLER)
    reader.fields(body.payment, _PAYMENT)
    reader.rows("zeile", body.lines, _LINE)
    reader.rows("abzug", body.allowances, _ALLOWANCE)
    reader.rows("zuschlag", body.charges, _ALLOWANCE)
    return reader, reader.attachments(body.attachments)


def _generate(
    request: Request, user: User, body: EntryIn
) -> tuple[_Reader, invoice_entry_direct.Generated] | JSONResponse:
    read = _read(request, user, body)
    if isinstance(read, JSONResponse):
        return read
    reader, attachments = read
    try:
        generated = invoice_entry_direct.generate(
            request.app.state.container.pipeline,
            reader.values,
            attachments,
            request.app.state.settings.max_upload_bytes,
        )
    except BadRequest as exc:
        raise HTTPException(400, str(exc)) from exc
    mine = {e.field for e in reader.errors}
    errors = reader.errors + [e for e in generated.form.errors if e.field not in mine]
    if errors:
        return _refused(reader, errors)
    if generated.report is not None and not generated.report.valid:
        found = [FieldError("", f.rule, f.message_de) for f in generated.report.errors]
        return _refused(reader, found)
    return reader, generated


_REFUSED = {
    "model": EntryRefused,
    "description": "Die Rechnung ist so nicht gültig: jede Angabe, die nicht passt, mit "
    "JSON-Pfad, Formularfeld, Regel und Meldung (oder, bei unlesbarem JSON, nur ``detail``)",
}
_ERRORS: dict[int | str, dict[str, Any]] = {422: _REFUSED}


@router.post(
    "/xrechnung",
    response_class=Response,
    responses={
        200: {
            "description": "Die erzeugte XRechnung 3.0 (UBL), von der Prüfung angenommen",
            "content": {"application/xml": {"schema": {"type": "string"}}},
        },
        **_ERRORS,
    },
)
def xrechnung(
    request: Request, body: EntryIn, user: Annotated[User, Depends(supplier)]
) -> Response:
    """Aus der Rechnung als JSON die XRechnung (UBL) erzeugen, ohne sie einzureichen;
    geprüft wie eine hochgeladene Datei. CSRF-Kopfzeile ``X-CSRF-Token`` ist Pflicht."""
    result = _generate(request, user, body)
    if isinstance(result, JSONResponse):
        return result
    _reader, generated = result
    assert generated.xml is not None
    return Response(
        generated.xml,
        media_type="application/xml",
        headers={"content-disposition": f'attachment; filename="{generated.filename}"'},
    )


@router.post("/submissions", response_model=SubmissionOut, status_code=201, responses=_ERRORS)
def submit(request: Request, body: EntryIn, user: Annotated[User, Depends(supplier)]) -> Any:
    """Die Rechnung als JSON erzeugen, prüfen und einreichen (Eingangskanal
    „Weberfassung“); Antwort: der Prüfbericht wie bei ``POST /api/submissions``. Nur eine
    Rechnung, die angenommen würde, wird eingereicht. CSRF-Kopfzeile ``X-CSRF-Token`` ist
    Pflicht."""
    result = _generate(request, user, body)
    if isinstance(result, JSONResponse):
        return result
    _reader, generated = result
    pipeline = request.app.state.container.pipeline
    submitted = invoice_entry_direct.submit(
        pipeline, user.id, generated, request.app.state.on_invoice
    )
    view = submissions.submission(pipeline, submitted.message_id, workflow_status(request))
    assert view is not None
    return _submission(view)
