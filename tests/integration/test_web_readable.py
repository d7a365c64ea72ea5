"""Issue 14 on the running app (HTTP): names instead of keys and ids, German forms of
quarters, IBANs and batch labels. Each test failed before its change."""

from __future__ import annotations

import re
from pathlib import Path

from einvoice.services.accounts import Role
from tests.integration.web import account, login, make_app


def _cells(html: str, username: str) -> str:
    """The table row of ``username`` on the accounts page, tags removed."""
    row = re.search(rf"<tr>\s*<td>{re.escape(username)}.*?</tr>", html, re.S)
    assert row, f"no row for {username}"
    return re.sub(r"<[^>]+>", " ", row.group(0))


def test_accounts_page_shows_the_office_name_not_only_its_key(tmp_path: Path) -> None:
    # Seen on the demo: the Amt column read "amt-10".
    application, container = make_app(tmp_path)
    account(container, "admin", Role.ADMIN)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    page = login(application, "admin").get("/verwaltung/zugaenge")
    assert page.status_code == 200
    row = _cells(page.text, "a10.becker")
    assert "Amt 10 – Hauptamt" in row
    assert "(amt-10)" in row  # the key stays, as secondary text
    # the Amt is chosen by its name; the key is what the form sends
    assert '<option value="amt-10" selected>Amt 10 – Hauptamt</option>' in page.text
