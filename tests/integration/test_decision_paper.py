"""The Entscheidungsvorlage: HTML and a PDF printed by the real Chromium, pages as PNG.

The pages land in ``tests/artifacts/paper/`` (git-ignored) to be looked at; the
test checks what can be checked automatically: page count, the German section
titles in the PDF text, inline SVG charts, escaping, nothing loaded from outside.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker

from einvoice.presentation import decision_paper as paper_format
from einvoice.presentation.render.pdf import ChromiumNotFoundError
from einvoice.services import decision_paper, metrics
from einvoice.services.demo_portfolio import ROUTING_OFFICES, seed_portfolio
from einvoice.storage import db
from tests.helpers import ROOT, einvoice_cmd
from tests.integration import cityyear

ARTIFACTS = ROOT / "tests" / "artifacts" / "paper"
CONTEXT = metrics.Context(cityyear.ZONE, ROUTING_OFFICES, frozenset({cityyear.FALLBACK}))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("paper")
    url = f"sqlite:///{folder / 'einvoice.db'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    year = cityyear.generate(seed=11, invoices=8_000)
    cityyear.insert_rows(engine, year)
    seed_portfolio(db.make_session_factory(engine), year.today)
    engine.dispose()
    yield url, folder


@pytest.fixture
def sessions(database: tuple[str, Path]) -> Iterator[sessionmaker[Session]]:
    engine = db.make_engine(database[0])
    yield db.make_session_factory(engine)
    engine.dispose()


def _data(sessions: sessionmaker[Session]) -> paper_format.PaperData:
    return decision_paper.paper_data(
        sessions, cityyear.TODAY, city="Stadt Musterstadt", context=CONTEXT
    )


def test_html_is_standalone_escaped_and_complete(sessions: sessionmaker[Session]) -> None:
    data = _data(sessions)
    html = paper_format.render_html(data)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "entscheidungsvorlage.html").write_text(html, encoding="utf-8")
    for heading in (
        "Beschlussvorschlag",
        "1. Priorisierung der Projekte",
        "2. Kapazität der Ämter",
        "3. E-Rechnung: Stand der Testphase",
        "4. Portfolio im Überblick",
        "Kriterien und Gewichte",
    ):
        assert heading in html
    assert html.count("<svg") == 7  # scores, capacity, 5 pilot charts
    assert "<script" not in html
    external = re.findall(r"(?:src|href)=['\"]?https?://", html)
    assert external == []
    assert "Digitale Antragsbearbeitung Sozialleistungen" in html  # ranked project
    assert "nicht eingeplant" in html and "reserviert" in html
    # quarters and weeks as German readers write them (issue 14), never "2027-Q1", "2026-W45"
    assert not re.search(r"\d{4}-W\d\d", html), re.findall(r".{30}\d{4}-W\d\d", html)
    assert re.search(r"Betrachtet: KW \d\d/\d{4} bis KW \d\d/\d{4}", html)
    assert not re.search(r"\d{4}-Q\d", html), re.findall(r".{30}\d{4}-Q\d", html)
    assert re.search(r"<th class=\"num\">[1-4]\. Quartal \d{4}</th>", html)
    # hostile text from the database is shown as text
    hostile = replace(
        data,
        portfolio=replace(
            data.portfolio,
            projects=tuple(
                replace(p, name="<script>alert(1)</script>") if p.key == "e-rechnung" else p
                for p in data.portfolio.projects
            ),
        ),
    )
    escaped = paper_format.render_html(hostile)
    assert "<script>alert(1)</script>" not in escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in escaped


def test_pdf_pages_as_png(sessions: sessionmaker[Session]) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("SKIPPED LOUDLY - pdftoppm (poppler-utils) is not installed")
    data = _data(sessions)
    pdf = paper_format.render_pdf(data)
    assert pdf.startswith(b"%PDF-")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("seite-*.png"):
        old.unlink()
    target = ARTIFACTS / "entscheidungsvorlage.pdf"
    target.write_bytes(pdf)
    reader = PdfReader(target)
    assert 5 <= len(reader.pages) <= 14
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Entscheidungsvorlage",
        "Beschlussvorschlag",
        "Stand der Testphase",
        "Annahmequote",
        "Seite 1 von",
    ):
        assert expected in text, expected
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(target), str(ARTIFACTS / "seite")],
        check=True,
        timeout=120,
    )
    pages = sorted(ARTIFACTS.glob("seite-*.png"))
    assert len(pages) == len(reader.pages)
    assert all(page.stat().st_size > 10_000 for page in pages)


def test_missing_chromium_is_a_clear_german_error(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(ChromiumNotFoundError, match=r"Entscheidungsvorlage.*Chromium"):
        paper_format.render_pdf(_data(sessions), chromium="/nonexistent/chromium")


def _cli(database: tuple[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    url, folder = database
    env = {**os.environ, "EINVOICE_DATABASE_URL": url, "EINVOICE_DATA_DIR": str(folder / "d")}
    return subprocess.run(
        [*einvoice_cmd(), *args], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env
    )


def test_cli_paper_metrics_and_list(database: tuple[str, Path], tmp_path: Path) -> None:
    day = cityyear.TODAY.isoformat()
    out = tmp_path / "vorlage.html"
    done = _cli(database, "portfolio", "paper", "--out", str(out), "--stichtag", day)
    assert done.returncode == 0, done.stderr
    assert "Entscheidungsvorlage geschrieben" in done.stdout
    assert "Stadt Musterstadt" in out.read_text(encoding="utf-8")
    wrong = _cli(database, "portfolio", "paper", "--out", str(tmp_path / "x.docx"))
    assert wrong.returncode == 2 and ".pdf oder .html" in wrong.stderr
    shown = _cli(
        database,
        "metrics",
        "--format",
        "json",
        "--stichtag",
        day,
        "--csv",
        str(tmp_path / "wochen.csv"),
    )
    assert shown.returncode == 0, shown.stderr
    numbers = json.loads(shown.stdout)
    assert numbers["eingang"] > 5000 and 0 < numbers["annahmequote"] < 1
    assert numbers["ausstiegskriterien"]["ampel"] in ("grün", "gelb", "rot")
    assert (tmp_path / "wochen.csv").read_text(encoding="utf-8").startswith("Kalenderwoche;")
    traced = _cli(
        database, "metrics", "--stichtag", day, "--trace", "rule:BR-DE-15", "--format", "json"
    )
    assert traced.returncode == 0, traced.stderr
    assert len(json.loads(traced.stdout)["rechnungen"]) > 0
    listed = _cli(database, "portfolio", "list", "--stichtag", day)
    assert listed.returncode == 0, listed.stderr
    assert "E-Rechnung" in listed.stdout and "reserviert" in listed.stdout
    again = _cli(database, "portfolio", "seed")
    assert again.returncode == 1 and "bereits Projekte" in again.stderr


def test_paper_of_an_empty_portfolio_without_invoices() -> None:
    from einvoice.domain.pilot_exit import evaluate
    from einvoice.domain.pilot_metrics import compute
    from einvoice.domain.portfolio import Portfolio
    from einvoice.domain.prioritisation import prioritise
    from einvoice.services.portfolio import planning_quarters

    scope = metrics.scope_for(cityyear.TODAY, zone=cityyear.ZONE)
    empty = compute([], scope)
    status = evaluate(empty)
    data = paper_format.PaperData(
        city="Stadt Musterstadt",
        today=cityyear.TODAY,
        portfolio=Portfolio(),
        proposal=prioritise(Portfolio(), planning_quarters(cityyear.TODAY)),
        metrics=empty,
        exit=status,
        thresholds=metrics.ExitThresholds(),
        figures=[],
        charts=dict.fromkeys(
            ("weekly_volume", "accepted_share", "time_to_order", "formats", "rejection_rules"),
            "<svg></svg>",
        ),
    )
    html = paper_format.render_html(data)
    assert "keine zu priorisierenden Projekte" in html
    assert "3. E-Rechnung" not in html  # no pilot project, no pilot section
    assert status.criteria[0].reason == "keine Rechnungen in den letzten 4 Wochen"


def test_every_chart_of_the_paper_has_its_values_in_the_appendix(
    sessions: sessionmaker[Session],
) -> None:
    # The paper's charts were images with a title only (WCAG 1.1.1; the paper is also read
    # on screen): each now links to a table of the same values in the appendix.
    data = _data(sessions)
    html = paper_format.render_html(data)
    appendix = html[html.index("Anhang: Werte der Diagramme") :]
    links = re.findall(r'<a href="#werte-([a-z_]+)">Werte als Tabelle im Anhang</a>', html)
    assert links == [
        "scores",
        "weekly_volume",
        "accepted_share",
        "time_to_order",
        "formats",
        "rejection_rules",
    ]
    for name in links:
        table = re.search(
            rf'<table class="data values" id="werte-{name}">.*?</table>', appendix, re.S
        )
        assert table, name
        caption = re.search(r"<caption>(.*?): Werte</caption>", table.group(0))
        assert caption and f"<title>{caption.group(1)}</title>" in html, name
        rows = re.findall(r'<tr><th scope="row">', table.group(0))
        assert rows, name
    weekly = re.search(r'id="werte-weekly_volume">.*?</table>', appendix, re.S)
    assert weekly
    assert len(re.findall(r'<th scope="row">', weekly.group(0))) == len(
        data.tables["weekly_volume"].rows
    )
    scores = re.search(r'id="werte-scores">.*?</table>', appendix, re.S)
    assert scores and len(re.findall(r'<th scope="row">', scores.group(0))) == len(
        data.proposal.ranked
    )
    assert re.search(r'<td class="num">\d+,\d</td>', scores.group(0))
