"""Creditor master data: normal forms, IBAN check, and matching an invoice's seller."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from einvoice.domain.creditors import (
    BankAccount,
    Creditor,
    MatchedBy,
    Verification,
    build_index,
    iban_valid,
    match,
    normal_id,
    normal_name,
    seller_keys,
    vat_id_problem,
)
from einvoice.domain.parties import Address, Identifier, Seller

MUSTER = Creditor(
    id=1,
    number="K-10001",
    name="Muster Bau GmbH",
    post_code="28195",
    vat_ids=("DE 123 456 789",),
    tax_number="12/345/67890",
    registration="HRB 4711",
    seller_ids=("4000001000005",),
    emails=("muster-bau.example", "buchhaltung@muster.example"),
    accounts=(
        BankAccount(
            "DE02120300000000202051",
            verification=Verification("kb1", datetime(2025, 1, 1, tzinfo=UTC), "Rückruf"),
        ),
        BankAccount("DE89370400440532013000"),
    ),
)
OTHER = Creditor(id=2, number="K-10002", name="Andere AG", post_code="24103", tax_number="99/1")
INDEX = build_index([MUSTER, OTHER])


def test_normal_forms() -> None:
    assert normal_id(" de-123.456/789 ") == "DE123456789"
    assert normal_name("Müller & Söhne GmbH & Co. KG") == "muller sohne"
    assert normal_name("MUSTER BAU G.m.b.H.") == normal_name("Muster Bau GmbH") == "muster bau"


def test_iban_check_digits() -> None:
    assert iban_valid("DE02 1203 0000 0000 2020 51")
    assert not iban_valid("DE03120300000000202051")
    assert not iban_valid("kein iban")


def test_match_strongest_identifier_first() -> None:
    by_vat = seller_keys(
        Seller(name="X", vat_identifier="de123456789", tax_registration_identifier="99/1")
    )
    found = match(by_vat, INDEX)
    assert found is not None and (found.creditor_id, found.matched_by) == (1, MatchedBy.VAT_ID)
    by_tax = seller_keys(Seller(name="X", tax_registration_identifier="99 / 1"))
    assert match(by_tax, INDEX) == match(by_tax, INDEX) is not None
    assert match(by_tax, INDEX).matched_by is MatchedBy.TAX_NUMBER  # type: ignore[union-attr]
    by_reg = seller_keys(Seller(legal_registration=Identifier("HRB 4711")))
    assert match(by_reg, INDEX).matched_by is MatchedBy.REGISTRATION  # type: ignore[union-attr]
    by_gln = seller_keys(Seller(identifiers=(Identifier("4000001000005", "0088"),)))
    assert match(by_gln, INDEX).matched_by is MatchedBy.SELLER_ID  # type: ignore[union-attr]


def test_name_and_post_code_is_only_a_proposal() -> None:
    keys = seller_keys(Seller(name="MUSTER BAU G.m.b.H.", address=Address(post_code="28195")))
    found = match(keys, INDEX)
    assert found is not None and found.proposal and found.matched_by is MatchedBy.NAME_ADDRESS
    elsewhere = seller_keys(Seller(name="Muster Bau GmbH", address=Address(post_code="80331")))
    assert match(elsewhere, INDEX) is None


def test_verified_accounts_and_known_mail() -> None:
    assert MUSTER.has_verified_account("de02 1203 0000 0000 2020 51")
    assert not MUSTER.has_verified_account("DE89370400440532013000")  # recorded, unverified
    assert not MUSTER.has_verified_account(None)
    assert MUSTER.knows_email("rechnung@muster-bau.example")
    assert MUSTER.knows_email("Buchhaltung@Muster.example")
    assert not MUSTER.knows_email("rechnung@muster-bau.example.evil")


@given(st.text(alphabet="DE0123456789 ./-", min_size=1, max_size=20))
def test_property_formatting_never_changes_the_match(raw: str) -> None:
    compact = normal_id(raw)
    creditor = Creditor(id=5, number="K", name="N", vat_ids=(raw,))
    keys = seller_keys(Seller(vat_identifier=" ".join(compact)))
    found = match(keys, build_index([creditor]))
    if compact:
        assert found is not None and found.creditor_id == 5
    else:
        assert found is None


def test_vat_id_shape_and_german_check_digit() -> None:
    assert vat_id_problem("DE812345673") is None
    assert vat_id_problem("de 812 345 673") is None  # as people type it
    assert vat_id_problem("ATU12345678") is None
    assert vat_id_problem("FR12345678901") is None
    assert "Prüfziffer" in (vat_id_problem("DE812345674") or "")
    assert "DE und 9 Ziffern" in (vat_id_problem("DE81234567") or "")
    assert "ATU und 8 Ziffern" in (vat_id_problem("AT12345678") or "")
    assert "EU-Staats" in (vat_id_problem("US123456789") or "")
    assert "angeben" in (vat_id_problem("  ") or "")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_computed_german_vat_id_passes(digits: str) -> None:
    from einvoice.samplegen.spec import german_vat_id

    good = german_vat_id(digits)
    assert vat_id_problem(good) is None
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert vat_id_problem(wrong) is not None


def test_iban_for_people_in_groups_of_four() -> None:
    from einvoice.domain.creditors import grouped_iban

    assert grouped_iban("DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"
    assert grouped_iban(" de89 3704 0044 0532 013000 ") == "DE89 3704 0044 0532 0130 00"
    assert grouped_iban(None) == ""
