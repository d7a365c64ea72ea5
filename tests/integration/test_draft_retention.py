"""Retention of the Weberfassung's drafts on a real database (SQLite and PostgreSQL): what
goes, what never goes (the correction of a returned invoice still open, a draft changed
recently), the security log entry, and what the supplier's drafts page says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from einvoice.bootstrap import Container
from einvoice.domain.retention import DraftPeriods
from einvoice.services import draft_retention, workflow
from einvoice.services import invoice_entry as entry
from einvoice.services import invoice_entry_submit as entry_submit
from einvoice.services.accounts import Role
from einvoice.services.security_log import Kind, events
from einvoice.storage.accounts import Account
from einvoice.storage.entry_tables import InvoiceDraftAttachmentRow, InvoiceDraftRow
from einvoice.storage.tables import Document, Invoice, Message
from tests.integration.web import account
from tests.integration.workflow_setup import Setup, setup

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
PERIODS = DraftPeriods(180, 30)
AMT_10 = "04011000-12345-03"  # samples/routing.toml: Amt 10
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _lines(number: str) -> dict[str, str]:
    """A two-line invoice to Amt 10 with Skonto (the seller is prefilled)."""
    return {
        "nummer": number,
        "leitweg_id": AMT_10,
        "lieferdatum": "2025-12-30",
        "kontakt_telefon": "0421 123456",
        "zeile-1-beschreibung": "Druckerpapier A4, 500 Blatt",
        "zeile-1-menge": "10",
        "zeile-1-einheit": "H87",
        "zeile-1-preis": "4,50",
        "zeile-1-ust": "S:19",
        "zeile-2-beschreibung": "Lieferung",
        "zeile-2-menge": "1",
        "zeile-2-einheit": "LS",
        "zeile-2-preis": "12,00",
        "zeile-2-ust": "S:19",
        "skonto_tage": "14",
        "skonto_prozent": "2,00",
    }


def _world(container: Container) -> tuple[Setup, int]:
    s = setup(container, now=T0)
    account(container, "hansen", Role.SUPPLIER, organisation="Hansen", email="r@hansen.example")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "betrieb", Role.ADMIN)
    with container.sessions() as session:
        supplier = session.scalars(select(Account.id).where(Account.username == "hansen")).one()
    return s, supplier


def _typed(s: Setup, supplier: int, number: str) -> int:
    draft_id = entry.create(s.pipeline, supplier, "380")
    shown = entry.draft(s.pipeline, supplier, draft_id)
    entry.save(s.pipeline, supplier, draft_id, shown.values | _lines(number))
    return draft_id


def _submitted(s: Setup, supplier: int, draft_id: int) -> int:
    """Submit the draft and route its invoice: the invoice id."""
    found: list[int] = []

    def route(invoice_id: int) -> None:
        workflow.route(s.pipeline, invoice_id)
        found.append(invoice_id)

    done = entry_submit.submit(s.pipeline, supplier, draft_id, route)
    assert isinstance(done, entry_submit.Submitted), done
    return found[0]


def _left(container: Container) -> set[int]:
    with container.sessions() as session:
        return set(session.scalars(select(InvoiceDraftRow.id)))


def test_drafts_go_when_no_longer_needed_and_never_before(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    s, supplier = _world(container)
    untouched = _typed(s, supplier, "ALT-1")
    entry_submit.add_attachment(
        s.pipeline, supplier, untouched, "Stundenzettel.pdf", PDF, "Stunden", 20 * 1024 * 1024
    )
    changed = _typed(s, supplier, "ALT-2")
    sent = _typed(s, supplier, "GESENDET-1")
    _submitted(s, supplier, sent)
    returned_draft = _typed(s, supplier, "ZURUECK-1")
    returned = _submitted(s, supplier, returned_draft)
    workflow.act(s.pipeline, returned, "return_to_supplier", "a10.becker", "Bestellnummer fehlt")
    correction = entry.create_correction(s.pipeline, supplier, returned)
    with container.sessions() as session:
        sent_row = session.get(InvoiceDraftRow, sent)
        assert sent_row is not None and sent_row.message_id is not None
        sent_raw = session.get(Message, sent_row.message_id).raw_sha256  # type: ignore[union-attr]

    s.clock.now = T0 + 100 * DAY  # the supplier comes back to one of them
    entry.save(s.pipeline, supplier, changed, entry.draft(s.pipeline, supplier, changed).values)
    assert not draft_retention.plan(s.pipeline, T0 + 29 * DAY, PERIODS).due  # nothing yet

    s.clock.now = now = T0 + 181 * DAY
    planned = draft_retention.plan(s.pipeline, now, PERIODS)
    assert {i.draft_id for i in planned.due} == {untouched, sent, returned_draft}
    assert (planned.count("untouched"), planned.count("submitted")) == (1, 2)
    assert planned.attachments == 1 and planned.attachment_bytes == len(PDF)
    assert [i.draft_id for i in planned.needed] == [correction]  # 181 days, but still needed
    assert planned.summary_de(PERIODS) == (
        "Entwürfe der Weberfassung: 3 Entwürfe fällig zur Löschung (1 seit mehr als 180 "
        "Tagen nicht geändert, 2 eingereicht vor mehr als 30 Tagen) mit 1 Anlage (1 kB); "
        "1 Entwurf länger behalten, weil noch gebraucht."
    )

    # the supplier changes the untouched one after the plan: the deletion decides again
    stale = planned
    monkeypatch.setattr(draft_retention, "plan", lambda *args: stale)
    s.clock.now = now - DAY / 2
    entry.save(s.pipeline, supplier, untouched, entry.draft(s.pipeline, supplier, untouched).values)
    result = draft_retention.apply(s.pipeline, now, PERIODS, "betrieb")
    assert (result.deleted, result.kept, result.attachments) == (2, 1, 0)
    monkeypatch.undo()
    assert _left(container) == {untouched, changed, correction}
    with container.sessions() as session:  # the submission itself stays, as the city received it
        assert container.pipeline.blobs.exists(sent_raw)
        assert session.scalar(select(func.count()).select_from(Message)) == 2
        assert session.scalar(select(func.count()).select_from(InvoiceDraftAttachmentRow)) == 1
    logged = events(container.sessions, kind=Kind.DRAFTS_DELETED.value)
    assert len(logged) == 1 and logged[0].account_id == supplier
    assert logged[0].actor == "betrieb" and logged[0].username == "hansen"
    assert logged[0].detail.startswith("2 Entwürfe der Weberfassung gelöscht")
    assert logged[0].label_de == "Entwürfe gelöscht (Aufbewahrung)"

    later = now + 180 * DAY  # the untouched one again, now really untouched; attachment too
    result = draft_retention.apply(s.pipeline, later, PERIODS, "betrieb")
    assert (result.deleted, result.untouched, result.attachments) == (2, 2, 1)
    assert _left(container) == {correction}  # a year and more untouched: still needed
    with container.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InvoiceDraftAttachmentRow)) == 0

    # the supplier finally submits the correction: the returned invoice is replaced, and the
    # correction's own copy goes once its grace time has passed
    s.clock.now = later
    fixed = entry.draft(s.pipeline, supplier, correction).values | {"bestellnummer": "B-4711"}
    entry.save(s.pipeline, supplier, correction, fixed)
    corrected = _submitted(s, supplier, correction)
    assert workflow.invoice_detail(s.pipeline, returned).status == "replaced"
    assert workflow.invoice_detail(s.pipeline, corrected).status == "routed"
    assert not draft_retention.plan(s.pipeline, later + 30 * DAY, PERIODS).due
    final = draft_retention.apply(s.pipeline, later + 31 * DAY, PERIODS, "betrieb")
    assert (final.deleted, final.submitted) == (1, 1) and not _left(container)
    with container.sessions() as session:  # invoices and their originals are untouched
        assert session.scalar(select(func.count()).select_from(Invoice)) == 3
        for sha in session.scalars(select(Document.sha256)):
            assert container.pipeline.blobs.exists(sha)


def test_the_drafts_page_says_how_long_a_draft_is_kept(tmp_path: Any) -> None:
    from tests.integration.web import login, make_app

    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Hansen", email="r@hansen.example")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    s = setup(container, now=datetime.now(UTC), creditors=False)
    with container.sessions() as session:
        supplier = session.scalars(select(Account.id).where(Account.username == "hansen")).one()
    typed = _typed(s, supplier, "SEITE-1")
    returned = _submitted(s, supplier, _typed(s, supplier, "SEITE-2"))
    workflow.act(s.pipeline, returned, "return_to_supplier", "a10.becker", "Bitte Auftrag nennen")
    entry.create_correction(s.pipeline, supplier, returned)
    page = login(application, "hansen").get("/rechnung-erfassen").text
    assert "Einen Entwurf, den Sie 180 Tage nicht ändern, löschen wir mit seinen Anlagen" in page
    assert "Nach dem Einreichen bleibt der Entwurf noch 30 Tage hier" in page
    until = (datetime.now(UTC) + 180 * DAY).astimezone(s.pipeline.workflow.zone)  # type: ignore[union-attr]
    row = page[page.index(f"/rechnung-erfassen/{typed}") :].split("</tr>")[0]
    assert f"bis {until:%d.%m.%Y}, wenn unverändert" in row
    assert "solange die Rechnung offen ist</td>" in page  # the correction
    assert "eingereicht – Prüfbericht" in page and "bis " in page
