"""The Weberfassung through the real app (issue 26): drafts, field errors, preview, submit,
holds, the clerk's view and the correction of a returned invoice."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from einvoice.services import holds, workflow
from einvoice.services.accounts import Role
from einvoice.storage.tables import Document, Invoice, Message, Notification
from tests.integration.web import account, client, csrf_of, login, make_app

#: A Leitweg-ID of Amt 10 (samples/routing.toml), whose clerk is a10.becker.
AMT_10 = "04011000-12345-03"
NEW_IBAN = "DE02120300000000202051"  # valid check digits, no creditor's account


def _world(tmp_path: Path, database_url: str | None = None) -> tuple[Any, Any]:
    application, container = make_app(tmp_path, database_url)
    account(
        container,
        "hansen",
        Role.SUPPLIER,
        organisation="Bürobedarf Hansen GmbH",
        email="rechnung@hansen.example",
    )
    account(container, "weber", Role.SUPPLIER, organisation="Weber Bau", email="info@weber.example")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    return application, container


def _new(c: Any, kind: str = "380") -> str:
    page = c.get("/rechnung-erfassen")
    assert page.status_code == 200
    response = c.post(
        "/rechnung-erfassen/neu", data={"csrf_token": csrf_of(page.text), "art": kind}
    )
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    assert re.fullmatch(r"/rechnung-erfassen/\d+", location)
    return location


def _shown(html: str) -> dict[str, str]:
    """The form's values as the page shows them (inputs and selected options)."""
    values = dict(
        re.findall(r'<input id="f-[^"]+" name="([^"]+)" type="[^"]*" value="([^"]*)"', html)
    )
    for name, options in re.findall(
        r'<select id="f-[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    for name, text in re.findall(
        r'<textarea id="f-[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S
    ):
        values[name] = text
    return values


