"""Routing: rules, priorities, fallback; the TOML configuration and its checks; the CLI."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import einvoice.cli.routing  # noqa: F401  (registers the commands)
from einvoice.cli.app import app
from einvoice.domain.findings import Syntax
from einvoice.domain.invoice import Buyer, Identifier, Invoice, Seller
from einvoice.domain.leitweg import LeitwegProblemKind, make_leitweg_id
from einvoice.domain.routing import (
    COST_CENTRE_PRIORITY,
    LEITWEG_PRIORITY,
    Criterion,
    Department,
    Deputy,
    LevelThreshold,
    Membership,
    Role,
    RoutingConfig,
    RoutingFacts,
    RoutingRule,
    facts_from_invoice,
    route,
)
from einvoice.routing_config import (
    SCHEMA_PATH,
    RoutingConfigError,
    check_routing_text,
    load_routing_config,
    parse_routing_config,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CONFIG = ROOT / "samples" / "routing.toml"

HAUPTAMT_ID = make_leitweg_id("04011000", "1234512345")
TIEFBAU_ID = make_leitweg_id("04011000", "66000")


def small_config(*rules: RoutingRule) -> RoutingConfig:
    return RoutingConfig(
        departments=(
            Department("eingang", "Rechnungseingang"),
            Department("amt-10", "Amt 10 - Hauptamt", leitweg_ids=(HAUPTAMT_ID,)),
            Department(
                "amt-66",
                "Amt 66 - Tiefbauamt",
                leitweg_ids=(TIEFBAU_ID,),
                cost_centres=("6600",),
            ),
            Department("amt-12", "Amt 12 - Datenverarbeitung"),
        ),
        fallback_department="eingang",
        rules=rules,
    )


# --- route ----------------------------------------------------------------------------------


def test_department_leitweg_id_routes_exactly() -> None:
    decision = route(RoutingFacts(buyer_reference=HAUPTAMT_ID.text), small_config())
    assert decision.department == "amt-10"
    assert not decision.fallback
    assert decision.criteria == (Criterion.LEITWEG_ID,)
    assert decision.leitweg_id == HAUPTAMT_ID
    assert "gehört zu Amt 10 - Hauptamt" in decision.reason_de


def test_leitweg_id_is_compared_in_canonical_form() -> None:
    cfg = small_config()
    lower = RoutingFacts(buyer_reference=" 09564000-nue0001-49 ")
    rule = RoutingRule("nbg", "amt-12", leitweg_id="09564000-NUE0001-49")
    assert route(lower, small_config(rule)).department == "amt-12"
    assert route(lower, cfg).fallback


def test_unknown_valid_leitweg_id_goes_to_the_fallback_with_reason() -> None:
    decision = route(RoutingFacts(buyer_reference="992-90009-96"), small_config())
    assert decision.fallback and decision.department == "eingang"
    assert decision.rule is None
    assert "keiner Dienststelle zugeordnet" in decision.reason_de
    assert decision.leitweg_problem is None


def test_wrong_check_digits_go_to_the_fallback_naming_the_right_ones() -> None:
    decision = route(RoutingFacts(buyer_reference="04011000-1234512345-07"), small_config())
    assert decision.fallback
    assert decision.leitweg_problem is not None
    assert decision.leitweg_problem.kind is LeitwegProblemKind.CHECK_DIGITS
    assert "richtig wäre 06" in decision.reason_de


def test_missing_buyer_reference_goes_to_the_fallback() -> None:
    decision = route(RoutingFacts(), small_config())
    assert decision.fallback
    assert "fehlt" in decision.reason_de


def test_invalid_leitweg_id_never_matches_a_leitweg_rule() -> None:
    rule = RoutingRule("alles", "amt-12", leitweg_prefix="04011000-")
    facts = RoutingFacts(buyer_reference="04011000-12345-34")
    assert route(facts, small_config(rule)).fallback


def test_explicit_rules_come_before_department_ids_by_default() -> None:
    rule = RoutingRule("it", "amt-12", order_reference=re.compile(r"65[0-9]{6}"))
    facts = RoutingFacts(buyer_reference=HAUPTAMT_ID.text, order_reference="65002278")
    decision = route(facts, small_config(rule))
    assert decision.department == "amt-12"
    assert decision.rule == "it"
    assert decision.criteria == (Criterion.ORDER_REFERENCE,)
    assert "Bestellreferenz (BT-13)" in decision.reason_de


def test_catch_all_rules_with_higher_numbers_come_after_department_ids() -> None:
    catch_all = RoutingRule("stadt", "eingang", priority=3000, leitweg_prefix="04011000-")
    cfg = small_config(catch_all)
    assert route(RoutingFacts(HAUPTAMT_ID.text), cfg).department == "amt-10"
    other = make_leitweg_id("04011000", "99999")
    decision = route(RoutingFacts(other.text), cfg)
    assert decision.rule == "stadt" and not decision.fallback


def test_equal_priority_keeps_file_order() -> None:
    first = RoutingRule("erste", "amt-12", seller_id="DE123456789")
    second = RoutingRule("zweite", "amt-66", seller_id="DE123456789")
    facts = RoutingFacts(seller_ids=("DE123456789",))
    assert route(facts, small_config(first, second)).rule == "erste"
    assert route(facts, small_config(second, first)).rule == "zweite"


def test_lower_priority_number_wins_over_file_order() -> None:
    late = RoutingRule("spaet", "amt-12", priority=200, seller_id="X1")
    early = RoutingRule("frueh", "amt-66", priority=50, seller_id="X1")
    assert route(RoutingFacts(seller_ids=("X1",)), small_config(late, early)).rule == "frueh"


def test_cost_centre_beats_leitweg_id() -> None:
    assert COST_CENTRE_PRIORITY < LEITWEG_PRIORITY
    facts = RoutingFacts(buyer_reference=HAUPTAMT_ID.text, accounting_reference=" 6600 ")
    decision = route(facts, small_config())
    assert decision.department == "amt-66"
    assert decision.criteria == (Criterion.ACCOUNTING_REFERENCE,)
    assert "Kostenstelle" in decision.reason_de
    # a longer reference is not the cost centre
    assert route(RoutingFacts(accounting_reference="66001"), small_config()).fallback


def test_all_criteria_of_a_rule_must_match() -> None:
    rule = RoutingRule(
        "tiefbau-invest",
        "amt-66",
        leitweg_prefix="04011000-",
        accounting_prefix="I-66",
    )
    cfg = small_config(rule)
    both = RoutingFacts(buyer_reference=HAUPTAMT_ID.text, accounting_reference="I-660123")
    only_prefix = RoutingFacts(buyer_reference=HAUPTAMT_ID.text, accounting_reference="I-12")
    assert route(both, cfg).rule == "tiefbau-invest"
    assert route(both, cfg).criteria == (Criterion.LEITWEG_PREFIX, Criterion.ACCOUNTING_PREFIX)
    assert route(only_prefix, cfg).department == "amt-10"


def test_regexes_must_match_the_whole_reference() -> None:
    rule = RoutingRule("bt19", "amt-66", accounting_reference=re.compile(r"I-66[0-9]{4}"))
    cfg = small_config(rule)
    assert route(RoutingFacts(accounting_reference="I-661234"), cfg).rule == "bt19"
    assert route(RoutingFacts(accounting_reference="XI-661234"), cfg).fallback
    assert route(RoutingFacts(accounting_reference="I-6612345"), cfg).fallback


def test_seller_ids_compare_without_spaces_and_case() -> None:
    rule = RoutingRule("stadtwerke", "amt-66", seller_id="DE814567230")
    cfg = small_config(rule)
    assert route(RoutingFacts(seller_ids=("de 814 567 230",)), cfg).rule == "stadtwerke"
    assert route(RoutingFacts(seller_ids=("DE814567231",)), cfg).fallback


def test_a_rule_without_criteria_never_matches() -> None:
    empty = RoutingRule("leer", "amt-12")
    assert not empty.matches(RoutingFacts(HAUPTAMT_ID.text), HAUPTAMT_ID)
    decision = route(RoutingFacts(HAUPTAMT_ID.text), small_config(empty))
    assert decision.department == "amt-10"


def test_facts_from_invoice() -> None:
    inv = Invoice(
        number="R-1",
        issue_date=date(2025, 3, 14),
        type_code="380",
        currency_code="EUR",
        syntax=Syntax.UBL_INVOICE,
        seller=Seller(
            name="Bürobedarf Hansen GmbH",
            identifiers=(Identifier("116078"), Identifier("4000001000005", "0088")),
            legal_registration=Identifier("HRB 12345"),
            vat_identifier="DE812345673",
            tax_registration_identifier="201/123/45678",
        ),
        buyer=Buyer(name="Stadt Musterstadt"),
        buyer_reference=HAUPTAMT_ID.text,
        purchase_order_reference="BE-2025-04100",
        buyer_accounting_reference="1000",
    )
    facts = facts_from_invoice(inv)
    assert facts == RoutingFacts(
        buyer_reference=HAUPTAMT_ID.text,
        order_reference="BE-2025-04100",
        accounting_reference="1000",
        seller_ids=("DE812345673", "201/123/45678", "116078", "4000001000005", "HRB 12345"),
    )


def test_required_level() -> None:
    cfg = RoutingConfig(
        departments=(Department("a", "A"),),
        fallback_department="a",
        thresholds=(LevelThreshold(Decimal(25000), 2), LevelThreshold(Decimal(250000), 3)),
    )
    assert cfg.required_level(Decimal("25000.00")) == 1
    assert cfg.required_level(Decimal("25000.01")) == 2
    assert cfg.required_level(Decimal("-30000")) == 2
    assert cfg.required_level(Decimal("250000.01")) == 3


def test_deputy_authorities_follow_the_date_range() -> None:
    boss = Membership("boss", frozenset({Role.APPROVER}), Decimal(100000), 2)
    clerk = Membership("clerk", frozenset({Role.CLERK}))
    dept = Department(
        "a",
        "A",
        members=(boss, clerk),
        deputies=(Deputy("boss", "clerk", date(2025, 7, 14), date(2025, 8, 1)),),
    )
    assert [a.acting_for for a in dept.authorities("clerk", date(2025, 7, 13))] == [None]
    during = dept.authorities("clerk", date(2025, 7, 14))
    assert [a.acting_for for a in during] == [None, "boss"]
    assert during[1].membership is boss
    assert len(dept.authorities("clerk", date(2025, 8, 1))) == 2
    assert len(dept.authorities("clerk", date(2025, 8, 2))) == 1
    assert dept.authorities("stranger", date(2025, 7, 20)) == ()


# --- the sample configuration ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> RoutingConfig:
    return load_routing_config(SAMPLE_CONFIG)


def test_sample_config_is_valid(sample: RoutingConfig) -> None:
    assert sample.version == 1
    assert len(sample.departments) >= 10
    assert sample.department(sample.fallback_department) is not None
    names = {d.name for d in sample.departments}
    assert "Amt 10 – Hauptamt" in names and "Amt 37 – Feuerwehr" in names


@pytest.mark.parametrize(
    ("facts", "department", "rule"),
    [
        # the shipped sample invoices carry the Hauptamt's Leitweg-ID
        (
            RoutingFacts("04011000-1234512345-06"),
            "amt-10",
            "amt-10:leitweg-id:04011000-1234512345-06",
        ),
        (RoutingFacts("04011000-37005-34"), "amt-37", "feuerwachen"),
        (RoutingFacts("04011000-40101-58"), "amt-40", "amt-40:leitweg-id:04011000-40101-58"),
        (RoutingFacts("04011000-40777-67"), "amt-40", "schulen"),
        (RoutingFacts("04011000-99999-08"), "rechnungseingang", "stadt-unbekannte-feinadresse"),
        (RoutingFacts("992-90009-96"), "rechnungseingang", "bund-falsch-adressiert"),
        (RoutingFacts(order_reference="FW-2025-17"), "amt-37", "feuerwehr-bestellungen"),
        (RoutingFacts(accounting_reference="I-661203"), "amt-66", "investitionen-tiefbau"),
        (RoutingFacts(accounting_reference="36.3.01.5331"), "amt-51", "jugendhilfe-produktkonten"),
        (RoutingFacts(accounting_reference="5010"), "amt-50", "amt-50:kostenstelle:5010"),
        (RoutingFacts(seller_ids=("DE 814 567 230",)), "amt-65", "stadtwerke-energie"),
        (RoutingFacts("04011000-12345-34"), "rechnungseingang", None),
        (RoutingFacts("11002002-98765-14"), "rechnungseingang", None),
        (RoutingFacts(None), "rechnungseingang", None),
    ],
)
def test_sample_config_routes(
    sample: RoutingConfig, facts: RoutingFacts, department: str, rule: str | None
) -> None:
    decision = route(facts, sample)
    assert (decision.department, decision.rule) == (department, rule), decision.reason_de
    assert decision.fallback is (rule is None)


def test_sample_ids_in_the_table_are_valid() -> None:
    for text in ("04011000-37005-34", "04011000-40777-67", "04011000-99999-08"):
        coarse, fine, _ = text.split("-")
        assert make_leitweg_id(coarse, fine).text == text


# --- configuration checks ---------------------------------------------------------------------

MINIMAL = """
version = 1
fallback = "eingang"

