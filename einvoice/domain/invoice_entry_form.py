"""The Weberfassung form: raw field values -> :class:`EnteredInvoice` with German field errors.

:func:`read_form` checks every field and names, for each problem, the form
field and the EN 16931 / XRechnung rule it would break ("EINGABE" for a plain
format error), so that an invoice the form accepts is one the validation
accepts. The buyer is the city's (never taken from the form, except the
Leitweg-ID). :func:`form_values` goes the other way, from a parsed invoice
(e.g. one that was returned) to the form's values, for the corrected invoice.

Field names (HTML ``name``) are fixed by the contract of issue 26: header
``art nummer datum faellig leitweg_id bestellnummer vorherige_nummer
vorherige_datum lieferdatum zeitraum_von zeitraum_bis hinweis zahlungsbedingungen
skonto_tage skonto_prozent``, seller ``verkaeufer_*`` and ``kontakt_*``, payment
``iban kontoinhaber bic``, ``befreiung``, lines ``zeile-{i}-{beschreibung,menge,
einheit,preis,ust,nachlass,nachlass_grund}``, document level ``abzug-{i}-{betrag,
grund,ust}`` and ``zuschlag-{i}-{betrag,grund,ust}``.

A line whose typed fields (description, quantity, price, allowance) are all
empty is a spare line of the form and is ignored, whatever its unit and VAT
selects say; the same for an allowance or charge without amount and reason.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from einvoice.domain.creditors import (
    bic_valid,
    iban_valid,
    normal_iban,
    normal_id,
    vat_id_problem,
)
from einvoice.domain.entry_fields import (
    ALLOWANCE_LABELS_DE,
    ATTACHMENT_TYPES,
    FIELD_LABELS_DE,
    LINE_LABELS_DE,
    MAX_ALLOWANCES,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_ATTACHMENTS_BYTES,
    MAX_LINES,
    allowance_count,
    attachment_problem,
    indices,
    is_known_field,
    label_de,
    line_count,
)
from einvoice.domain.entry_prefill import form_values
from einvoice.domain.entry_values import (
    COUNTRY_CODES,
    EINGABE,
    FieldReader,
)
from einvoice.domain.invoice_entry import (
    TYPE_CODES,
    TYPE_CREDIT_NOTE,
    TYPE_INVOICE,
    UNIT_NAMES,
    VAT_CHOICE_LABELS,
    DocumentAllowanceCharge,
    EnteredInvoice,
    EntryAttachment,
    EntryLine,
    EntryParty,
    FieldError,
    VatChoice,
    compute_totals,
    needs_exemption_reason,
)
from einvoice.domain.leitweg import LeitwegProblem, parse_leitweg_id
from einvoice.domain.skonto import SkontoTerm

_EMAIL = re.compile(r"[^@\s]+@([^@.\s]+\.)+[^@.\s]+")  # XR-EMAIL-REGEX (BR-DE-28)
_TAX_NUMBER = re.compile(r"[0-9][0-9 /]{8,18}[0-9]")
_DE_POST_CODE = re.compile(r"[0-9]{5}")
GERMAN_IBAN_LENGTH = 22
MAX_QUANTITY = Decimal("9999999")
MAX_PRICE = Decimal("99999999")


@dataclass(frozen=True, slots=True)
class FormResult:
    """The entered invoice, or why not: ``invoice`` is None exactly when there are errors."""

    invoice: EnteredInvoice | None
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        return self.invoice is not None


def read_form(
    values: Mapping[str, str],
    buyer: EntryParty,
    attachments: Sequence[EntryAttachment] = (),
    today: date | None = None,
    *,
    buyer_coarse: Collection[str] = (),
) -> FormResult:
    """Read and check the form; every problem found is reported, none is silently fixed.

    ``buyer_coarse``: the Grobadressierungen of the buyer's Leitweg-IDs; when given, a
    Leitweg-ID (BT-10) of another authority is refused (it is not the buyer's address)."""
    form = _Form(FieldReader(values, label_de), buyer, today or date.today(), buyer_coarse)
    return form.read(attachments)


class _Form:
    def __init__(
        self, reader: FieldReader, buyer: EntryParty, today: date, buyer_coarse: Collection[str]
    ) -> None:
        self.r = reader
        self.buyer = buyer
        self.today = today
        self.buyer_coarse = frozenset(buyer_coarse)
        self.fields: dict[int, str] = {}  # id() of a kept line/allowance/charge -> its VAT field

    def read(self, attachments: Sequence[EntryAttachment]) -> FormResult:
        r = self.r
        type_code = r.raw("art").strip() or TYPE_INVOICE
        if type_code not in TYPE_CODES:
            r.error("art", "BR-DE-17", "Bitte Rechnung (380) oder Gutschrift (381) wählen.")
            type_code = TYPE_INVOICE
        number = r.text("nummer", "die Rechnungsnummer", max_length=50, required_rule="BR-02")
        issue_date = r.date("datum", "das Rechnungsdatum", required_rule="BR-03")
        if issue_date is not None and issue_date > self.today:
            r.error("datum", EINGABE, "Das Rechnungsdatum darf nicht in der Zukunft liegen.")
        due_date = r.date("faellig", "das Fälligkeitsdatum")
        if due_date is not None and issue_date is not None and due_date < issue_date:
            r.error("faellig", EINGABE, "Das Fälligkeitsdatum liegt vor dem Rechnungsdatum.")
        leitweg = self.leitweg_id()
        order = r.text("bestellnummer", "die Bestellnummer", max_length=50)
        preceding, preceding_date = self.preceding(type_code, issue_date)
        delivery, start, end = self.delivery(issue_date)
        note = r.text("hinweis", "Hinweis", max_length=2000, multiline=True)
        if note.startswith("#"):
            r.error(
                "hinweis",
                EINGABE,
                "Der Hinweis darf nicht mit # beginnen (#ABC# am Anfang kennzeichnet in "
                "XRechnung die Art eines Hinweises).",
            )
        terms = self.payment_terms()
        skonto = self.skonto()
        seller = self.seller()
        self.check_buyer()
        iban, account_name, bic = self.payment()
        lines = self.lines(type_code)
        allowances = self.allowances("abzug")
        charges = self.allowances("zuschlag")
        entered = self.attachments(attachments)
        choices = {line.vat for line in lines} | {a.vat for a in (*allowances, *charges)}
        exemption = self.exemption(choices)
        self.vat_parties(choices, seller, lines, allowances, charges)
        if r.errors:
            return FormResult(None, tuple(r.errors))
        assert issue_date is not None  # required above: an error otherwise
        invoice = EnteredInvoice(
            type_code=type_code,
            number=number,
            issue_date=issue_date,
            buyer_reference=leitweg,
            seller=seller,
            buyer=self.buyer,
            lines=tuple(lines),
            iban=iban,
            account_name=account_name,
            bic=bic,
            due_date=due_date,
            order_reference=order,
            preceding_number=preceding,
            preceding_date=preceding_date,
            delivery_date=delivery,
            period_start=start,
            period_end=end,
            note=note,
            payment_terms=terms,
            skonto=skonto,
            exemption_reason=exemption,
            allowances=tuple(allowances),
            charges=tuple(charges),
            attachments=tuple(entered),
        )
        self.check_totals(invoice)
        if r.errors:
            return FormResult(None, tuple(r.errors))
        return FormResult(invoice, ())

    # --- header -------------------------------------------------------------

    def leitweg_id(self) -> str:
        text = self.r.text("leitweg_id", "die Leitweg-ID", max_length=46, required_rule="BR-DE-15")
        if not text:
            return ""
        parsed = parse_leitweg_id(text)
        if isinstance(parsed, LeitwegProblem):
            self.r.error("leitweg_id", "BR-DE-15", parsed.message_de)
            return ""
        if self.buyer_coarse and parsed.coarse not in self.buyer_coarse:
            self.r.error(
                "leitweg_id",
                EINGABE,
                f"Die Leitweg-ID {parsed.text} gehört nicht zur Stadt, sondern zu einer anderen "
                "Behörde. Bitte das Amt der Stadt wählen, das bestellt hat.",
            )
            return ""
        return str(parsed)

    def preceding(self, type_code: str, issue_date: date | None) -> tuple[str, date | None]:
        r = self.r
        rule = "BR-55" if type_code != TYPE_CREDIT_NOTE else EINGABE
        number = r.text("vorherige_nummer", "die Nummer der ursprünglichen Rechnung", max_length=50)
        day = r.date("vorherige_datum", "das Datum der ursprünglichen Rechnung")
        if type_code == TYPE_CREDIT_NOTE and not number and not r.has_error("vorherige_nummer"):
            r.error(
                "vorherige_nummer",
                EINGABE,
                "Eine Gutschrift bezieht sich auf eine Rechnung: bitte deren Nummer angeben.",
            )
        elif day is not None and not number and not r.has_error("vorherige_nummer"):
            r.error(
                "vorherige_nummer", rule, "Zum Datum bitte auch die Nummer der Rechnung angeben."
            )
        if day is not None and issue_date is not None and day > issue_date:
            r.error("vorherige_datum", EINGABE, "Die ursprüngliche Rechnung liegt nach dieser.")
        return number, day

    def delivery(self, issue_date: date | None) -> tuple[date | None, date | None, date | None]:
        r = self.r
        delivery = r.date("lieferdatum", "das Liefer- oder Leistungsdatum")
        start = r.date("zeitraum_von", "den Beginn des Leistungszeitraums")
        end = r.date("zeitraum_bis", "das Ende des Leistungszeitraums")
        if (start is None) != (end is None):
            missing, other = (
                ("zeitraum_bis", "zeitraum_von")
                if end is None
                else (
                    "zeitraum_von",
                    "zeitraum_bis",
                )
            )
            if not r.has_error(missing) and not r.has_error(other):
                r.error(
                    missing, "BR-CO-19", "Bitte Beginn und Ende des Leistungszeitraums angeben."
                )
        if start is not None and end is not None and end < start:
            r.error(
                "zeitraum_bis", "BR-29", "Das Ende des Leistungszeitraums liegt vor dem Beginn."
            )
        dates = ("lieferdatum", "zeitraum_von", "zeitraum_bis")
        if (delivery, start, end) == (None, None, None) and not any(map(r.has_error, dates)):
            r.error(
                "lieferdatum",
                "BR-DE-TMP-32",
                "Bitte das Liefer- oder Leistungsdatum oder den Leistungszeitraum angeben "
                "(Pflichtangabe nach § 14 UStG).",
            )
        return delivery, start, end

    def payment_terms(self) -> str:
        text = self.r.text(
            "zahlungsbedingungen", "Zahlungsbedingungen", max_length=1000, multiline=True
        )
        if "#" in text:
            self.r.error(
                "zahlungsbedingungen",
                "BR-DE-18",
                "Das Zeichen # ist in den Zahlungsbedingungen nicht erlaubt (es kennzeichnet "
                "Skonto-Angaben). Skonto bitte in den Feldern „Skonto: Tage“ und "
                "„Skonto: Prozent“ angeben.",
            )
            return ""
        return text

    def skonto(self) -> tuple[SkontoTerm, ...]:
        r = self.r
        days_text = r.raw("skonto_tage").strip()
        days: int | None = None
        if days_text:
            if not days_text.isascii() or not days_text.isdigit() or not 1 <= int(days_text) <= 365:
                r.error("skonto_tage", "BR-DE-18", "Skonto: Tage als ganze Zahl von 1 bis 365.")
            else:
                days = int(days_text)
        percent = r.decimal(
            "skonto_prozent", "Skonto: Prozent", places=2, positive=True, places_rule="BR-DE-18"
        )
        if percent is not None and percent >= 100:
            r.error("skonto_prozent", "BR-DE-18", "Skonto: Prozent muss unter 100 liegen.")
            return ()
        if days is None and percent is None:
            if days_text or r.has_error("skonto_prozent"):
                return ()
            return ()
        if days is None or percent is None:
            missing = "skonto_tage" if days is None else "skonto_prozent"
            if not r.has_error(missing):
                r.error(missing, "BR-DE-18", "Für Skonto bitte Tage und Prozent angeben.")
            return ()
        return (SkontoTerm(days, percent),)

    # --- parties and payment --------------------------------------------------

    def seller(self) -> EntryParty:
        r = self.r
        name = r.text("verkaeufer_name", "den Namen Ihres Unternehmens", required_rule="BR-06")
        street = r.text("verkaeufer_strasse", "Straße und Hausnummer", required_rule=EINGABE)
        post_code = r.text(
            "verkaeufer_plz", "die Postleitzahl", max_length=10, required_rule="BR-DE-4"
        )
        city = r.text("verkaeufer_ort", "den Ort", max_length=100, required_rule="BR-DE-3")
        country = r.text("verkaeufer_land", "das Land", max_length=2).upper() or "DE"
        if country not in COUNTRY_CODES:
            r.error(
                "verkaeufer_land", "BR-CL-14", "Bitte ein Land als ISO-Kürzel angeben (z. B. DE)."
            )
        elif country == "DE" and post_code and not _DE_POST_CODE.fullmatch(post_code):
            r.error("verkaeufer_plz", EINGABE, "Eine deutsche Postleitzahl hat fünf Ziffern.")
        vat_id = normal_id(r.text("verkaeufer_ustid", "die USt-IdNr.", max_length=20))
        if vat_id and (problem := vat_id_problem(vat_id)) is not None:
            r.error("verkaeufer_ustid", "BR-CO-09", problem)
        tax_number = r.text("verkaeufer_steuernummer", "die Steuernummer", max_length=20)
        if tax_number and not _TAX_NUMBER.fullmatch(tax_number):
            r.error(
                "verkaeufer_steuernummer",
                EINGABE,
                "Die Steuernummer besteht aus Ziffern (mit / oder Leerzeichen), "
                "z. B. 21/815/08150.",
            )
        identifier = r.text("verkaeufer_kennung", "die Kennung", max_length=50)
        registration = r.text("verkaeufer_register", "die Handelsregisternummer", max_length=50)
        if not (vat_id or identifier or registration) and not any(
            r.has_error(f)
            for f in ("verkaeufer_ustid", "verkaeufer_kennung", "verkaeufer_register")
        ):
            r.error(
                "verkaeufer_ustid",
                "BR-CO-26",
                "Bitte die USt-IdNr., die Handelsregisternummer oder Ihre Kennung beim "
                "Rechnungsempfänger (z. B. Kreditorennummer) angeben: daran erkennt die Stadt "
                "Ihr Unternehmen.",
            )
        address = self.email("verkaeufer_email", "PEPPOL-EN16931-R020")
        contact_name = r.text(
            "kontakt_name", "einen Ansprechpartner", max_length=100, required_rule="BR-DE-5"
        )
        phone = r.text(
            "kontakt_telefon", "eine Telefonnummer", max_length=30, required_rule="BR-DE-6"
        )
        if phone and sum(c.isdigit() for c in phone) < 3:
            r.error(
                "kontakt_telefon", "BR-DE-27", "Die Telefonnummer braucht mindestens drei Ziffern."
            )
        contact_email = self.email("kontakt_email", "BR-DE-7")
        return EntryParty(
            name=name,
            street=street,
            post_code=post_code,
            city=city,
            country_code=country,
            vat_id=vat_id,
            tax_number=tax_number,
            electronic_address=address,
            contact_name=contact_name,
            contact_phone=phone,
            contact_email=contact_email,
            identifier=identifier,
            legal_registration=registration,
        )

    def email(self, name: str, required_rule: str) -> str:
        text = self.r.text(name, "eine E-Mail-Adresse", max_length=100, required_rule=required_rule)
        if text and not (_EMAIL.fullmatch(text) and text.isascii()):
            self.r.error(name, "BR-DE-28", f"„{text[:40]}“ ist keine gültige E-Mail-Adresse.")
            return ""
        return text

    def check_buyer(self) -> None:
        b = self.buyer
        missing = [
            label
            for label, value in (
                ("Name (BR-07)", b.name),
                ("Ort (BR-DE-8)", b.city),
                ("Postleitzahl (BR-DE-9)", b.post_code),
                ("elektronische Adresse (PEPPOL-EN16931-R010)", b.electronic_address),
            )
            if not value.strip()
        ]
        if missing or b.country_code not in COUNTRY_CODES:
            self.r.error(
                "kaeufer",
                "BR-DE-9" if "Postleitzahl (BR-DE-9)" in missing else "BR-07",
                "Die Angaben der Stadt als Rechnungsempfänger sind unvollständig ("
                + ", ".join(missing or ["Land"])
                + "). Bitte wenden Sie sich an die Stadt.",
            )

    def payment(self) -> tuple[str, str, str]:
        r = self.r
        raw = r.text("iban", "die IBAN", max_length=42, required_rule="BR-DE-23-a")
        iban = normal_iban(raw)
        if iban and not iban_valid(iban):
            r.error(
                "iban", "BR-DE-19", "Die IBAN ist ungültig: bitte prüfen (Prüfziffer stimmt nicht)."
            )
        elif iban.startswith("DE") and len(iban) != GERMAN_IBAN_LENGTH:
            r.error("iban", "BR-DE-19", "Eine deutsche IBAN hat 22 Zeichen (DE und 20 Ziffern).")
        account_name = r.text("kontoinhaber", "den Kontoinhaber", max_length=70)
        bic = normal_id(r.text("bic", "die BIC", max_length=20))
        if bic and not bic_valid(bic):
            r.error("bic", EINGABE, "Die BIC hat 8 oder 11 Zeichen, z. B. COBADEFFXXX.")
        return iban, account_name, bic

    # --- lines, allowances, charges ------------------------------------------

    def vat_choice(self, name: str, rule: str) -> VatChoice | None:
        text = self.r.raw(name).strip()
        if text not in VAT_CHOICE_LABELS:
            self.r.error(name, rule, "Bitte die Umsatzsteuer auswählen.")
            return None
        category, _, rate = text.partition(":")
        return VatChoice(category, Decimal(rate))

    def lines(self, type_code: str) -> list[EntryLine]:
        r = self.r
        rows = indices(r.values, "zeile")
        if rows and rows[-1] > MAX_LINES:
            r.error("zeilen", EINGABE, f"Höchstens {MAX_LINES} Rechnungszeilen.")
            rows = [i for i in rows if i <= MAX_LINES]
        lines = []
        for i in rows:
            p = f"zeile-{i}-"
            typed = ("beschreibung", "menge", "preis", "nachlass", "nachlass_grund")
            if not any(r.raw(p + part).strip() for part in typed):
                continue
            name = r.text(
                p + "beschreibung", "eine Beschreibung", max_length=250, required_rule="BR-25"
            )
            quantity = r.decimal(
                p + "menge",
                "die Menge",
                places=4,
                required_rule="BR-22",
                positive=True,
                maximum=MAX_QUANTITY,
            )
            unit = r.raw(p + "einheit").strip()
            if unit not in UNIT_NAMES:
                r.error(p + "einheit", "BR-23", "Bitte eine Einheit auswählen.")
            price = r.decimal(
                p + "preis",
                "den Einzelpreis",
                places=4,
                required_rule="BR-26",
                minimum=Decimal(0),
                maximum=MAX_PRICE,
            )
            vat = self.vat_choice(p + "ust", "BR-CO-04")
            allowance = r.decimal(
                p + "nachlass", "Nachlass", places=2, positive=True, places_rule="BR-DEC-24"
            )
            reason = r.text(p + "nachlass_grund", "den Grund des Nachlasses", max_length=100)
            if allowance is not None and not reason and not r.has_error(p + "nachlass_grund"):
                r.error(p + "nachlass_grund", "BR-42", "Bitte den Grund des Nachlasses angeben.")
            elif reason and allowance is None and not r.has_error(p + "nachlass"):
                r.error(
                    p + "nachlass",
                    "BR-41",
                    "Zum Grund bitte auch den Betrag des Nachlasses angeben.",
                )
            if None in (quantity, price, vat) or unit not in UNIT_NAMES:
                continue
            assert quantity is not None and price is not None and vat is not None
            line = EntryLine(
                name, quantity, unit, price, vat, allowance, reason if allowance else ""
            )
            if line.net_amount < 0:
                r.error(p + "nachlass", EINGABE, "Der Nachlass ist höher als der Betrag der Zeile.")
            lines.append(line)
            self.fields[id(line)] = p + "ust"
        if not lines and not any(e.field.startswith("zeile") for e in r.errors):
            r.error(
                "zeile-1-beschreibung", "BR-16", "Bitte mindestens eine Rechnungszeile ausfüllen."
            )
        return lines

    def allowances(self, kind: str) -> list[DocumentAllowanceCharge]:
        r = self.r
        charge = kind == "zuschlag"
        word = "Zuschlag" if charge else "Abzug"
        rows = indices(r.values, kind)
        if rows and rows[-1] > MAX_ALLOWANCES:
            r.error("zuschlaege" if charge else "abzuege", EINGABE, f"Höchstens {MAX_ALLOWANCES}.")
            rows = [i for i in rows if i <= MAX_ALLOWANCES]
        found = []
        for i in rows:
            p = f"{kind}-{i}-"
            if not r.raw(p + "betrag").strip() and not r.raw(p + "grund").strip():
                continue
            amount = r.decimal(
                p + "betrag",
                f"den Betrag des {'Zuschlags' if charge else 'Abzugs'}",
                places=2,
                required_rule="BR-36" if charge else "BR-31",
                positive=True,
                places_rule="BR-DEC-05" if charge else "BR-DEC-01",
            )
            reason = r.text(
                p + "grund",
                f"den Grund für den {word}",
                max_length=100,
                required_rule="BR-38" if charge else "BR-33",
            )
            vat = self.vat_choice(p + "ust", "BR-37" if charge else "BR-32")
            if amount is not None and reason and vat is not None:
                item = DocumentAllowanceCharge(charge, amount, reason, vat)
                found.append(item)
                self.fields[id(item)] = p + "ust"
        return found

    def attachments(self, attachments: Sequence[EntryAttachment]) -> list[EntryAttachment]:
        r = self.r
        if len(attachments) > MAX_ATTACHMENTS:
            r.error("anlagen", EINGABE, f"Höchstens {MAX_ATTACHMENTS} Anlagen.")
            return []
        if sum(len(a.content) for a in attachments) > MAX_ATTACHMENTS_BYTES:
            r.error("anlagen", EINGABE, "Die Anlagen sind zusammen größer als 10 MB.")
        seen: set[str] = set()
        kept = []
        for number, attachment in enumerate(attachments, start=1):
            name = f"anlage-{number}"
            problem = attachment_problem(attachment, seen)
            if problem is not None:
                r.error(name, problem[0], f"Anlage „{attachment.filename[:60]}“: {problem[1]}")
                continue
            seen.add(attachment.filename.strip().casefold())
            kept.append(
                EntryAttachment(
                    attachment.filename.strip(),
                    attachment.mime_code,
                    attachment.content,
                    attachment.description.strip(),
                )
            )
        return kept

    # --- VAT and totals ---------------------------------------------------------

    def exemption(self, choices: set[VatChoice]) -> str:
        needed = any(needs_exemption_reason(c.category) for c in choices)
        text = self.r.text("befreiung", "den Grund der Steuerbefreiung", max_length=300)
        if not needed:
            return ""  # shown only for exempt items; meaningless (and not written) otherwise
        if not text and not self.r.has_error("befreiung"):
            self.r.error(
                "befreiung",
                "BR-E-10",
                "Bei steuerfreien Positionen bitte den Grund der Steuerbefreiung angeben "
                "(z. B. „Kleinunternehmer gemäß § 19 UStG“).",
            )
        return text

    def vat_parties(
        self,
        choices: set[VatChoice],
        seller: EntryParty,
        lines: list[EntryLine],
        allowances: list[DocumentAllowanceCharge],
        charges: list[DocumentAllowanceCharge],
    ) -> None:
        r = self.r
        fields = ("verkaeufer_ustid", "verkaeufer_steuernummer")
        malformed = [e for e in r.errors if e.field in fields and e.rule != "BR-CO-26"]
        if choices and not (seller.vat_id or seller.tax_number) and not malformed:
            r.error(
                "verkaeufer_steuernummer",
                "BR-DE-16",
                "Bitte die USt-IdNr. oder die Steuernummer Ihres Unternehmens angeben "
                "(Pflichtangabe nach § 14 UStG).",
            )
        if not any(c.category == "AE" for c in choices):
            return
        items: list[EntryLine | DocumentAllowanceCharge] = [*lines, *allowances, *charges]
        first = next(self.fields[id(x)] for x in items if x.vat.category == "AE")
        if not self.buyer.vat_id.strip():
            r.error(
                first,
                "BR-AE-02",
                "Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG) ist nur möglich, "
                "wenn der Rechnungsempfänger eine USt-IdNr. hat; die Stadt hat keine angegeben.",
            )
        if not seller.vat_id and not r.has_error("verkaeufer_ustid"):
            r.error(
                "verkaeufer_ustid",
                "BR-AE-02",
                "Bei Steuerschuldnerschaft des Leistungsempfängers bitte Ihre USt-IdNr. angeben.",
            )

    def check_totals(self, invoice: EnteredInvoice) -> None:
        r = self.r
        totals = compute_totals(invoice)
        for group in totals.breakdown:
            if group.basis < 0:
                r.error(
                    "abzuege",
                    EINGABE,
                    f"Die Abzüge mit {VatChoice(group.category, group.rate).label_de} sind höher "
                    "als die Summe der Positionen mit dieser Umsatzsteuer.",
                )
        if totals.payable <= 0:
            r.error("summe", EINGABE, "Der Rechnungsbetrag muss größer als 0 sein.")
        elif totals.payable > Decimal("999999999.99"):
            r.error("summe", EINGABE, "Der Rechnungsbetrag ist zu groß.")
        elif invoice.due_date is None and not invoice.payment_terms_text:
            r.error(
                "faellig",
                "BR-CO-25",
                "Bitte ein Fälligkeitsdatum oder Zahlungsbedingungen angeben.",
            )


__all__ = [
    "ALLOWANCE_LABELS_DE",
    "ATTACHMENT_TYPES",
    "FIELD_LABELS_DE",
    "LINE_LABELS_DE",
    "MAX_ALLOWANCES",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENTS_BYTES",
    "MAX_ATTACHMENT_BYTES",
    "MAX_LINES",
    "FormResult",
    "allowance_count",
    "form_values",
    "is_known_field",
    "label_de",
    "line_count",
    "read_form",
]