def _filled(c: Any, location: str, **changes: str) -> dict[str, str]:
    """The prefilled form plus a two-line invoice to Amt 10 with Skonto."""
    page = c.get(location)
    values = _shown(page.text) | {
        "csrf_token": csrf_of(page.text),
        "nummer": "WE-2026-1",
        "leitweg_id": AMT_10,
        "lieferdatum": "2026-11-30",
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
    return values | changes


def _post(c: Any, location: str, values: dict[str, str], action: str, **extra: Any) -> Any:
    return c.post(location, data=values | {"aktion": action}, **extra)


def _submit(c: Any, location: str, values: dict[str, str]) -> int:
    response = _post(c, location, values, "einreichen")
    assert response.status_code == 303, re.findall(
        r'class="field-error"[^>]*>([^<]+)', response.text
    )
    found = re.fullmatch(r"/einreichungen/(\d+)", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def _invoice_of(container: Any, message_id: int) -> Invoice:
    with container.sessions() as session:
        invoice = session.scalars(
            select(Invoice)
            .join(Document, Document.id == Invoice.document_id)
            .where(Document.message_id == message_id)
        ).one()
        session.expunge(invoice)
        return invoice


def test_a_draft_survives_logging_out_and_is_nobody_elses(
    tmp_path: Path, database_url: str | None
) -> None:
    application, _ = _world(tmp_path, database_url)
    c = login(application, "hansen")
    location = _new(c)
    prefilled = _shown(c.get(location).text)
    # the seller from the bound creditor, with its verified bank account
    assert prefilled["verkaeufer_name"] == "Bürobedarf Hansen GmbH"
    assert prefilled["verkaeufer_ustid"].startswith("DE") and prefilled["iban"].startswith("DE")
    assert prefilled["art"] == "380" and prefilled["datum"]
    assert prefilled["zahlungsbedingungen"].startswith("Zahlbar innerhalb von 30 Tagen")
    half = _filled(c, location, **{"zeile-2-preis": "zwölf"})  # half done, with a mistake
    saved = _post(c, location, half, "speichern")
    assert saved.status_code == 303 and saved.headers["location"].endswith("?gespeichert=1")
    page = c.get(location)
    logout = c.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert logout.status_code == 303
    assert c.get(location).status_code == 303  # logged out: to the login page

    again = login(application, "hansen")
    shown = _shown(again.get(location).text)
    assert shown["nummer"] == "WE-2026-1" and shown["zeile-2-preis"] == "zwölf"
    assert shown["zeile-1-beschreibung"] == "Druckerpapier A4, 500 Blatt"
    listing = again.get("/rechnung-erfassen").text
    assert "WE-2026-1" in listing and "Entwurf" in listing

    other = login(application, "weber")
    draft_id = location.rsplit("/", 1)[-1]
    assert other.get(location).status_code == 404
    assert other.get(location + "/vorschau").status_code == 404
    assert other.get(location + "/rechnung.xml").status_code == 404
    token = csrf_of(other.get("/rechnung-erfassen").text)
    assert other.post(location, data={"csrf_token": token, "nummer": "X"}).status_code == 404
    assert other.post(location + "/loeschen", data={"csrf_token": token}).status_code == 404
    assert other.post(location + "/einreichen", data={"csrf_token": token}).status_code == 404
    assert "WE-2026-1" not in other.get("/rechnung-erfassen").text
    assert f"/rechnung-erfassen/{draft_id}" not in other.get("/rechnung-erfassen").text
    # staff have no business here
    clerk = login(application, "a10.becker")
    assert clerk.get("/rechnung-erfassen").status_code == 403
    assert clerk.get(location).status_code == 403
    assert _shown(again.get(location).text)["nummer"] == "WE-2026-1"  # untouched


def test_every_post_needs_the_csrf_token(tmp_path: Path) -> None:
    application, _ = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location)
    for token in (None, "falsch"):
        sent = {k: v for k, v in values.items() if k != "csrf_token"}
        if token is not None:
            sent["csrf_token"] = token
        assert _post(c, location, sent, "speichern").status_code == 403
        assert c.post("/rechnung-erfassen/neu", data={"art": "380"} | sent).status_code == 403
        assert c.post(location + "/einreichen", data=sent).status_code == 403
        assert c.post(location + "/loeschen", data=sent).status_code == 403
    assert _shown(c.get(location).text).get("nummer", "") == ""  # nothing was saved
    assert c.get("/rechnung-erfassen").text.count('href="/rechnung-erfassen/') == 1


def test_errors_are_named_per_field_next_to_it_and_in_a_summary(tmp_path: Path) -> None:
    application, _ = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location, nummer="", leitweg_id="", **{"zeile-2-menge": "zwei"})
    response = _post(c, location, values, "vorschau")
    assert response.status_code == 422
    html = response.text
    summary = re.search(r'<section class="error-summary".*?</section>', html, re.S)
    assert summary is not None and 'role="alert"' in summary.group(0)
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0)))
    assert "f-nummer" in links and links["f-nummer"].startswith("Rechnungsnummer")
    assert "f-leitweg_id" in links and "BR-DE-15" in links["f-leitweg_id"]
    assert "f-zeile-2-menge" in links and links["f-zeile-2-menge"].startswith("Zeile 2: Menge")
    # the label once, though the format error's message begins with it too
    assert links["f-zeile-2-menge"].count("Zeile 2: Menge") == 1, links["f-zeile-2-menge"]
    # the focus starts at the summary, without JavaScript
    opening = re.match(r"<section [^>]*>", summary.group(0))
    assert opening is not None and " autofocus" in opening.group(0)
    for field in ("nummer", "leitweg_id", "zeile-2-menge"):
        tag = re.search(rf'<(?:input|select) id="f-{field}"[^>]*>', html)
        assert tag is not None, field
        assert f'aria-describedby="e-{field}' in tag.group(
            0
        ) and 'aria-invalid="true"' in tag.group(0)
        assert re.search(rf'<p class="field-error" id="e-{field}">[^<]+</p>', html), field
    # what was typed stays (the page shows the draft as saved)
    assert _shown(html)["zeile-2-menge"] == "zwei"
    # the same state again by its address (the error state of the accessibility crawl)
    assert c.get(location + "?pruefen=1").text.count('class="field-error"') >= 3
    # einreichen refuses too, with the same errors, and submits nothing
    refused = _post(c, location, values, "einreichen")
    assert refused.status_code == 422 and "f-nummer" in refused.text
    assert "eingereicht – Prüfbericht" not in c.get("/rechnung-erfassen").text


