"""Weberfassung vs. the official artefacts: what the form accepts, the oracle accepts.

The typical invoice first; the property test over random form values follows.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

from einvoice.domain.entry_values import COUNTRY_CODES
from einvoice.domain.invoice_entry import SMALL_BUSINESS_REASON, VAT_CHOICES, EnteredInvoice
from einvoice.domain.invoice_entry_form import (
    MAX_LINES,
    form_values,
    is_known_field,
    label_de,
    read_form,
)
from einvoice.formats.extract import extract
from einvoice.formats.validation import validate
from einvoice.formats.xrechnung_writer import write_ubl
from tests.differential.entry_strategies import GOOD_ATTACHMENTS, FormCase, form_cases
from tests.differential.oracle import UBL_INVOICE, Oracle
from tests.helpers import IN_CI, ROOT, require_conformance
from tests.invoice_entry_sample import ATTACHMENT, BUYER, TODAY, typical_values


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle(require_conformance())


@pytest.mark.conformance
def test_typical_invoice_with_skonto_and_attachment_is_accepted(oracle: Oracle) -> None:
    result = read_form(typical_values(), BUYER, [ATTACHMENT], today=TODAY)
    assert result.errors == ()
    assert result.invoice is not None
    xml = write_ubl(result.invoice)
    official = oracle.check(xml)
    assert (official.scenario, official.errors, official.warnings) == (
        "standard",
        frozenset(),
        frozenset(),
    )
    report = validate(xml)
    assert [f.rule for f in report.findings] == []


# --- the property: what the form accepts, the official artefacts accept -------------------

EXAMPLES = 1000 if IN_CI else int(os.environ.get("EINVOICE_ENTRY_EXAMPLES", "300"))
RULE_ID = re.compile(r"(BR|PEPPOL)-[A-Za-z0-9-]+|EINGABE")
RULES_NAMED: Counter[str] = Counter()
WARNINGS: Counter[str] = Counter()  # findings below error level on accepted invoices


def known_rule_ids(oracle: Oracle) -> set[str]:
    """Every rule id of the official artefacts the oracle runs, and of the project's rule texts."""
    _schema, paths = oracle.artefacts(UBL_INVOICE, "standard")
    texts = [path.read_text(encoding="utf-8") for path in paths]
    texts.append((ROOT / "einvoice/formats/rule_texts.de.toml").read_text(encoding="utf-8"))
    return {m[0] for t in texts for m in re.finditer(r"(BR|PEPPOL)-[A-Za-z0-9-]*[A-Za-z0-9]", t)}


@dataclass
class Tally:
    examples: int = 0
    accepted: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def count(self, invoice: EnteredInvoice) -> None:
        self.accepted += 1
        self.kinds["credit note" if invoice.is_credit_note else "invoice"] += 1
        for choice in invoice.vat_choices():
            self.kinds[f"VAT {choice.value}"] += 1
        for name, present in (
            ("line allowance", any(line.allowance for line in invoice.lines)),
            ("document allowance", bool(invoice.allowances)),
            ("document charge", bool(invoice.charges)),
            ("Skonto", bool(invoice.skonto)),
            ("period", invoice.period_start is not None),
            ("delivery date", invoice.delivery_date is not None),
            ("attachment", bool(invoice.attachments)),
        ):
            self.kinds[name] += present


TALLY = Tally()


def corner(changes: dict[str, str], drop: tuple[str, ...] = (), **kwargs: Any) -> FormCase:
    values = typical_values() | changes
    for name in drop:
        del values[name]
    return FormCase(
        values,
        kwargs.get("buyer", BUYER),
        kwargs.get("attachments", (ATTACHMENT,)),
    )


def _many_lines() -> dict[str, str]:
    values = {"befreiung": "Kleinunternehmer"}
    for i in range(1, MAX_LINES + 1):
        p = f"zeile-{i}-"
        values |= {
            p + "beschreibung": f"Position {i} " + "ä" * 200,
            p + "menge": "0,0001",
            p + "einheit": "C62",
            p + "preis": "99999999",
            p + "ust": VAT_CHOICES[i % len(VAT_CHOICES)][0],
            p + "nachlass": "0,01",
            p + "nachlass_grund": "Rabatt",
        }
    return values


