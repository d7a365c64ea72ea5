"""The operations page (/betrieb) speaks German: state labels, Berlin times, German numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from einvoice.services.accounts import Role
from einvoice.storage.tables import SourcePoll
from tests.helpers import ROOT
from tests.integration.web import account, csrf_of, login, make_app

SAMPLES = ROOT / "samples"


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_operations_page_in_german(tmp_path: Path) -> None:
    """Issue 14: English state names and raw UTC ISO timestamps on the operations page."""
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    account(container, "betrieb.admin", Role.ADMIN)
    supplier = login(application, "lieferant")
    for name in ("xrechnung-ubl.xml", "invalid/ubl-ohne-leitweg-id.xml"):
        page = supplier.get("/einreichen")
        supplier.post(
            "/einreichen",
            data={"csrf_token": csrf_of(page.text)},
            files={"file": (name, (SAMPLES / name).read_bytes(), "application/xml")},
        )
    with container.sessions() as session:
        session.add(
            SourcePoll(
                source="imap:rechnungen",
                polled_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
                fetched=3,
                error="Anmeldung fehlgeschlagen: Passwort falsch",
                cause="login",
                failures=2,
                failing_since=datetime(2026, 7, 1, 6, 5, tzinfo=UTC),
            )
        )
        session.commit()
    admin = login(application, "betrieb.admin")
    response = admin.get("/betrieb")
    assert response.status_code == 200
    text = _visible(response.text)
    assert "02.12.2026 00:30" in text  # 23:30 UTC is half past midnight in Berlin (winter)
    assert "seit 01.07.2026 08:05" in text  # summer time: UTC+2
    assert "2026-12-01T" not in text and "+00:00" not in text
    states = text.split("Zustände", 1)[1]
    assert "Nachrichten: zerlegt: 2" in states and "geprüft: 2" in states
    for english in ("split", "processed", "received", "stored", "failed", "pending"):
        assert not re.search(rf"\b{english}\b", states), english