def test_rows_are_added_without_javascript_and_attachments_are_checked(
    tmp_path: Path, database_url: str | None
) -> None:
    application, _ = _world(tmp_path, database_url)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location)
    added = _post(c, location, values, "zeile")
    assert added.status_code == 303 and added.headers["location"].endswith("#zeile-3")
    assert 'id="f-zeile-3-beschreibung"' in c.get(location).text
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attached = _post(
        c,
        location,
        values,
        "anlage",
        files={"anlage": ("Stundenzettel.pdf", pdf, "application/pdf")},
    )
    assert attached.status_code == 303, attached.text
    page = c.get(location).text
    assert "Stundenzettel.pdf" in page
    assert f"({len(pdf)}\xa0Bytes)" in page  # not "(1 KB)" for 45 bytes
    refused = _post(
        c,
        location,
        values,
        "anlage",
        files={"anlage": ("tool.exe", b"MZ\x90\x00", "application/x-msdownload")},
    )
    assert refused.status_code == 400
    assert re.search(
        r'<p class="field-error" id="e-anlage">[^<]*PDF, PNG, JPEG, CSV, XLSX oder ODS',
        refused.text,
    )
    fake = _post(
        c, location, values, "anlage", files={"anlage": ("bild.png", b"GIF89a", "image/png")}
    )
    assert fake.status_code == 400 and "keine PNG-Datei" in fake.text
    xml = c.get(location + "/rechnung.xml")
    assert xml.status_code == 200 and b"<cbc:EmbeddedDocumentBinaryObject" in xml.content
    assert b'filename="Stundenzettel.pdf"' in xml.content
    file_id = re.search(r'/anlagen/(\d+)"', page)
    assert file_id is not None
    assert c.get(f"{location}/anlagen/{file_id.group(1)}").content == pdf
    removed = _post(c, location, values, f"anlage-weg-{file_id.group(1)}")
    assert removed.status_code == 303 and "Stundenzettel.pdf" not in c.get(location).text


