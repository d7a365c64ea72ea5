"""What the German rendering shows: every section a clerk needs, in German formats."""

from __future__ import annotations

import base64
import dataclasses
import re
from datetime import date
from decimal import Decimal

import pytest

from einvoice.domain.invoice import (
    EmbeddedDocument,
    Invoice,
    InvoiceLine,
    Item,
    SupportingDocument,
)
from einvoice.formats.extract import extract
from einvoice.presentation.render import invoice_css, render_html
from tests.helpers import ROOT

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def sample() -> Invoice:
    return extract((ROOT / "samples" / "xrechnung-ubl.xml").read_bytes(), "xrechnung-ubl.xml")


def _text(html: str) -> str:
    """The visible text, roughly: tags removed, whitespace collapsed."""
    without_style = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", without_style)).strip()


def test_full_page_with_title_and_german_head(sample: Invoice) -> None:
    html = render_html(sample)
    assert html.startswith("<!doctype html>")
    assert '<html lang="de">' in html
    assert "<title>Rechnung BH-2025-01001 – Bürobedarf Hansen GmbH</title>" in html
    text = _text(html)
    for expected in (
        "Rechnung Nr. BH-2025-01001",
        "Rechnungsdatum BT-2 14.03.2025",
        "Fälligkeitsdatum BT-9 13.04.2025",
        "Leitweg-ID / Käuferreferenz BT-10 04011000-1234512345-06",
        "Bestellnummer BT-13 BE-2025-04100",
        "Büromaterial laut Rahmenvertrag 2025",
        "Lieferdatum BT-72 11.03.2025",
    ):
        assert expected in text, expected


def test_parties_with_addresses_contacts_and_identifiers(sample: Invoice) -> None:
    text = _text(render_html(sample))
    for expected in (
        "Verkäufer BG-4",
        "Bürobedarf Hansen GmbH",
        "Lindenstraße 12",
        "28195 Bremen",
        "Deutschland (DE)",
        "USt-IdNr. BT-31 DE812345673",
        "Registernummer BT-30 HRB 31415",
        "Ansprechpartner BT-41 Jana Hansen",
        "Käufer BG-7",
        "Stadt Musterstadt, Amt für Zentrale Dienste",
        "Kennung BT-46 K-100-0042",
    ):
        assert expected in text, expected


def test_lines_vat_and_totals_in_german_format(sample: Invoice) -> None:
    text = _text(render_html(sample))
    assert "Kopierpapier A4, 80 g/m², 500 Blatt" in text
    assert f"40 Packung 4,39{NBSP}€ 19{NBSP}% S 175,60{NBSP}€" in text
    assert f"Normalsatz (S) 7{NBSP}% 224,60{NBSP}€ 15,72{NBSP}€" in text
    assert f"Summe der Positionen (netto) BT-106 493,45{NBSP}€" in text
    assert f"Gesamtbetrag brutto BT-112 560,25{NBSP}€" in text
    assert f"Zahlbetrag BT-115 560,25{NBSP}€" in text


def test_payment_information_and_skonto(sample: Invoice) -> None:
    html = render_html(sample)
    text = _text(html)
    assert "SEPA-Überweisung (58)" in text
    assert "IBAN / Konto BT-84 DE29 2905 0000 0012 3456 78" in text
    assert "BIC BT-86 BRLADE22XXX" in text
    assert "Verwendungszweck BT-83 BH-2025-01001" in text
    # BT-20 text without the machine entry, the entry as a table: 14.03. + 14 days
    assert "Zahlbar ohne Abzug bis zum 13.04.2025." in text
    assert "#SKONTO#" not in html.replace("#SKONTO# in", "")
    assert f"28.03.2025 14 Tage 2{NBSP}% 11,21{NBSP}€ 549,04{NBSP}€" in text


def test_an_unreadable_skonto_entry_stays_in_the_text(sample: Invoice) -> None:
    odd = dataclasses.replace(sample, payment_terms="#SKONTO#TAGE=vierzehn#PROZENT=2#")
    assert "#SKONTO#TAGE=vierzehn#PROZENT=2#" in render_html(odd)


def test_credit_note_is_named_and_explained(sample: Invoice) -> None:
    credit = dataclasses.replace(sample, type_code="381")
    text = _text(render_html(credit))
    assert "Gutschrift Nr. BH-2025-01001" in text
    assert "Gutschriftsbetrag BT-115" in text
    assert "Dies ist eine Gutschrift" in text
    corrected = dataclasses.replace(sample, type_code="384")
    assert "Korrekturrechnung Nr. BH-2025-01001" in _text(render_html(corrected))


