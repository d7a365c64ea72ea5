"""The Stabsstelle's dashboard over HTTP: German numbers in the portfolio table."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from einvoice.services.accounts import Role
from einvoice.services.demo_history import seed_pilot_history
from einvoice.services.demo_portfolio import seed_portfolio
from tests.integration.web import account, login, make_app


def test_portfolio_points_are_german_numbers(tmp_path: Path) -> None:
    # Tried on the running demo: the column "Punkte" showed "94.0", "82.2" (the reasons
    # next to it said "94,0 Punkte").
    application, container = make_app(tmp_path)
    seed_portfolio(container.sessions, date.today())
    account(container, "cdo", Role.STABSSTELLE)
    page = login(application, "cdo").get("/stabsstelle")
    assert page.status_code == 200
    table = page.text[page.text.index("<th>Punkte</th>") :]
    points = re.findall(r'<td class="num">([^<]*)</td>', table)
    assert points and all(re.fullmatch(r"\d+,\d", p) for p in points), points


def test_quarters_read_as_german_quarters(tmp_path: Path) -> None:
    # Seen on the demo: the reasons said "2027-Q1 benötigt …" and "(Beginn 2027-Q2)".
    application, container = make_app(tmp_path)
    seed_portfolio(container.sessions, date.today())
    account(container, "cdo", Role.STABSSTELLE)
    page = login(application, "cdo").get("/stabsstelle")
    assert page.status_code == 200
    assert not re.search(r"\d{4}-Q\d", page.text), re.findall(r".{40}\d{4}-Q\d.{20}", page.text)
    assert re.search(r"[1-4]\. Quartal \d{4}", page.text)


def test_each_p90_figure_says_over_which_window(tmp_path: Path) -> None:
    # Seen on the demo: the exit criteria's "90. Perzentil" (last complete weeks) and the
    # tile "(90 %)" (whole period) showed different days without saying why.
    application, container = make_app(tmp_path)
    account(container, "cdo", Role.STABSSTELLE)
    html = login(application, "cdo").get("/stabsstelle").text
    criterion = re.search(r"<tr><td><a [^>]*>[^<]*90\. Perzentil[^<]*</a>.*?</tr>", html, re.S)
    assert criterion, "no p90 row among the exit criteria"
    assert re.search(r"KW \d\d/\d{4} bis KW \d\d/\d{4}", criterion.group(0)), criterion.group(0)
    tile = re.search(r'<div class="tile">(?:(?!</div>).)*90\. Perzentil.*?</div>', html, re.S)
    assert tile, "no p90 tile"
    assert re.search(r"gesamter Zeitraum \d\d\.\d\d\.\d{4} bis \d\d\.\d\d\.\d{4}", tile.group(0))


def _figures(html: str) -> list[str]:
    return re.findall(r'<figure class="chart".*?</figure>', html, re.S)


def _drawn(svg: str) -> int:
    """Marks the SVG draws for a value: bar parts and points titled 'KW 45 – E-Mail: 3',
    horizontal bars (their label carries the full name as a title)."""
    parts = re.findall(r"<(?:rect|circle)[^>]*><title>[^<]*: [^<]*</title>", svg)
    bars = re.findall(r"<title>[^<]*</title></text><rect", svg)
    return len(parts) + len(bars)


def _cells(table: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num">(.*?)</td>', table)]


def test_each_chart_has_its_values_as_a_table(tmp_path: Path) -> None:
    # Tried with a screen reader's view: each chart was an image named by its title, none of
    # its numbers could be read (WCAG 1.1.1).
    application, container = make_app(tmp_path)
    seed_pilot_history(container.pipeline, date.today(), weeks=3)
    account(container, "cdo", Role.STABSSTELLE)
    html = login(application, "cdo").get("/stabsstelle").text
    figures = _figures(html)
    assert len(figures) == 7, len(figures)
    for figure in figures:
        svg = figure[figure.index("<svg") : figure.index("</svg>")]
        title = re.search(r"<title>([^<]*)</title>", svg)
        assert title
        assert "<figcaption>" in figure and "<summary>Werte als Tabelle" in figure
        table = figure[figure.index("<table") : figure.index("</table>")]
        assert f"<caption>{title.group(1)}: Werte</caption>" in table
        assert '<th scope="col">' in table
        cells = _cells(table)
        stacked = "<circle" not in svg and "</title></text><rect" not in svg
        shown = [c for c in cells if c != "–kein Wert" and not (stacked and c == "0")]
        assert _drawn(svg) == len(shown), (title.group(1), cells)
        assert all(re.fullmatch(r"–kein Wert|\d{1,3}(\.\d{3})*(,\d)?", c) for c in cells), cells
    assert "E-Mail (Rechnungen)" in figures[0]


def test_weekly_charts_start_with_the_first_week_with_data(tmp_path: Path) -> None:
    # Tried on the demo: 52 weeks drawn for 10 weeks of pilot data, about 80 % empty.
    application, container = make_app(tmp_path)
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()  # the city's day, as the board's
    seed_pilot_history(container.pipeline, today, weeks=3)
    account(container, "cdo", Role.STABSSTELLE)
    html = login(application, "cdo").get("/stabsstelle").text
    this_week = today.isocalendar()
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    weekly = [svg for svg in svgs if "je Kalenderwoche" in svg or "Woche der Anordnung" in svg]
    assert len(weekly) == 4
    for svg in weekly:  # the x axis: only the weeks since the first with data
        drawn = set(re.findall(r">KW (\d\d)(?: lfd\.)?</text>", svg))
        assert 3 <= len(drawn) <= 5, sorted(drawn)
    figures = _figures(html)
    assert len(figures) == 7
    for figure in figures[:4]:
        rows = re.findall(r'<tr><th scope="row">([^<]*)</th>', figure)
        assert 3 <= len(rows) <= 5, rows  # three weeks back from a day of this week
        assert {f"KW {r[3:5]}" for r in rows} == {
            f"KW {w}" for w in re.findall(r">KW (\d\d)(?: lfd\.)?</text>", figure)
        }
        assert rows[-1] == (
            f"KW {this_week.week:02d}/{this_week.year} (laufend, bis {today:%d.%m.})"
        )
        caption = re.search(r"<figcaption>.*?</figcaption>", figure, re.S)
        assert caption and "ab der ersten Woche mit Daten" in caption.group(0)
        assert f"KW {this_week.week:02d} lfd." in figure