def test_a_valid_draft_is_submitted_and_reaches_the_clerk_as_weberfassung(tmp_path: Path) -> None:
    application, container = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location)
    preview = _post(c, location, values, "vorschau")
    assert preview.status_code == 303 and preview.headers["location"].endswith("/vorschau")
    shown = c.get(preview.headers["location"]).text
    assert "würde angenommen" in shown
    totals = re.search(r'<table class="totals">.*?</table>', shown, re.S)
    assert totals is not None  # 45,00 + 12,00 net, 19 % VAT: as the invoice will read
    cells = re.findall(r'<td class="num">(?:<strong>)?([^<]+)<', totals.group(0))
    assert cells == ["57,00\xa0€", "57,00\xa0€", "10,83\xa0€", "67,83\xa0€", "67,83\xa0€"]
    assert "Skonto" in shown  # the clerks' rendering below
    message_id = _submit(c, location, values)
    report = c.get(f"/einreichungen/{message_id}").text
    assert "Angenommen" in report
    with container.sessions() as session:
        message = session.get(Message, message_id)
        assert message is not None and message.channel == "weberfassung"
        user = message.source.split(":")[1]
        assert message.source == f"upload:{user}:WE-2026-1.xml"
    assert "WE-2026-1" in c.get("/meine-rechnungen").text
    listing = c.get("/rechnung-erfassen").text
    assert f'href="/einreichungen/{message_id}"' in listing
    # the draft is closed; the supplier keeps the XML the city received and a PDF of it
    assert _post(c, location, values, "speichern").status_code == 400
    xml = c.get(location + "/rechnung.xml")
    with container.sessions() as session:
        message = session.get(Message, message_id)
        assert message is not None
        assert xml.content == container.pipeline.blobs.get(message.raw_sha256)
    pdf = c.get(location + "/rechnung.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]

    invoice = _invoice_of(container, message_id)
    clerk = login(application, "a10.becker")
    page = clerk.get(f"/rechnungen/{invoice.id}").text
    assert re.search(r"<dt>Kanal</dt><dd>Weberfassung</dd>", page)
    assert "über das Lieferantenportal (im Portal erfasst)" in page
    # the queue names the channel too (under the day it came)
    row = re.search(
        r"<tr>(?:(?!</tr>).)*WE-2026-1(?:(?!</tr>).)*</tr>", clerk.get("/eingang").text, re.S
    )
    assert row is not None and '<small class="channel">Weberfassung</small>' in row.group(0)
    assert not holds.holds_of(container.pipeline, invoice.id)  # verified IBAN, bound account


def test_a_new_iban_is_announced_and_held(tmp_path: Path) -> None:
    application, container = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    # a mistyped IBAN (check digits) is no new bank account: only its error is named
    mistyped = _filled(c, location, iban=NEW_IBAN[:-1] + "2", nummer="WE-IBAN-1")
    refused = _post(c, location, mistyped, "vorschau")
    assert refused.status_code == 422 and 'id="e-iban"' in refused.text
    assert "noch nicht bekannt" not in refused.text
    values = _filled(c, location, iban=NEW_IBAN, nummer="WE-IBAN-1")
    assert _post(c, location, values, "speichern").status_code == 303
    assert "noch nicht bekannt" in c.get(location).text  # said on the form beforehand
    preview = c.get(location + "/vorschau").text
    assert "noch nicht bekannt" in preview and "würde angenommen" in preview
    invoice = _invoice_of(container, _submit(c, location, values))
    codes = {h.code.value for h in holds.holds_of(container.pipeline, invoice.id) if h.open}
    assert codes == {"bank-account-unverified"}


def test_a_returned_invoice_is_corrected_from_the_prefilled_form(tmp_path: Path) -> None:
    application, container = _world(tmp_path)
    pipeline = container.pipeline
    c = login(application, "hansen")
    location = _new(c)
    first = _invoice_of(container, _submit(c, location, _filled(c, location)))
    workflow.act(
        pipeline, first.id, "return_to_supplier", "a10.becker", "Bitte Bestellnummer B-4711 angeben"
    )
    with container.sessions() as session:
        notice = session.scalars(
            select(Notification).where(Notification.invoice_id == first.id)
        ).first()
        assert notice is not None and "Rechnung erfassen" in notice.body

    listing = c.get("/rechnung-erfassen").text
    assert "Bitte Bestellnummer B-4711 angeben" in listing
    other = login(application, "weber")
    token = csrf_of(other.get("/rechnung-erfassen").text)
    assert (
        other.post(
            f"/rechnung-erfassen/korrektur/{first.id}", data={"csrf_token": token}
        ).status_code
        == 404
    )
    started = c.post(
        f"/rechnung-erfassen/korrektur/{first.id}", data={"csrf_token": csrf_of(listing)}
    )
    assert started.status_code == 303
    correction = started.headers["location"]
    page = c.get(correction).text
    assert "Bitte Bestellnummer B-4711 angeben" in page and "Korrigierte Rechnung" in page
    prefilled = _shown(page)
    assert prefilled["nummer"] == "WE-2026-1" and prefilled["leitweg_id"] == AMT_10
    assert re.search(r'<input id="f-nummer"[^>]*\breadonly\b', page)
    assert prefilled["zeile-2-beschreibung"] == "Lieferung" and prefilled["zeile-1-ust"] == "S:19"
    assert (prefilled["skonto_tage"], prefilled["skonto_prozent"]) == ("14", "2,00")
    # the same correction again: the one begun, not a second one
    again = c.post(f"/rechnung-erfassen/korrektur/{first.id}", data={"csrf_token": csrf_of(page)})
    assert again.headers["location"] == correction

    second = _invoice_of(
        container,
        _submit(
            c,
            correction,
            # a hand-made post cannot change the number the correction replaces
            prefilled
            | {"csrf_token": csrf_of(page), "bestellnummer": "B-4711", "nummer": "WE-2026-9"},
        ),
    )
    assert second.replaces_id == first.id and second.version == 2
    assert second.number == first.number == "WE-2026-1"
    assert workflow.invoice_detail(pipeline, first.id).status == "replaced"
    assert workflow.invoice_detail(pipeline, second.id).status == "routed"
    assert "Bitte Bestellnummer" not in c.get("/rechnung-erfassen").text.split("Ihre Entwürfe")[0]


def test_a_credit_note_needs_the_invoice_it_refers_to(tmp_path: Path) -> None:
    application, container = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c, "381")
    assert _shown(c.get(location).text)["art"] == "381"
    values = _filled(c, location, nummer="GS-1")
    refused = _post(c, location, values, "vorschau")
    assert refused.status_code == 422 and 'href="#f-vorherige_nummer"' in refused.text
    values |= {"vorherige_nummer": "WE-2026-1", "vorherige_datum": "2026-11-30"}
    invoice = _invoice_of(container, _submit(c, location, values))
    assert invoice.type_code == "381"
    deleted = login(application, "hansen")
    other = _new(deleted)
    token = csrf_of(deleted.get(other).text)
    assert deleted.post(other + "/loeschen", data={"csrf_token": token}).status_code == 303
    assert deleted.get(other).status_code == 404
    anonymous = client(application)
    assert anonymous.get("/rechnung-erfassen").status_code == 303