def test_sub_lines_are_indented_below_their_parent(sample: Invoice) -> None:
    child = InvoiceLine(line_id="1.1", net_amount=Decimal("5.00"), item=Item(name="Teil"))
    grandchild = InvoiceLine(line_id="1.1.1", net_amount=Decimal("2.50"), item=Item(name="Stück"))
    child = dataclasses.replace(child, sub_lines=(grandchild,))
    parent = dataclasses.replace(sample.lines[0], sub_lines=(child,))
    html = render_html(dataclasses.replace(sample, lines=(parent, *sample.lines[1:])))
    rows = re.findall(r'<tr class="(line[^"]*)">', html)
    assert rows[:3] == ["line depth-0", "line depth-1 sub", "line depth-2 sub"]
    assert "Unterposition zu Pos. 1.1" in _text(html)


def test_attachments_listed_external_locations_never_linked(sample: Invoice) -> None:
    content = base64.b64encode(b"%PDF-1.7 " + b"x" * 2000).decode()
    documents = (
        SupportingDocument(
            reference="Lieferschein 4711",
            description="Lieferschein zur Bestellung",
            attachment=EmbeddedDocument(content, "application/pdf", "lieferschein.pdf"),
        ),
        SupportingDocument(
            reference="Zeitnachweis",
            external_location="https://example.com/nachweis?id=1&x=2",
        ),
        SupportingDocument(reference="Kaputt", attachment=EmbeddedDocument("abcde", "text/plain")),
    )
    html = render_html(dataclasses.replace(sample, supporting_documents=documents))
    text = _text(html)
    row = "Lieferschein 4711 Lieferschein zur Bestellung lieferschein.pdf application/pdf"
    assert f"{row} 2,0{NBSP}KB" in text
    assert "https://example.com/nachweis?id=1&amp;x=2" in html
    assert "href" not in html and "<a " not in html
    assert "nicht lesbar" in text
    assert content[:40] not in html  # the file itself is not put into the page


def test_fragment_for_the_web_app(sample: Invoice) -> None:
    fragment = render_html(sample, embed=True)
    assert not re.search(r"<(html|head|body|title|meta)[\s>]", fragment)
    assert fragment.lstrip().startswith('<article class="einvoice-render" lang="de">')
    assert "<style>" in fragment  # brings its own, scoped CSS
    assert ".einvoice-render" in fragment
    assert "Rechnung Nr. BH-2025-01001" in _text(fragment)


def test_fragment_without_inline_css_and_the_stylesheet_for_the_web_app(sample: Invoice) -> None:
    fragment = render_html(sample, embed=True, inline_css=False)
    assert "<style" not in fragment
    css = invoice_css()
    assert css.startswith(".einvoice-page") and "@media print" in css
    assert "<" not in css and "{#" not in css  # plain CSS, no template left-overs
    assert css in render_html(sample)  # the same rules as inline in the page


def test_print_styles_and_no_external_resources(sample: Invoice) -> None:
    html = render_html(sample)
    assert "@media print" in html and "@page" in html
    lowered = html.lower()
    for marker in ("<script", "<link", "<img", "url(", "@import", "http://", "https://"):
        assert marker not in lowered, marker


def test_invoice_without_optional_parts_renders(sample: Invoice) -> None:
    bare = Invoice(
        number="1",
        issue_date=date(2025, 1, 2),
        type_code="380",
        currency_code="EUR",
        syntax=sample.syntax,
        seller=sample.seller.__class__(),
        buyer=sample.buyer.__class__(),
    )
    text = _text(render_html(bare))
    assert "Rechnung Nr. 1" in text
    assert "Diese Rechnung enthält keine Positionen" in text
    assert "Keine Zahlungsinformationen angegeben." in text


def test_an_expired_skonto_is_not_shown_as_possible(sample: Invoice) -> None:
    """Issue 14: an expired Skonto still said "Skonto möglich" on the invoice page."""
    before = _text(render_html(sample, embed=True, today=date(2025, 3, 28)))
    assert f"Skonto möglich bis 28.03.2025: 549,04{NBSP}€ zahlen" in before
    assert "abgelaufen" not in before
    after = _text(render_html(sample, embed=True, today=date(2025, 3, 29)))
    assert "Skonto möglich" not in after
    assert "Skontofrist am 28.03.2025 abgelaufen – kein Skonto mehr" in after
    assert "14 Tage – abgelaufen" in after  # the row of the table too
    printed = _text(render_html(sample))  # no day given: offered, with its deadline
    assert "Skonto möglich" not in printed and "Skonto angeboten bis 28.03.2025" in printed
