"""No login names or user-agent strings shown to people, no internal format keys (issue 25,
finding 11): tried, the invoice page said "Eingereicht von Portalkonto lieferant" and
"Syntax ubl-invoice", and "Mein Zugang" listed raw browser strings."""

from __future__ import annotations

import re
from pathlib import Path

from einvoice.samplegen.ubl import to_ubl
from einvoice.services.accounts import Role, create_account
from einvoice.web.templating import device_de
from tests.integration.web import PASSWORD, account, csrf_of, login, make_app
from tests.integration.workflow_setup import sample

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_invoice_page_names_the_person_and_the_format(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    create_account(
        container.sessions, "k.meier@hansen.example", PASSWORD, Role.SUPPLIER, "Klaus Meier",
        organisation="Bürobedarf Hansen GmbH",
    )  # fmt: skip
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    supplier = login(application, "k.meier@hansen.example")
    form = supplier.get("/einreichen")
    sent = supplier.post(
        "/einreichen",
        data={"csrf_token": csrf_of(form.text)},
        files={"file": ("r.xml", to_ubl(sample(0, number="PW-1")))},
    )
    assert sent.status_code == 303, sent.text
    clerk = login(application, "a10.becker")
    (invoice_id,) = re.findall(r'<a href="/rechnungen/(\d+)">PW-1</a>', clerk.get("/eingang").text)
    page = _text(clerk.get(f"/rechnungen/{invoice_id}").text)
    assert "Klaus Meier über das Lieferantenportal" in page
    assert "Portalkonto k.meier" not in page
    assert "ubl-invoice" not in page and "Format UBL-Rechnung (XML)" in page


def test_sessions_show_the_browser_not_its_user_agent(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    page = login(application, "a10.becker").get("/konto").text  # the test client's agent
    assert "<td>unbekannter Browser</td>" in page  # was the raw user-agent string
    assert device_de(FIREFOX_WINDOWS) == "Firefox unter Windows"
    chrome_mac = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Safari/537.36"
    )
    assert device_de(chrome_mac) == "Chrome unter macOS"
    assert device_de("curl/8.5") == "unbekannter Browser" and device_de("") == "–"
