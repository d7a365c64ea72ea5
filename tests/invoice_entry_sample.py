"""A typical Weberfassung form, shared by the invoice entry tests: a painter's two-line
invoice with a line allowance, Skonto and a PDF attachment, to the sample city."""

from __future__ import annotations

from datetime import date

from einvoice.domain.invoice_entry import EntryAttachment, EntryParty

TODAY = date(2025, 3, 31)
LEITWEG_ID = "05315000-KAEM-62"

BUYER = EntryParty(
    name="Stadt Musterstadt",
    street="Rathausplatz 1",
    post_code="12345",
    city="Musterstadt",
    country_code="DE",
    electronic_address="rechnung@musterstadt.example",
    vat_id="DE123456788",
)
BUYER_WITHOUT_VAT_ID = EntryParty(
    name="Stadt Musterstadt",
    street="Rathausplatz 1",
    post_code="12345",
    city="Musterstadt",
    country_code="DE",
    electronic_address="rechnung@musterstadt.example",
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
ATTACHMENT = EntryAttachment("stundenzettel.pdf", "application/pdf", PDF, "Stundenzettel März")


def typical_values() -> dict[str, str]:
    """A two-line invoice with Skonto as a supplier types it (German decimal comma)."""
    return {
        "art": "380",
        "nummer": "R-2025-001",
        "datum": "2025-03-10",
        "faellig": "2025-04-09",
        "leitweg_id": LEITWEG_ID,
        "lieferdatum": "2025-03-07",
        "zahlungsbedingungen": "Zahlbar innerhalb von 30 Tagen ohne Abzug.",
        "skonto_tage": "14",
        "skonto_prozent": "2,00",
        "verkaeufer_name": "Malerbetrieb Schmidt",
        "verkaeufer_strasse": "Hauptstraße 5",
        "verkaeufer_plz": "50667",
        "verkaeufer_ort": "Köln",
        "verkaeufer_land": "DE",
        "verkaeufer_ustid": "DE123456788",
        "verkaeufer_email": "rechnung@schmidt.example",
        "kontakt_name": "Anna Schmidt",
        "kontakt_telefon": "0221 12345",
        "kontakt_email": "anna@schmidt.example",
        "iban": "DE89 3704 0044 0532 0130 00",
        "kontoinhaber": "Malerbetrieb Schmidt",
        "zeile-1-beschreibung": "Malerarbeiten Flur",
        "zeile-1-menge": "12,5",
        "zeile-1-einheit": "HUR",
        "zeile-1-preis": "48,50",
        "zeile-1-ust": "S:19",
        "zeile-2-beschreibung": "Wandfarbe weiß",
        "zeile-2-menge": "3",
        "zeile-2-einheit": "LTR",
        "zeile-2-preis": "12,99",
        "zeile-2-ust": "S:19",
        "zeile-2-nachlass": "2,00",
        "zeile-2-nachlass_grund": "Treuerabatt",
        # a spare row of the form: selects filled, nothing typed
        "zeile-3-einheit": "H87",
        "zeile-3-ust": "S:19",
    }
