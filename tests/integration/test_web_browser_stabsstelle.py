"""The Stabsstelle in a real browser: dashboard with a year of data, traced figures,
portfolio, the decision paper; screenshots in tests/artifacts/web/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from einvoice.services.accounts import Role
from einvoice.services.demo_portfolio import seed_portfolio
from tests.integration import cityyear
from tests.integration.browser import chromium, live_server, shot
from tests.integration.web import account, client, login, make_app


def test_dashboard_portfolio_and_paper(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    year = cityyear.generate(invoices=8000, today=date.today())
    cityyear.insert_rows(container.engine, year)
    seed_portfolio(container.sessions, date.today())
    account(container, "cdo", Role.STABSSTELLE)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    # only the Stabsstelle: clerks get 403
    assert login(application, "a10.becker").get("/stabsstelle").status_code == 403
    assert client(application).get("/stabsstelle").status_code == 303
    cdo = login(application, "cdo")
    exported = cdo.get("/stabsstelle/kennzahlen.csv")
    assert exported.status_code == 200 and "Kalenderwoche" in exported.text
    # the city's own files carry the download protections of a supplier's file
    assert exported.headers["x-content-type-options"] == "nosniff"
    assert exported.headers["content-security-policy"].startswith("sandbox")
    assert 'filename="e-rechnung-kennzahlen.csv"' in exported.headers["content-disposition"]
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
        page.goto(base + "/login")
        page.fill("input[name=username]", "cdo")
        page.fill("input[name=password]", "ein-sicheres-Passwort-1")
        page.click("button:has-text('Anmelden')")
        page.wait_for_url("**/stabsstelle")
        assert page.locator("text=Ausstiegskriterien der Testphase").is_visible()
        assert page.locator(".charts svg").count() >= 5
        assert page.locator("text=E-Rechnung").first.is_visible()
        shot(page, "stabsstelle-01-dashboard")
        page.click(".tile a >> nth=0")
        page.wait_for_url("**/stabsstelle/beleg/*")
        assert page.locator("table.list tbody tr").count() > 0
        shot(page, "stabsstelle-02-belege")
    pdf = cdo.get("/stabsstelle/entscheidungsvorlage.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    html = cdo.get("/stabsstelle/entscheidungsvorlage.html")
    assert html.status_code == 200 and "Entscheidungsvorlage" in html.text
    assert html.headers["content-security-policy"].startswith("sandbox")
    assert html.headers["content-disposition"].startswith("attachment;")


LEGEND_GAPS = """
svgs => svgs.map(svg => {
  const texts = [...svg.querySelectorAll(':scope > text')]
    .filter(t => t.getAttribute('font-size') === '11' && t.getAttribute('y') === '30.0');
  const boxes = texts.map(t => {
    const b = t.getBBox();
    return [t.textContent, b.x, b.x + b.width];
  });
  const gaps = [];
  for (let i = 0; i + 1 < boxes.length; i++) {
    // the next item's marker begins 15 units before its text
    gaps.push([boxes[i][0], boxes[i + 1][0], boxes[i + 1][1] - 15 - boxes[i][2]]);
  }
  return gaps;
}).flat()
"""


def test_chart_legends_do_not_overlap(tmp_path: Path) -> None:
    # Seen on the dashboard: the legend 'Annahmequote je Woche' ran into the dashed line
    # and the text of 'Ziel 95 %' next to it.
    from einvoice.services.demo_history import seed_pilot_history

    application, container = make_app(tmp_path)
    seed_pilot_history(container.pipeline, date.today(), weeks=3)
    account(container, "cdo", Role.STABSSTELLE)
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="de-DE")
        page.goto(base + "/login")
        page.fill("input[name=username]", "cdo")
        page.fill("input[name=password]", "ein-sicheres-Passwort-1")
        page.click("button:has-text('Anmelden')")
        page.wait_for_url("**/stabsstelle")
        gaps = page.eval_on_selector_all(".charts svg", LEGEND_GAPS)
    assert any(left == "Annahmequote je Woche" for left, _, _ in gaps), gaps
    assert all(gap >= 2 for _, _, gap in gaps), [g for g in gaps if g[2] < 2]
