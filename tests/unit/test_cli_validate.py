"""`einvoice validate` and `einvoice rules list` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import ROOT, run_cli

SAMPLES = ROOT / "samples"


def test_json_contract_and_exit_code_for_accepted_samples() -> None:
    result = run_cli(
        "validate",
        "--format",
        "json",
        str(SAMPLES / "xrechnung-ubl.xml"),
        str(SAMPLES / "xrechnung-cii.xml"),
        str(SAMPLES / "zugferd-en16931.pdf"),
    )
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    assert [r["recommendation"] for r in reports] == ["accept"] * 3
    keys = {"file", "valid", "recommendation", "syntax", "scenario", "profile", "findings"}
    assert all(keys <= set(r) for r in reports)
    assert [r["syntax"] for r in reports] == ["ubl-invoice", "cii", "cii"]


def test_folder_with_rejections_exits_1_and_reports_every_file() -> None:
    result = run_cli("validate", "--format", "json", str(SAMPLES))
    assert result.returncode == 1
    reports = json.loads(result.stdout)
    assert len(reports) == len(list(SAMPLES.rglob("*.xml")) + list(SAMPLES.rglob("*.pdf")))
    by_name = {Path(r["file"]).name: r for r in reports}
    missing_bt10 = by_name["ubl-ohne-leitweg-id.xml"]
    assert missing_bt10["recommendation"] == "reject"
    finding = next(f for f in missing_bt10["findings"] if f["rule"] == "BR-DE-15")
    assert finding["severity"] == "error" and finding["layer"] == "national"
    assert "BT-10" in finding["message"] and finding["location"]


def test_text_report_is_german_and_names_the_business_term() -> None:
    result = run_cli("validate", str(SAMPLES / "invalid" / "cii-ohne-leitweg-id.xml"))
    assert result.returncode == 1
    assert "ABGELEHNT" in result.stdout
    assert "BT-10 Käuferreferenz" in result.stdout
    assert "[XRechnung nationale Regeln]" in result.stdout


def test_english_on_request() -> None:
    result = run_cli("validate", "--lang", "en", str(SAMPLES / "invalid" / "ubl-summe-falsch.xml"))
    assert "REJECTED" in result.stdout and "BR-CO-15" in result.stdout


def test_html_report_escapes_and_is_complete(tmp_path: Path) -> None:
    out = tmp_path / "bericht.html"
    result = run_cli("validate", "--format", "html", "-o", str(out), str(SAMPLES / "invalid"))
    assert result.returncode == 1
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "BR-DE-15" in html and "abgelehnt" in html


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    missing = run_cli("validate", str(tmp_path / "gibt-es-nicht.xml"))
    assert missing.returncode == 2 and "nicht gefunden" in missing.stderr
    assert "Traceback" not in missing.stderr
    empty = run_cli("validate", str(tmp_path))
    assert empty.returncode == 2 and "Keine Rechnungsdateien" in empty.stderr
    bad = run_cli("validate", "--format", "yaml", str(SAMPLES))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_rule_catalogue_lists_national_and_cen_rules() -> None:
    result = run_cli("rules", "list", "--format", "json")
    assert result.returncode == 0
    rules = {r["rule"]: r for r in json.loads(result.stdout)}
    assert rules["BR-DE-15"]["layer"] == "national" and rules["BR-DE-15"]["severity"] == "error"
    assert rules["BR-DE-19"]["severity"] == "warning"
    assert rules["BR-CO-10"]["layer"] == "en16931"
    assert rules["BR-CL-21"]["overrides"]["standard/cii"] == "warning"
    assert all(r["message_de"] for r in rules.values() if r["layer"] == "national")
