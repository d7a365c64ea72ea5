"""The Stabsstelle's dashboard over HTTP: German numbers in the portfolio table."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from einvoice.services.accounts import Role
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
