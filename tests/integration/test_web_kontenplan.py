"""The chart of accounts import for creditor accounting: web page and CLI (issue 24).
Bad input: a German answer naming file, line and column; nothing half-imported."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from einvoice.services.accounts import Role
from einvoice.storage.kontierung_tables import BuchungsstelleRow
from tests.integration.web import account, csrf_of, login, make_app

GOOD = (
    "produkt;sachkonto;kostenstelle;bezeichnung;aemter;bga\n"
    "11.1.01.01;5431000;1000;Geschäftsaufwand;amt-10;nein\n"
    "11.1.01.01;5271000;1000;Bürobedarf;amt-10;nein\n"
)
BAD = GOOD + "11.1.01.01;5211000;1000;Unterhaltung;amt-10;vielleicht\n"


def _count(container: object) -> int:
    with container.sessions() as session:  # type: ignore[attr-defined]
        return session.scalar(select(func.count()).select_from(BuchungsstelleRow)) or 0


def test_web_import_by_creditor_accounting_only(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    clerk = login(application, "a10.becker")
    assert clerk.get("/kontenplan").status_code == 403
    kb = login(application, "kb.krause")
    token = csrf_of(kb.get("/kontenplan").text)
    bad = kb.post(
        "/kontenplan/einlesen",
        data={"csrf_token": token},
        files={"file": ("kontenplan.csv", BAD.encode(), "text/csv")},
    )
    assert bad.status_code == 400
    assert "kontenplan.csv, Zeile 4, Spalte „bga“: „vielleicht“: erwartet ja oder nein" in bad.text
    assert "Es wurde nichts übernommen" in bad.text and _count(container) == 0
    good = kb.post(
        "/kontenplan/einlesen",
        data={"csrf_token": token},
        files={"file": ("kontenplan.csv", GOOD.encode(), "text/csv")},
    )
    assert good.status_code == 200 and "2 Buchungsstellen neu" in good.text
    assert _count(container) == 2
    assert "11.1.01.01/5271000/1000" in kb.get("/kontenplan?q=5271").text


def test_cli_import_says_what_is_wrong_in_german(tmp_path: Path) -> None:
    import einvoice.cli  # noqa: F401  (registers the commands)
    from einvoice.cli.app import app as cli

    _, container = make_app(tmp_path)
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    bad = tmp_path / "kontenplan.csv"
    bad.write_text(BAD, encoding="utf-8")
    refused = CliRunner().invoke(cli, ["kontenplan", "import", str(bad), "--as", "kb.krause"])
    assert refused.exit_code == 1
    assert "Zeile 4, Spalte „bga“" in refused.output and "Traceback" not in refused.output
    assert _count(container) == 0
    mapping = tmp_path / "spalten.toml"
    mapping.write_text('[spalten]\nbezeichnung = "Name"\n', encoding="utf-8")
    good = tmp_path / "kontenplan2.csv"
    good.write_text(GOOD.replace("bezeichnung", "Name"), encoding="utf-8")
    done = CliRunner().invoke(
        cli, ["kontenplan", "import", str(good), "--as", "kb.krause", "--spalten", str(mapping)]
    )
    assert done.exit_code == 0, done.output
    assert "2 Buchungsstellen neu" in done.output and _count(container) == 2
