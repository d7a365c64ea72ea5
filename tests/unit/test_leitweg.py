"""Leitweg-ID: structure, MOD 97-10 check digits, messages, CLI."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import einvoice.cli.routing  # noqa: F401  (registers the commands)
from einvoice.cli.app import app
from einvoice.domain.leitweg import (
    LeitwegId,
    LeitwegProblem,
    LeitwegProblemKind,
    expected_check_digits,
    is_valid_leitweg_id,
    make_leitweg_id,
    parse_leitweg_id,
)


def mod97(text: str) -> int:
    """Independent of the implementation: letters A=10..Z=35, then the integer mod 97."""
    digits = ""
    for ch in text.upper():
        digits += ch if ch.isdigit() else str(ord(ch) - ord("A") + 10)
    return int(digits) % 97


# Real-format ids from domain.md; each verified here by the plain definition too.
REAL_IDS = ["04011000-1234512345-06", "992-90009-96", "09564000-NUE0001-49"]


@pytest.mark.parametrize("text", REAL_IDS)
def test_real_ids_are_valid(text: str) -> None:
    result = parse_leitweg_id(text)
    assert isinstance(result, LeitwegId), result
    assert result.text == text
    assert mod97(text.replace("-", "")) == 1


def test_parts_and_properties() -> None:
    lid = parse_leitweg_id("04011000-1234512345-06")
    assert isinstance(lid, LeitwegId)
    assert (lid.coarse, lid.fine, lid.check) == ("04011000", "1234512345", "06")
    assert lid.land_code == "04" and not lid.is_federal
    federal = parse_leitweg_id("992-90009-96")
    assert isinstance(federal, LeitwegId) and federal.is_federal


def test_id_without_fine_address() -> None:
    lid = parse_leitweg_id("04011000-45")
    assert isinstance(lid, LeitwegId)
    assert lid.fine == "" and lid.text == "04011000-45"
    assert mod97("0401100045") == 1


@pytest.mark.parametrize(
    ("coarse", "fine", "check"),
    [
        ("04011000", "1234512345", "06"),
        ("992", "90009", "96"),
        ("09564000", "NUE0001", "49"),
        ("04011000", "12345", "03"),
        ("04011000", "", "45"),
    ],
)
def test_expected_check_digits(coarse: str, fine: str, check: str) -> None:
    assert expected_check_digits(coarse, fine) == check


def test_wrong_check_digits_name_the_expected_ones() -> None:
    # 05.01a of the KoSIT test suite writes 34 where 03 is right
    result = parse_leitweg_id("04011000-12345-34")
    assert isinstance(result, LeitwegProblem)
    assert result.kind is LeitwegProblemKind.CHECK_DIGITS
    assert result.expected_check_digits == "03"
    assert "03" in result.message_de and "34" in result.message_de
    assert "Prüfziffer" in result.message_de
    assert "expected 03" in result.message_en


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", LeitwegProblemKind.EMPTY),
        ("   ", LeitwegProblemKind.EMPTY),
        (None, LeitwegProblemKind.EMPTY),
        ("04011000 12345 03", LeitwegProblemKind.CHARACTERS),
        ("04011000-12345-03!", LeitwegProblemKind.CHARACTERS),
        ("04011000-1234ä-03", LeitwegProblemKind.CHARACTERS),
        ("04011000", LeitwegProblemKind.PARTS),
        ("04011000-1-2-03", LeitwegProblemKind.PARTS),
        ("04011000--03", LeitwegProblemKind.PARTS),
        ("-12345-03", LeitwegProblemKind.PARTS),
        ("0-12345-03", LeitwegProblemKind.COARSE_ADDRESS),  # 1 digit
        ("0401100012345-12345-03", LeitwegProblemKind.COARSE_ADDRESS),  # 13 digits
        ("04A11000-12345-03", LeitwegProblemKind.COARSE_ADDRESS),  # letter
        ("1234567890-54321-40", LeitwegProblemKind.COARSE_ADDRESS),  # 10 digits
        ("0401-12345-03", LeitwegProblemKind.COARSE_ADDRESS),  # 4 digits
        ("00011000-12345-03", LeitwegProblemKind.LAND_CODE),
        ("17011000-12345-03", LeitwegProblemKind.LAND_CODE),
        ("90000000-03083-72", LeitwegProblemKind.LAND_CODE),  # check digits right, Land not
        ("04011000-" + "1" * 31 + "-03", LeitwegProblemKind.FINE_ADDRESS),
        ("04011000-12345-3", LeitwegProblemKind.CHECK_FORMAT),
        ("04011000-12345-003", LeitwegProblemKind.CHECK_FORMAT),
        ("04011000-12345-AB", LeitwegProblemKind.CHECK_FORMAT),
        ("Leitweg-ID", LeitwegProblemKind.COARSE_ADDRESS),  # 04.05a of the test suite
    ],
)
def test_structure_problems(text: str | None, kind: LeitwegProblemKind) -> None:
    result = parse_leitweg_id(text)
    assert isinstance(result, LeitwegProblem)
    assert result.kind is kind
    assert result.message_de and result.message_en
    assert not is_valid_leitweg_id(text)


@pytest.mark.parametrize("length", [2, 3, 5, 8, 9, 12])
def test_every_possible_coarse_length(length: int) -> None:
    coarse = ("04" + "0123456789" * 2)[:length]
    lid = make_leitweg_id(coarse, "X1")
    assert lid.coarse == coarse and is_valid_leitweg_id(lid.text)


def test_thirty_character_fine_address_is_allowed() -> None:
    lid = make_leitweg_id("992", "A" * 30)
    assert is_valid_leitweg_id(lid.text)


@pytest.mark.parametrize(
    ("right", "congruent"),
    [("04011000-10050-98", "04011000-10050-01"), ("04011000-10082-02", "04011000-10082-99")],
)
def test_check_digits_the_algorithm_never_produces_are_refused(right: str, congruent: str) -> None:
    # 98 - (n mod 97) gives 02..98; 01 and 99 make the whole number 1 mod 97 as well,
    # but they are not the check digits: refused (as for the IBAN), naming the right ones
    assert is_valid_leitweg_id(right)
    assert mod97(congruent.replace("-", "")) == 1
    result = parse_leitweg_id(congruent)
    assert isinstance(result, LeitwegProblem)
    assert result.expected_check_digits == right[-2:]


def test_whitespace_around_and_lower_case_letters_are_tolerated() -> None:
    lid = parse_leitweg_id("  09564000-nue0001-49\n")
    assert isinstance(lid, LeitwegId)
    assert lid.text == "09564000-NUE0001-49"


def test_make_rejects_malformed_parts() -> None:
    with pytest.raises(ValueError):
        make_leitweg_id("4", "1")
    with pytest.raises(ValueError):
        expected_check_digits("04011000", "12-3")


# --- properties -----------------------------------------------------------------------------

lands = st.sampled_from([f"{n:02d}" for n in range(1, 17)] + ["99"])
coarse_tails = st.sampled_from([0, 1, 3, 6, 7, 10]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)
fines = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=0, max_size=30)


@settings(max_examples=200)
@given(lands, coarse_tails, fines)
def test_made_ids_validate_and_are_1_mod_97(land: str, tail: str, fine: str) -> None:
    lid = make_leitweg_id(land + tail, fine)
    assert is_valid_leitweg_id(lid.text)
    assert mod97(lid.text.replace("-", "")) == 1


@settings(max_examples=200)
@given(lands, coarse_tails, fines, st.data())
def test_any_single_digit_change_is_detected(
    land: str, tail: str, fine: str, data: st.DataObject
) -> None:
    text = make_leitweg_id(land + tail, fine).text
    positions = [i for i, ch in enumerate(text) if ch.isdigit() and i >= 2]
    index = data.draw(st.sampled_from(positions))
    other = data.draw(st.sampled_from([d for d in "0123456789" if d != text[index]]))
    changed = text[:index] + other + text[index + 1 :]
    assert not is_valid_leitweg_id(changed)


@settings(max_examples=200)
@given(lands, coarse_tails, fines, st.data())
def test_swapping_adjacent_digits_is_detected(
    land: str, tail: str, fine: str, data: st.DataObject
) -> None:
    text = make_leitweg_id(land + tail, fine).text
    pairs = [
        i
        for i in range(2, len(text) - 1)
        if text[i].isdigit() and text[i + 1].isdigit() and text[i] != text[i + 1]
    ]
    if not pairs:
        return
    i = data.draw(st.sampled_from(pairs))
    swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    assert not is_valid_leitweg_id(swapped)


# --- CLI ------------------------------------------------------------------------------------


def test_cli_all_valid() -> None:
    result = CliRunner().invoke(app, ["leitweg", "check", *REAL_IDS])
    assert result.exit_code == 0, result.output
    assert result.output.count("gültig") == 3


def test_cli_reports_why_in_german() -> None:
    result = CliRunner().invoke(
        app, ["leitweg", "check", "04011000-12345-03", "04011000-12345-34", "Leitweg-ID"]
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("04011000-12345-03: gültig")
    assert "ungültig" in lines[1] and "richtig wäre 03" in lines[1]
    assert "ungültig" in lines[2] and "Grobadressierung" in lines[2]
