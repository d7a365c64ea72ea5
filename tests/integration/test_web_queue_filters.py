"""Queue filters a clerk can trust (issue 25, finding 8): a search that only finds closed
invoices says so and links to "alle"; a wrong amount keeps the other filters and names the
field; the counts say which cover the office and which the selection."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from einvoice.samplegen.ubl import to_ubl
from einvoice.services.accounts import Role
from tests.integration.web import account, csrf_of, login, make_app
from tests.integration.workflow_setup import sample


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _upload(c: Any, name: str, data: bytes) -> None:
    page = c.get("/einreichen")
    response = c.post(
        "/einreichen", data={"csrf_token": csrf_of(page.text)}, files={"file": (name, data)}
    )
    assert response.status_code == 303, response.text


def test_search_finding_only_closed_invoices_says_so_and_links_to_all(tmp_path: Path) -> None:
    # Tried: searching "4.323,60" in the default view answered "Keine Rechnungen für diese
    # Auswahl" with no hint that the invoice is closed and "alle" would find it.
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    _upload(login(application, "hansen"), "q.xml", to_ubl(sample(0, number="Q-ZU", skonto=())))
    clerk = login(application, "a10.becker")
    queue = clerk.get("/eingang").text
    (invoice_id,) = re.findall(r'<a href="/rechnungen/(\d+)">Q-ZU</a>', queue)
    amount = re.search(r'<td class="num">([^<]+)</td>', queue)
    assert amount is not None
    german = amount.group(1).replace("\xa0€", "").replace("&nbsp;€", "").strip()
    response = clerk.post(
        f"/rechnungen/{invoice_id}/aktion",
        data={"action": "reject", "comment": "Keine Bestellung.", "confirmed": "1",
              "csrf_token": csrf_of(clerk.get(f"/rechnungen/{invoice_id}").text)},
    )  # fmt: skip
    assert response.status_code in (200, 303), response.text

    found = _text(clerk.get("/eingang", params={"q": german}).text)
    assert "Keine offenen Rechnungen für diese Auswahl" in found
    assert "1 abgeschlossene Rechnung passt dazu" in found, found
    link = re.search(
        r'href="(/eingang\?[^"]*status=alle[^"]*)"',
        clerk.get("/eingang", params={"q": german}).text,
    )
    assert link is not None
    everything = clerk.get(link.group(1).replace("&amp;", "&")).text
    assert ">Q-ZU</a>" in everything
    nothing = _text(clerk.get("/eingang", params={"q": "gibt-es-nicht-4711"}).text)
    assert "abgeschlossene" not in nothing


def test_wrong_amount_keeps_the_filters_and_names_the_field(tmp_path: Path) -> None:
    # Tried: min_amount=abc gave a full 422 page and lost the filters.
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    clerk = login(application, "a10.becker")
    response = clerk.get("/eingang", params={"min_amount": "abc", "q": "Hansen", "held": "1"})
    assert response.status_code == 200
    html = response.text
    assert "„Betrag ab“: „abc“ ist kein Betrag (Beispiel: 1.234,56)." in html
    assert 'aria-invalid="true" aria-describedby="min-error"' in html
    assert 'value="Hansen"' in html and '<option value="1" selected>' in html
    not_a_number = clerk.get("/eingang", params={"max_amount": "NaN"})
    assert not_a_number.status_code == 200
    assert "„Betrag bis“: „NaN“ ist kein Betrag" in not_a_number.text


def test_counts_say_what_they_count(tmp_path: Path) -> None:
    # Tried: the count tiles mixed office-wide counts with counts of the current selection.
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    html = _text(login(application, "a10.becker").get("/eingang").text)
    assert "Im Amt, alle Rechnungen nach Status" in html
    assert "In dieser Auswahl" in html
