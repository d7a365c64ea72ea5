"""`einvoice render` as a user runs it: German messages, exit codes, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import einvoice.cli.render  # noqa: F401  (registers the command until the lead wires it in)
from einvoice.cli.app import app
from einvoice.presentation.render import pdf
from tests.helpers import ROOT

SAMPLE = ROOT / "samples" / "xrechnung-ubl.xml"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["render", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_html_to_stdout() -> None:
    code, out, err = _run(str(SAMPLE))
    assert code == 0, err
    assert out.startswith("<!doctype html>")
    assert "Rechnung Nr. BH-2025-01001" in out


def test_html_to_file_with_title(tmp_path: Path) -> None:
    target = tmp_path / "rechnung.html"
    code, out, err = _run(
        "--format", "html", "--title", "Prüfansicht", "-o", str(target), str(SAMPLE)
    )
    assert code == 0, err
    assert out == ""
    assert "<title>Prüfansicht</title>" in target.read_text(encoding="utf-8")


def test_zugferd_pdf_is_read_through_its_embedded_xml() -> None:
    code, out, err = _run(str(ROOT / "samples" / "zugferd-en16931.pdf"))
    assert code == 0, err
    assert "DW-01052" in out


def test_missing_file_exits_2_in_german() -> None:
    code, out, err = _run("gibt-es-nicht.xml")
    assert code == 2
    assert "Datei nicht gefunden: gibt-es-nicht.xml" in err
    assert out == "" and "Traceback" not in err


def test_unreadable_invoice_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "kaputt.xml"
    bad.write_text("<kein>Rechnung</kein>", encoding="utf-8")
    code, out, err = _run(str(bad))
    assert code == 1
    assert err.startswith("Keine lesbare Rechnung:")
    assert out == ""


def test_pdf_without_chromium_exits_2_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "CHROMIUM_CANDIDATES", (str(tmp_path / "kein-chromium"),))
    code, _, err = _run("--format", "pdf", "-o", str(tmp_path / "r.pdf"), str(SAMPLE))
    assert code == 2
    assert "Chromium" in err and "nicht gefunden" in err and "--format html" in err
    assert not (tmp_path / "r.pdf").exists()


def test_unwritable_target_exits_2(tmp_path: Path) -> None:
    code, _, err = _run("-o", str(tmp_path / "fehlt" / "r.html"), str(SAMPLE))
    assert code == 2
    assert "Datei kann nicht geschrieben werden" in err
