"""The accessibility statement follows the BITV 2.0 / ThürGIG pattern (issue 25, finding 10),
and every page title names the city from the configuration (finding 11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration.web import client, make_app


def test_statement_has_status_dates_contact_and_thuringian_enforcement(tmp_path: Path) -> None:
    # Tried: no date of creation or review, the federal Schlichtungsstelle (§ 16 BGG) instead of
    # Thüringen's enforcement procedure and body with address, "weitgehend vereinbar".
    application, _ = make_app(tmp_path)
    page = client(application).get("/barrierefreiheit")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    assert "teilweise vereinbar" in text
    assert "weitgehend" not in text and "§ 16 BGG" not in text
    assert "Erstellt am 06.12.2026" in text
    assert "zuletzt überprüft am" in text
    assert "Durchsetzungsverfahren nach dem ThürGIG" in text
    assert "99096 Erfurt" in text
    assert "barrierefreiheit@stadt.example" in text


def test_review_date_and_body_come_from_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EINVOICE_ACCESSIBILITY_REVIEWED", "2027-03-01")
    monkeypatch.setenv("EINVOICE_ACCESSIBILITY_ENFORCEMENT", "Stelle X|Weg 1|07743 Jena")
    application, _ = make_app(tmp_path)
    page = client(application).get("/barrierefreiheit").text
    assert "01.03.2027" in page
    assert "Stelle X<br>Weg 1<br>07743 Jena" in page


def test_page_titles_name_the_configured_city(tmp_path: Path) -> None:
    # Tried: page titles "– Stadt" while the mails say "Stadt Musterstadt".
    application, _ = make_app(tmp_path)
    title = re.search(r"<title>(.*?)</title>", client(application).get("/login").text)
    assert title is not None
    assert title.group(1).endswith("– Stadt Musterstadt"), title.group(1)
