"""BR-DE-19: with payment means 58 (SEPA credit transfer) BT-84 should be a valid IBAN."""

from __future__ import annotations

import pytest

from einvoice.domain.findings import Severity
from einvoice.formats.national.iban import iban_is_valid
from tests.unit.test_national_rules import Make, check, cii_invoice, ids, only, ubl_invoice


@pytest.mark.parametrize(
    "iban",
    [
        "DE02120300000000202051",
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",  # printed groups
        " DE89370400440532013000\n",
        "GB29NWBK60161331926819",
        "NL91ABNA0417164300",
    ],
)
def test_valid_ibans(iban: str) -> None:
    assert iban_is_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013001",  # wrong check digits
        "DE98370400440532013000",
        "de89370400440532013000",  # country code must be upper case
        "DE8937040044053201300O",  # letter O for zero
        "DE89-3704-0044-0532-0130-00",
        "AS28192373298",
        "1234567890",
        "",
        None,
    ],
)
def test_invalid_ibans(iban: str | None) -> None:
    assert not iban_is_valid(iban)


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_rule_reports_a_wrong_iban_with_code_58(make: Make) -> None:
    finding = only(check(make(iban="DE89370400440532013001")), "BR-DE-19")
    assert finding.severity is Severity.WARNING
    assert set(finding.terms) == {"BT-84", "BT-81"}
    assert "DE89370400440532013001" in finding.message_de
    assert "BT-84" in finding.message_de and "BT-84" in finding.message_en


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_rule_tolerates_spaces(make: Make) -> None:
    assert check(make(iban="DE02 1203 0000 0000 2020 51")) == []


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_rule_only_applies_to_code_58(make: Make) -> None:
    # Code 30 (credit transfer, not SEPA) accepts any account identifier.
    assert "BR-DE-19" not in ids(check(make(payment_code="30", iban="12345678")))


@pytest.mark.parametrize("make", [ubl_invoice, cii_invoice], ids=["ubl", "cii"])
def test_missing_account_with_code_58(make: Make) -> None:
    found = ids(check(make(iban=None)))
    assert {"BR-DE-19", "BR-DE-23-a"} <= found
