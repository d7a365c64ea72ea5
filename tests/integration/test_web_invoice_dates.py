"""One truth for every date on the invoice page (issue 25, finding 4): the summary said
"Skonto bis 03.11.2025" (moved past Reformationstag, a holiday in Thüringen), the rendered
invoice below said "Skontofrist am 31.10.2025 abgelaufen" and "Zahlung bis 31.10.2025"."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from einvoice.formats.extract import extract
from einvoice.presentation.render import render_html
from einvoice.presentation.render.view import skonto_state
from einvoice.samplegen.spec import Skonto
from einvoice.samplegen.ubl import to_ubl
from einvoice.services.accounts import Role
from tests.integration.web import account, csrf_of, login, make_app
from tests.integration.workflow_setup import sample

REFORMATION_DAY = date(2025, 10, 31)  # a Friday, a holiday in Thüringen


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_invoice_page_shows_the_moved_skonto_day_everywhere(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    invoice = sample(
        0,
        number="SK-REF",
        issue_date=date(2025, 10, 17),
        due_date=date(2025, 11, 14),
        skonto=(Skonto(14, Decimal("2.00")),),
    )
    supplier = login(application, "hansen")
    form = supplier.get("/einreichen")
    sent = supplier.post(
        "/einreichen",
        data={"csrf_token": csrf_of(form.text)},
        files={"file": ("sk.xml", to_ubl(invoice))},
    )
    assert sent.status_code == 303, sent.text
    clerk = login(application, "a10.becker")
    queue = clerk.get("/eingang").text
    (invoice_id,) = re.findall(r'<a href="/rechnungen/(\d+)">SK-REF</a>', queue)
    page = _text(clerk.get(f"/rechnungen/{invoice_id}").text)
    assert "31.10.2025" in page  # the nominal day is named, with the reason it moved
    assert "Fristende 31.10.2025 ist ein Feiertag (Reformationstag)" in page
    # every statement of the Skonto day names the moved day, never the nominal one as the end
    assert "Skontofrist am 31.10.2025" not in page
    assert "Skontofrist am 03.11.2025 abgelaufen" in page
    assert re.search(r"Zahlung bis 03\.11\.2025|03\.11\.2025 14 Tage", page), page


def test_skonto_open_on_the_moved_day_and_expired_after_it() -> None:
    model = extract(
        to_ubl(sample(0, issue_date=date(2025, 10, 17), skonto=(Skonto(14, Decimal("2")),))),
        "sk.xml",
    )

    def shift(day: date) -> tuple[date, str | None]:
        return (date(2025, 11, 3), "verschoben") if day == REFORMATION_DAY else (day, None)

    offers = model.skonto_offers()
    assert [o.deadline for o in offers] == [REFORMATION_DAY]
    assert skonto_state(offers, date(2025, 11, 3), shift).kind == "open"
    assert skonto_state(offers, date(2025, 11, 4), shift).kind == "expired"
    assert skonto_state(offers, date(2025, 11, 3)).kind == "expired"  # no calendar: nominal
    html = _text(render_html(model, embed=True, today=date(2025, 11, 3), deadline_shift=shift))
    assert "Skonto möglich bis 03.11.2025" in html and "verschoben" in html