[[people]]
id = "anna"
name = "Anna"

[[people]]
id = "bernd"
name = "Bernd"

[[departments]]
key = "eingang"
name = "Rechnungseingang"

[[departments.members]]
person = "anna"
roles = ["department_admin"]

[[departments]]
key = "amt-10"
name = "Hauptamt"
leitweg_ids = ["04011000-1234512345-06"]

[[departments.members]]
person = "bernd"
roles = ["approver"]
limit = 1000.10

[[rules]]
name = "r1"
department = "amt-10"
order_reference = "BE-.*"
"""


def problems_of(text: str) -> list[str]:
    config, problems = check_routing_text(text)
    assert config is None
    return [str(p) for p in problems]


def test_minimal_config_builds_with_decimal_amounts() -> None:
    cfg = parse_routing_config(MINIMAL)
    member = cfg.departments[1].members[0]
    assert member.limit == Decimal("1000.10") and isinstance(member.limit, Decimal)
    assert cfg.rules[0].order_reference is not None


def test_toml_syntax_error_is_reported_in_german() -> None:
    (problem,) = problems_of("version = 1\n[[departments]\n")
    assert problem.startswith("Die Datei ist kein gültiges TOML")


def test_schema_problems_name_the_place() -> None:
    text = MINIMAL.replace("version = 1", "version = 2").replace(
        'roles = ["approver"]', 'roles = ["boss"]\ncolour = "blue"'
    )
    problems = problems_of(text)
    assert "version: Der Wert muss 1 sein, nicht 2." in problems
    assert any(
        p.startswith("departments[1] (amt-10).members[0] (bernd): Unbekannter Schlüssel „colour“")
        for p in problems
    )
    assert any(
        p.startswith(
            "departments[1] (amt-10).members[0] (bernd).roles[0]: „boss“ ist nicht erlaubt"
        )
        for p in problems
    )


def test_rule_without_criteria_is_refused() -> None:
    problems = problems_of(MINIMAL.replace('order_reference = "BE-.*"', ""))
    assert problems == [
        "rules[0] (r1): Die Regel braucht mindestens ein Kriterium: leitweg_id, leitweg_prefix, "
        "order_reference, accounting_reference, accounting_prefix oder seller_id."
    ]


def test_missing_required_key() -> None:
    problems = problems_of(MINIMAL.replace('fallback = "eingang"', ""))
    assert problems == ["Pflichtangabe „fallback“ fehlt."]


def test_wrong_leitweg_check_digits_are_named_with_the_right_ones() -> None:
    problems = problems_of(MINIMAL.replace("1234512345-06", "1234512345-60"))
    assert len(problems) == 1
    assert problems[0].startswith("departments[1] (amt-10).leitweg_ids[0]: Die Prüfziffer")
    assert "richtig wäre 06" in problems[0]


def test_semantic_problems() -> None:
    text = (
        MINIMAL.replace('fallback = "eingang"', 'fallback = "zentrale"')
        .replace('order_reference = "BE-.*"', 'order_reference = "BE-(["')
        .replace('person = "anna"', 'person = "anja"')
        + """
