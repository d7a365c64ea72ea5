"""A NUL or other control character in any text input is a German 400, never a 500
(issue 21, finding 5: ``/eingang?q=%00`` and a login name with ``\\x00`` gave 500 on
PostgreSQL). One app-wide check (einvoice/web/text_input.py) for pages and API."""

from __future__ import annotations

from pathlib import Path

import pytest

from einvoice.services.accounts import Role
from tests.integration.web import account, client, csrf_of, login, make_app

pytestmark = pytest.mark.usefixtures("database_url")


@pytest.fixture
def app(tmp_path: Path, database_url: str | None) -> object:
    application, container = make_app(tmp_path, database_url)
    account(container, "clerk", Role.CLERK, department="amt-10")
    yield application
    container.engine.dispose()


def test_nul_in_a_search_without_login_is_a_german_400(app: object) -> None:
    anonymous = client(app)
    answer = anonymous.get("/eingang?q=%00", headers={"accept": "text/html"})
    assert answer.status_code == 400, answer.text[:300]
    assert "Steuerzeichen" in answer.text and "Suche" in answer.text


def test_nul_in_a_search_of_a_signed_in_clerk_is_a_german_400(app: object) -> None:
    clerk = login(app, "clerk")
    for query in ("q=%00", "q=abc%00def", "q=%1b%5b31m", "seite=1&q=%7f"):
        answer = clerk.get(f"/eingang?{query}", headers={"accept": "text/html"})
        assert answer.status_code == 400, (query, answer.text[:300])
        assert "Steuerzeichen" in answer.text
    assert clerk.get("/eingang?q=M%C3%BCller%09GmbH").status_code == 200  # tab and umlaut: fine


def test_nul_in_the_login_name_is_a_german_400(app: object) -> None:
    browser = client(app)
    token = csrf_of(browser.get("/login").text)
    answer = browser.post(
        "/login",
        data={"username": "cl\x00erk", "password": "x", "csrf_token": token},
        headers={"accept": "text/html"},
    )
    assert answer.status_code == 400, answer.text[:300]
    assert "Steuerzeichen" in answer.text and "Benutzername" in answer.text


def test_api_answers_json_in_german_for_query_and_json_body(app: object) -> None:
    clerk = login(app, "clerk")
    answer = clerk.get("/api/invoices?status=%00")
    assert answer.status_code == 400
    assert "Steuerzeichen" in answer.json()["detail"]
    csrf = clerk.get("/api/csrf").json()["csrf_token"]
    answer = clerk.post(
        "/api/invoices/1/actions",
        json={"action": "comment", "comment": "a\x00b"},
        headers={"x-csrf-token": csrf},
    )
    assert answer.status_code == 400, answer.text
    assert "Kommentar" in answer.json()["detail"]
