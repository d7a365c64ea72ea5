"""The sample generator: deterministic bytes, committed files up to date, valid verdicts."""

from __future__ import annotations

import dataclasses
from datetime import datetime, tzinfo
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

import einvoice
from einvoice.domain.findings import Recommendation, Severity
from einvoice.formats.namespaces import CBC, CII_RAM
from einvoice.samplegen import catalogue
from einvoice.samplegen.catalogue import Sample, samples
from einvoice.samplegen.cii import to_cii
from einvoice.samplegen.pdf import fix_timestamps, to_zugferd_pdf
from einvoice.samplegen.spec import (
    InvoiceLine,
    example,
    german_vat_id,
    iban,
    is_valid_iban,
    is_valid_leitweg_id,
    leitweg_id,
    money,
)
from einvoice.samplegen.ubl import to_ubl
from einvoice.samplegen.variants import swap_digits

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
ALL = samples()


def _ids(items: list[Sample]) -> list[str]:
    return [s.path for s in items]


# --- determinism ------------------------------------------------------------


def test_two_runs_give_identical_bytes(tmp_path: Path) -> None:
    first = catalogue.write_samples(tmp_path / "a")
    second = catalogue.write_samples(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def _clock(year: int) -> type[datetime]:
    class FrozenClock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> FrozenClock:
            return cls(year, 6, 1, 8, 30, 15, tzinfo=tz)

    return FrozenClock


def test_pdf_does_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """factur-x stamps the current time; the generator must hide it."""
    import facturx.facturx as fx_module

    inv = example(2, 3)
    outputs = []
    for year in (2001, 2039):
        monkeypatch.setattr(fx_module, "datetime", _clock(year))
        outputs.append(to_zugferd_pdf(inv))
    assert outputs[0] == outputs[1]
    assert b"2001" not in outputs[0] and b"2039" not in outputs[0]


def test_fix_timestamps_refuses_unknown_layouts() -> None:
    with pytest.raises(RuntimeError):
        fix_timestamps(b"%PDF-1.7 no dates here", datetime(2025, 1, 1))


# --- committed files --------------------------------------------------------


@pytest.mark.parametrize("sample", ALL, ids=_ids(ALL))
def test_committed_sample_is_what_the_generator_writes(sample: Sample) -> None:
    path = SAMPLES / sample.path
    assert path.is_file(), f"{path} missing: run python -m einvoice.samplegen samples"
    assert path.read_bytes() == sample.build(), f"{path} is stale: regenerate the samples"


def test_committed_readme_is_current() -> None:
    expected = catalogue.readme(ALL).encode("utf-8")
    assert (SAMPLES / catalogue.README).read_bytes() == expected


def test_no_stray_files_in_samples() -> None:
    present = {p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*") if p.is_file()}
    # routing.toml is the hand-written routing configuration of the demo city
    assert present == {s.path for s in ALL} | {catalogue.README, "routing.toml"}


# --- verdicts ---------------------------------------------------------------


@pytest.mark.parametrize("sample", ALL, ids=_ids(ALL))
def test_sample_gets_its_verdict(sample: Sample) -> None:
    report = einvoice.validate(sample.build(), name=sample.path)
    assert report.recommendation is Recommendation(sample.recommendation)
    found = {(f.rule, f.severity.value) for f in report.findings}
    if sample.rule is None:
        assert report.errors == [], [(f.rule, f.message_en) for f in report.errors]
        assert report.findings == [], found
    else:
        assert (sample.rule, sample.severity) in found
        # The variant breaks one thing: no other error besides the intended one.
        others = {f.rule for f in report.errors} - {sample.rule}
        assert others == set()


def test_large_invoice_is_accepted() -> None:
    inv = example(n_lines=1000, seed=1)
    for data in (to_ubl(inv), to_cii(inv)):
        report = einvoice.validate(data, name="large")
        assert report.recommendation is Recommendation.ACCEPT
        assert not [f for f in report.findings if f.severity is Severity.ERROR]


# --- arithmetic -------------------------------------------------------------


def test_line_net_amount_rounds_half_up() -> None:
    line = InvoiceLine("1", "x", Decimal(3), "H87", Decimal("0.335"), Decimal(19))
    assert line.net_amount == Decimal("1.01")  # 1.005 -> 1.01 (half-even would give 1.00)


def test_vat_rounds_half_up_per_category() -> None:
    line = InvoiceLine("1", "Buch", Decimal(1), "H87", Decimal("1.50"), Decimal(7))
    inv = dataclasses.replace(example(2, 0), lines=(line,))
    (group,) = inv.vat_breakdown()
    assert group.tax_amount == Decimal("0.11")  # 0.105 -> 0.11 (half-even: 0.10)


@pytest.mark.parametrize(("n_lines", "seed"), [(1, 0), (3, 1), (5, 2), (40, 3), (5000, 0)])
def test_totals_add_up(n_lines: int, seed: int) -> None:
    inv = example(n_lines, seed)
    assert len(inv.lines) == n_lines
    assert len({line.line_id for line in inv.lines}) == n_lines
    for line in inv.lines:
        assert isinstance(line.net_amount, Decimal)
        assert line.net_amount == money(line.quantity * line.net_price)
    assert inv.line_total == sum((line.net_amount for line in inv.lines), Decimal(0))
    breakdown = inv.vat_breakdown()
    assert sum((b.taxable_amount for b in breakdown), Decimal(0)) == inv.line_total
    for b in breakdown:
        assert b.tax_amount == money(b.taxable_amount * b.rate / 100)
        assert b.tax_amount.as_tuple().exponent == -2
    assert inv.tax_total == sum((b.tax_amount for b in breakdown), Decimal(0))
    assert inv.tax_inclusive_total == inv.tax_exclusive_total + inv.tax_total
    assert inv.payable_amount == inv.tax_inclusive_total


def test_written_totals_equal_the_computed_ones() -> None:
    inv = example(7, 1)
    ubl_root = etree.fromstring(to_ubl(inv))
    cii_root = etree.fromstring(to_cii(inv))
    assert ubl_root.findtext(f".//{{{CBC}}}PayableAmount") == f"{inv.payable_amount:.2f}"
    assert cii_root.findtext(f".//{{{CII_RAM}}}DuePayableAmount") == f"{inv.payable_amount:.2f}"
    assert cii_root.findtext(f".//{{{CII_RAM}}}TaxTotalAmount") == f"{inv.tax_total:.2f}"


def test_examples_are_deterministic_and_varied() -> None:
    assert example(5, 2) == example(5, 2)
    assert example(5, 0).seller != example(5, 1).seller
    rates = {line.vat_rate for line in example(5, 0).lines}
    assert rates == {Decimal(7), Decimal(19)}


def test_example_needs_a_line() -> None:
    with pytest.raises(ValueError):
        example(0)


# --- identifiers ------------------------------------------------------------


def test_leitweg_id_check_digits() -> None:
    assert leitweg_id("04011000", "1234512345") == "04011000-1234512345-06"
    assert leitweg_id("992", "90009") == "992-90009-96"
    assert is_valid_leitweg_id("09564000-NUE0001-49")
    assert not is_valid_leitweg_id("04011000-1234512345-07")
    assert is_valid_leitweg_id(example().buyer_reference or "")


def test_iban_check_digits() -> None:
    assert iban("DE", "370400440532013000") == "DE89370400440532013000"
    assert is_valid_iban("DE89 3704 0044 0532 0130 00")
    for seed in range(4):
        value = example(1, seed).iban
        assert is_valid_iban(value)
        assert not is_valid_iban(swap_digits(value))


def test_german_vat_id_has_nine_digits() -> None:
    vat = german_vat_id("81234567")
    assert vat.startswith("DE") and len(vat) == 11 and vat[2:].isdigit()