[[departments]]
key = "amt-10"
name = "Nochmal"
leitweg_ids = ["04011000-1234512345-06"]

[[departments.members]]
person = "anna"
roles = ["approver"]

[[departments.deputies]]
absent = "bernd"
deputy = "carla"
from = 2025-08-01
until = 2025-07-01

[[rules]]
name = "r2"
department = "amt-99"
leitweg_id = "04011000-1-00"
"""
    )
    problems = problems_of(text)
    expected_parts = [
        "fallback: Das Auffang-Amt „zentrale“",
        "departments[0] (eingang).members[0] (anja): Die Person „anja“ ist unter people nicht",
        "departments[1] (amt-10).key: Amt „amt-10“ ist mehrfach definiert",
        "departments[2] (amt-10).key: Amt „amt-10“ ist mehrfach definiert",
        "departments[2] (amt-10).leitweg_ids[0]: Die Leitweg-ID 04011000-1234512345-06 ist schon",
        "departments[2] (amt-10).members[0] (anna): „anna“ hat die Rolle approver",
        "departments[2] (amt-10).deputies[0]: deputy: Die Person „carla“",
        "departments[2] (amt-10).deputies[0]: Vertreten werden kann nur",
        "departments[2] (amt-10).deputies[0]: Der Zeitraum endet (2025-07-01) vor",
        "rules[0] (r1).order_reference: Der reguläre Ausdruck „BE-([“ ist fehlerhaft",
        "rules[1] (r2).department: Das Amt „amt-99“ ist unter departments nicht definiert.",
        "rules[1] (r2).leitweg_id: Die Prüfziffer der Leitweg-ID '04011000-1-00' ist falsch",
    ]
    for part in expected_parts:
        assert any(p.startswith(part) for p in problems), (part, problems)
    assert len(problems) == len(expected_parts), problems


def test_unreachable_approval_level_is_refused() -> None:
    text = MINIMAL.replace(
        "[[people]]", "[[approval_levels]]\nabove = 25000\nlevel = 2\n\n[[people]]", 1
    )
    (problem,) = problems_of(text)
    assert problem.startswith("approval_levels[0]: Oberhalb von 25000 EUR ist Ebene 2 nötig")


def test_dates_as_toml_dates_or_text() -> None:
    base = MINIMAL + (
        '\n[[departments.deputies]]\nabsent = "bernd"\ndeputy = "anna"\n'
        "from = {start}\nuntil = 2025-08-01\n"
    )
    for start in ("2025-07-01", '"2025-07-01"'):
        cfg = parse_routing_config(base.format(start=start))
        assert cfg.departments[1].deputies[0].start == date(2025, 7, 1)
    problems = problems_of(base.format(start='"1. Juli"'))
    assert problems == [
        "departments[1] (amt-10).deputies[0].from: „1. Juli“ ist kein gültiges Datum (JJJJ-MM-TT)."
    ]


def test_load_raises_with_all_problems(tmp_path: Path) -> None:
    path = tmp_path / "routing.toml"
    path.write_text(MINIMAL.replace("1234512345-06", "1234512345-60"), encoding="utf-8")
    with pytest.raises(RoutingConfigError) as info:
        load_routing_config(path)
    assert len(info.value.problems) == 1
    assert "fehlerhaft" in str(info.value)


def test_schema_file_is_versioned() -> None:
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert '"const": 1' in text and "routing-config:1" in text


# --- CLI ------------------------------------------------------------------------------------


def test_cli_routing_check_valid() -> None:
    result = CliRunner().invoke(app, ["routing", "check", str(SAMPLE_CONFIG)])
    assert result.exit_code == 0, result.output
    assert "gültig" in result.output


def test_cli_routing_check_invalid(tmp_path: Path) -> None:
    path = tmp_path / "routing.toml"
    path.write_text(MINIMAL.replace('fallback = "eingang"', 'fallback = "x"'), encoding="utf-8")
    result = CliRunner().invoke(app, ["routing", "check", str(path)])
    assert result.exit_code == 1
    assert "fehlerhaft (1 Problem)" in result.output
    assert "fallback: Das Auffang-Amt „x“" in result.output


def test_cli_routing_check_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["routing", "check", str(tmp_path / "fehlt.toml")])
    assert result.exit_code == 1
    assert "kann nicht gelesen werden" in result.output
