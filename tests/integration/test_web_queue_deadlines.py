"""The clerk's queue names the running deadline in words a clerk reads at a glance.

Tried on the running demo: with "Status: alle" the "Frist" column read "in -597 Tagen" for
invoices long handed to the city treasury and "in 0 Tagen" for one due today."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from einvoice.domain.deadlines import next_business_day
from einvoice.domain.holidays_de import land_holidays
from einvoice.samplegen.ubl import to_ubl
from einvoice.services.accounts import Role
from einvoice.services.workflow_base import now_local
from tests.integration.web import account, csrf_of, login, make_app
from tests.integration.workflow_setup import sample


def _upload(c: Any, name: str, data: bytes) -> None:
    page = c.get("/einreichen")
    response = c.post(
        "/einreichen", data={"csrf_token": csrf_of(page.text)}, files={"file": (name, data)}
    )
    assert response.status_code == 303, response.text


def _frist(html: str, number: str) -> str:
    """The text of the "Frist" cell (the row's last) in the row of invoice ``number``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if f">{number}</a>" in row:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            return re.sub(r"<[^>]+>", "", cells[-1]).strip()
    raise AssertionError(f"{number} is not in the queue")


def _soon(today: date, due: date) -> str:
    """The "Frist" cell of an invoice due on ``due``, moved past weekends and holidays."""
    days = (next_business_day(due, land_holidays()) - today).days
    return {0: "bald: heute", 1: "bald: morgen"}.get(days, f"bald: in {days} Tagen")


def test_frist_column_says_today_tomorrow_and_nothing_for_closed_invoices(
    tmp_path: Path,
) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    today = now_local(container.pipeline).date()
    supplier = login(application, "hansen")
    for number, due in (("F-HEUTE", today), ("F-MORGEN", today + timedelta(days=1))):
        due_soon = sample(0, number=number, issue_date=today, due_date=due, skonto=())
        _upload(supplier, f"{number}.xml", to_ubl(due_soon))
    _upload(supplier, "alt.xml", to_ubl(sample(0, number="F-ALT", skonto=())))
    _upload(supplier, "zurueck.xml", to_ubl(sample(0, number="F-ZURUECK", skonto=())))

    clerk = login(application, "a10.becker")
    queue = clerk.get("/eingang").text
    (returned,) = re.findall(r'<a href="/rechnungen/(\d+)">F-ZURUECK</a>', queue)
    response = clerk.post(
        f"/rechnungen/{returned}/aktion",
        data={
            "action": "return_to_supplier",
            "comment": "Bestellnr.",
            "csrf_token": csrf_of(queue),
        },
    )
    assert response.status_code == 303

    everything = clerk.get("/eingang", params={"status": "alle"}).text
    # a due date on a weekend or holiday moves to the next working day (§ 193 BGB): on a
    # Sunday "today" is due tomorrow, so the expectation follows the Land's calendar
    assert _frist(everything, "F-HEUTE") == _soon(today, today)
    assert _frist(everything, "F-MORGEN") == _soon(today, today + timedelta(days=1))
    overdue = _frist(everything, "F-ALT")
    assert re.fullmatch(r"überschritten \(\d+ Tage\)", overdue), overdue
    # returned to the supplier: nothing runs any more, so no "in -N Tagen"
    assert _frist(everything, "F-ZURUECK") == ""
    assert "in -" not in everything and "in 0 Tagen" not in everything
