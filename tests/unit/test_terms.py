"""The business-term table: coverage, labels and finding ids in texts."""

from __future__ import annotations

import pytest

from einvoice.domain.terms import TERMS, Term, term_label, terms_in


def test_every_core_term_and_group_is_listed() -> None:
    # EN 16931 numbers BT-1..BT-165 without a BT-4; groups run BG-1..BG-32.
    expected = {f"BT-{n}" for n in range(1, 166) if n != 4} | {f"BG-{n}" for n in range(1, 33)}
    assert expected <= TERMS.keys()
    assert "BT-4" not in TERMS


def test_entries_are_consistent() -> None:
    for key, term in TERMS.items():
        assert isinstance(term, Term)
        assert term.id == key
        assert term.name_de.strip() == term.name_de != ""
        assert term.name_en.strip() == term.name_en != ""


@pytest.mark.parametrize(
    ("term_id", "name_de", "name_en"),
    [
        ("BT-1", "Rechnungsnummer", "Invoice number"),
        ("BT-10", "Käuferreferenz", "Buyer reference"),
        ("BT-24", "Spezifikationskennung", "Specification identifier"),
        ("BG-4", "Verkäufer", "Seller"),
        ("BG-23", "Umsatzsteueraufschlüsselung", "VAT breakdown"),
        ("BT-115", "Fälliger Zahlungsbetrag", "Amount due for payment"),
        ("BT-165", "Zeile 3 der Lieferanschrift", "Deliver to address line 3"),
    ],
)
def test_known_names(term_id: str, name_de: str, name_en: str) -> None:
    assert TERMS[term_id].name_de == name_de
    assert TERMS[term_id].name_en == name_en


def test_term_label() -> None:
    assert term_label("BT-10") == "BT-10 Käuferreferenz"
    assert term_label("BT-10", "de") == "BT-10 Käuferreferenz"
    assert term_label("BT-10", lang="en") == "BT-10 Buyer reference"
    assert term_label("BG-4") == "BG-4 Verkäufer"
    assert term_label("BT-DEX-002", "en") == "BT-DEX-002 Third party payment amount"


def test_term_label_tolerates_case_blanks_and_leading_zeros() -> None:
    assert term_label(" bt-10 ") == "BT-10 Käuferreferenz"
    assert term_label("BT-01") == "BT-1 Rechnungsnummer"


@pytest.mark.parametrize("unknown", ["BT-4", "BT-999", "BG-99", "BR-01", "", "Käuferreferenz"])
def test_term_label_unknown_returns_the_id(unknown: str) -> None:
    assert term_label(unknown) == unknown


def test_terms_in_finds_ids_in_order_once() -> None:
    text = "[BR-CO-10]-Sum of line net amounts (BT-106) = Σ Invoice line net amount (BT-131)."
    assert terms_in(text) == ("BT-106", "BT-131")
    assert terms_in("(BT-10) fehlt; BT-10 ist Pflicht, BG-4 auch") == ("BT-10", "BG-4")


def test_terms_in_keeps_only_the_term_part_of_sub_ids() -> None:
    assert terms_in("BT-10-1 and BT-118-0, then BT-2") == ("BT-10", "BT-118", "BT-2")


def test_terms_in_ignores_look_alikes() -> None:
    assert terms_in("BR-01, BR-DE-15, XBT-5, BT-X-147, BTW-3") == ()
    assert terms_in("BT-1 vs BT-10 vs BT-100") == ("BT-1", "BT-10", "BT-100")


def test_terms_in_normalises_and_knows_extension_ids() -> None:
    assert terms_in("BT-01 BG-025") == ("BT-1", "BG-25")
    assert terms_in("BG-DEX-09 with BT-DEX-001") == ("BG-DEX-09", "BT-DEX-001")


def test_terms_in_empty_text() -> None:
    assert terms_in("") == ()