#: Corners the strategy reaches seldom: each runs in every property run as an explicit example.
CORNERS = (
    # Kleinunternehmer (§ 19 UStG): exempt lines only, a Steuernummer and no USt-IdNr.
    corner(
        {
            "zeile-1-ust": "E:0",
            "zeile-2-ust": "E:0",
            "verkaeufer_steuernummer": "21/815/08150",
            "verkaeufer_kennung": "K-70001",
            "befreiung": SMALL_BUSINESS_REASON,
        },
        drop=("verkaeufer_ustid",),
    ),
    # a credit note with period, allowance and charge at different rates, four attachments
    corner(
        {
            "art": "381",
            "vorherige_nummer": "R-2024-9",
            "vorherige_datum": "2024-12-01",
            "zeitraum_von": "2025-01-01",
            "zeitraum_bis": "2025-01-31",
            "abzug-1-betrag": "10",
            "abzug-1-grund": "Rabatt",
            "abzug-1-ust": "S:19",
            "zuschlag-1-betrag": "5,5",
            "zuschlag-1-grund": "Fracht",
            "zuschlag-1-ust": "S:7",
        },
        drop=("lieferdatum",),
        attachments=GOOD_ATTACHMENTS,
    ),
    corner({"zeile-1-ust": "AE:0", "hinweis": "Steuerschuldnerschaft #AAI#\r\nZeile zwei"}),
    corner(_many_lines()),
    corner({"verkaeufer_name": "Café 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 <&>\"'", "zeile-1-beschreibung": "\u200b\ue000x"}),
    corner(
        {
            "verkaeufer_land": "AT",
            "verkaeufer_plz": "A-1010",
            "verkaeufer_ustid": "ATU13585627",
            "iban": "AT611904300234573201",
            "zeile-1-preis": "0,0001",
            "zeile-2-preis": "0",
        }
    ),
    corner({"verkaeufer_ustid": "EL123456789", "skonto_tage": "10"}, drop=("faellig",)),
)


def check_case(oracle: Oracle, case: FormCase) -> None:
    TALLY.examples += 1
    result = read_form(case.values, case.buyer, case.attachments, today=TODAY)
    if result.invoice is None:
        assert result.errors, "refused without a reason"
        for error in result.errors:
            assert is_known_field(error.field), error
            assert label_de(error.field) != error.field, error
            assert RULE_ID.fullmatch(error.rule), error
            RULES_NAMED[error.rule] += 1
            assert error.message_de.strip(), error
        return
    assert result.errors == ()
    TALLY.count(result.invoice)
    xml = write_ubl(result.invoice)
    official = oracle.check(xml)
    assert (official.scenario, official.aborted, official.errors) == (
        "standard",
        "",
        frozenset(),
    ), (
        official,
        case,
    )
    report = validate(xml)
    assert report.valid, ([(f.rule, f.message_de) for f in report.errors], case)
    WARNINGS.update(f"oracle {rule}" for rule in official.warnings)
    WARNINGS.update(f"project {f.rule}" for f in report.findings)
    # prefill of a corrected invoice: the parsed invoice gives the same form back
    again = read_form(form_values(extract(xml)), case.buyer, case.attachments, today=TODAY)
    assert again.errors == ()
    assert again.invoice == result.invoice


@pytest.mark.conformance
@pytest.mark.slow
def test_what_the_form_accepts_the_official_artefacts_accept(oracle: Oracle) -> None:
    started = time.perf_counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples in every run
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(form_cases())
    def run(case: FormCase) -> None:
        check_case(oracle, case)

    for case in CORNERS:
        run = example(case)(run)

    run()
    seconds = time.perf_counter() - started
    share = TALLY.accepted / max(TALLY.examples, 1)
    print(
        f"\nWeberfassung: {TALLY.examples} examples in {seconds:.0f} s, {TALLY.accepted} "
        f"accepted ({share:.0%}): {dict(sorted(TALLY.kinds.items()))}"
    )
    assert TALLY.examples >= EXAMPLES + len(CORNERS)
    assert share >= 0.3
    for kind in ("credit note", "VAT S:19", "VAT S:7", "VAT Z:0", "VAT E:0", "VAT AE:0"):
        assert TALLY.kinds[kind] > 0, kind
    for kind in ("line allowance", "document allowance", "document charge", "Skonto"):
        assert TALLY.kinds[kind] > 0, kind
    for kind in ("period", "attachment"):
        assert TALLY.kinds[kind] > 0, kind
    print(f"rules named by refusals: {dict(sorted(RULES_NAMED.items()))}")
    print(f"warnings on accepted invoices: {dict(WARNINGS)}")
    assert not WARNINGS
    assert TALLY.kinds["VAT E:0"] and TALLY.kinds["VAT AE:0"]
    assert set(RULES_NAMED) - {"EINGABE"} <= known_rule_ids(oracle)


@pytest.mark.conformance
def test_the_forms_country_codes_are_those_of_br_cl_14(oracle: Oracle) -> None:
    """The form offers only countries the official code list (BR-CL-14) has."""
    _schema, paths = oracle.artefacts(UBL_INVOICE, "standard")
    cen = paths[0].read_text(encoding="utf-8")
    start = cen.index(">BR-CL-14<")
    test = cen[cen.rindex("contains(' 1A AD", 0, start) :]
    official = set(test[len("contains('") : test.index("'", len("contains('"))].split())
    assert len(official) > 240
    assert official >= COUNTRY_CODES, sorted(COUNTRY_CODES - official)
