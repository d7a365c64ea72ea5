"""The Weberfassung tried as its users and adversaries would (issue 26): the limits of a
draft are the form's, a double click submits once, a chosen file is never dropped, the
small business without VAT id gets through, another authority's Leitweg-ID is refused."""

from __future__ import annotations

import copy
import re
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from einvoice.domain.entry_fields import MAX_ALLOWANCES, MAX_LINES
from einvoice.services import invoice_entry as entry
from einvoice.services.accounts import Role
from einvoice.services.creditor_records import AccountInput, CreditorInput
from einvoice.services.creditors import add_creditor, bind
from einvoice.storage.accounts import Account
from einvoice.storage.entry_tables import InvoiceDraftRow
from einvoice.storage.tables import Invoice, Message
from einvoice.web.api_invoice_entry import EXAMPLE
from tests.integration.services import postgres_database
from tests.integration.test_web_invoice_entry import _filled, _new, _post, _shown, _world
from tests.integration.web import account, csrf_of, login
from tests.invoice_entry_sample import PDF


def _lines(count: int) -> dict[str, str]:
    values: dict[str, str] = {}
    for i in range(1, count + 1):
        p = f"zeile-{i}-"
        values |= {
            p + "beschreibung": f"Position {i}",
            p + "menge": "1",
            p + "einheit": "H87",
            p + "preis": "1,00",
            p + "ust": "S:19",
            p + "nachlass": "",
            p + "nachlass_grund": "",
        }
    for kind in ("abzug", "zuschlag"):
        for i in range(1, MAX_ALLOWANCES + 1):
            values |= {f"{kind}-{i}-betrag": "", f"{kind}-{i}-grund": "", f"{kind}-{i}-ust": ""}
    return values


def test_a_draft_takes_as_many_lines_as_the_form_rules_allow_and_no_more(tmp_path: Path) -> None:
    """One limit: a draft keeps exactly the lines the form's rules accept (every row of the
    page posted, allowance and charge rows too), one more is refused with that number."""
    application, _ = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    full = _filled(c, location) | _lines(MAX_LINES)
    saved = _post(c, location, full, "speichern")
    assert saved.status_code == 303, saved.text[:500]
    page = c.get(location).text
    assert f'id="zeile-{MAX_LINES}"' in page and f'id="zeile-{MAX_LINES + 1}"' not in page
    assert _shown(page)[f"zeile-{MAX_LINES}-beschreibung"] == f"Position {MAX_LINES}"
    more = _post(c, location, full, "zeile")  # "Zeile hinzufügen" at the limit: no row more
    assert more.status_code == 303
    assert f'id="zeile-{MAX_LINES + 1}"' not in c.get(location).text
    preview = _post(c, location, full, "vorschau")
    assert preview.status_code == 303, re.findall(r'class="field-error"[^>]*>([^<]+)', preview.text)
    too_many = _post(c, location, full | _lines(MAX_LINES + 1), "speichern")
    assert too_many.status_code == 400
    assert f"höchstens {MAX_LINES} Positionen" in too_many.text
    assert csrf_of(c.get("/rechnung-erfassen").text)


def test_a_double_click_on_submit_submits_once_and_shows_the_report(tmp_path: Path) -> None:
    """The second request of a double click (form button or preview button) answers with
    the report of the one submission, not an error page."""
    application, container = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location)
    first = _post(c, location, values, "einreichen")
    assert first.status_code == 303, first.text[:300]
    report = first.headers["location"]
    again = _post(c, location, values, "einreichen")
    assert again.status_code == 303, again.text[:300]
    assert again.headers["location"].split("?")[0] == report
    from_preview = c.post(location + "/einreichen", data={"csrf_token": values["csrf_token"]})
    assert from_preview.status_code == 303, from_preview.text[:300]
    assert from_preview.headers["location"].split("?")[0] == report
    with container.sessions() as session:
        assert len(session.scalars(select(Message.id)).all()) == 1
    # saving a submitted draft (an old tab) still says it cannot be changed
    late = _post(c, location, values | {"nummer": "WE-2026-2"}, "speichern")
    assert late.status_code == 400 and "bereits eingereicht" in late.text
    shown = c.get(again.headers["location"]).text
    assert "bereits eingereicht" in shown and "Datei haben Sie" not in shown


def test_a_chosen_file_is_attached_whichever_button_is_pressed(tmp_path: Path) -> None:
    """A supplier picks a file and presses "Entwurf speichern" or "Einreichen" instead of
    "Anlage hinzufügen": the file is attached, not dropped without a word."""
    application, container = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location)
    saved = _post(
        c, location, values, "speichern", files={"anlage": ("stunden.pdf", PDF, "application/pdf")}
    )
    assert saved.status_code == 303
    assert ">stunden.pdf</a>" in c.get(location).text
    wrong = _post(
        c, location, values, "speichern", files={"anlage": ("bild.png", PDF, "image/png")}
    )
    assert wrong.status_code == 400 and "keine PNG-Datei" in wrong.text  # said, not dropped
    submitted = _post(
        c,
        location,
        values,
        "einreichen",
        files={"anlage": ("liste.csv", b"a;b\n1;2\n", "text/csv")},
    )
    assert submitted.status_code == 303, submitted.text[:300]
    message_id = int(submitted.headers["location"].rsplit("/", 1)[1].split("?")[0])
    with container.sessions() as session:
        message = session.get(Message, message_id)
        assert message is not None
        xml = container.pipeline.blobs.get(message.raw_sha256)
    assert b'filename="stunden.pdf"' in xml and b'filename="liste.csv"' in xml


def test_an_account_has_a_bounded_number_of_open_drafts(tmp_path: Path) -> None:
    """Drafts keep attachment bytes in the database: one account cannot open them without
    end (a submitted draft does not count; deleting one makes room)."""
    application, container = _world(tmp_path)
    c = login(application, "hansen")
    first = _new(c)
    hansen = _account_id(container, "hansen")
    for _ in range(entry.MAX_OPEN_DRAFTS - 1):
        entry.create(container.pipeline, hansen, "380")
    token = csrf_of(c.get("/rechnung-erfassen").text)
    refused = c.post("/rechnung-erfassen/neu", data={"csrf_token": token, "art": "381"})
    assert refused.status_code == 400
    assert f"{entry.MAX_OPEN_DRAFTS} offene Entwürfe" in refused.text
    other = login(application, "weber")  # another account is not affected
    assert _new(other)
    submitted = _post(c, first, _filled(c, first), "einreichen")
    assert submitted.status_code == 303  # a submitted draft makes room
    assert _new(c)
    with container.sessions() as session:
        assert len(session.scalars(select(InvoiceDraftRow.id)).all()) == entry.MAX_OPEN_DRAFTS + 2


def _account_id(container: Any, username: str) -> int:
    with container.sessions() as session:
        found = session.scalars(select(Account.id).where(Account.username == username)).one()
        return int(found)


def test_a_small_business_with_only_a_tax_number_gets_through(tmp_path: Path) -> None:
    """A Kleinunternehmer (§ 19 UStG: no VAT id, only a Steuernummer, no register entry)
    bound to its creditor: the portal fills in its creditor number as its identifier
    (BT-29), so BR-CO-26 does not stop an invoice the supplier cannot fix by itself."""
    application, container = _world(tmp_path)
    add_creditor(
        container.pipeline,
        CreditorInput(
            number="K-80001",
            name="Hausmeisterdienst Klein",
            street="Am Bach 3",
            post_code="28195",
            city="Bremen",
            country="DE",
            tax_number="60/123/45678",
            accounts=(AccountInput("DE89370400440532013000", "", "Karl Klein"),),
        ),
        "kb.test",
        verified_how="Rückruf",
        verified_by="kb.zweit",
    )
    account(container, "klein", Role.SUPPLIER, bound=False, email="karl@klein.example")
    bind(container.pipeline, "klein", "K-80001", "kb.test", "Test")
    bind(container.pipeline, "klein", "K-80001", "kb.zweit", "Test")
    c = login(application, "klein")
    location = _new(c)
    shown = _shown(c.get(location).text)
    assert shown["verkaeufer_kennung"] == "K-80001"
    assert shown["verkaeufer_steuernummer"] == "60/123/45678" and not shown["verkaeufer_ustid"]
    values = _filled(c, location) | {
        "zeile-1-ust": "E:0",
        "zeile-2-ust": "E:0",
        "befreiung": "Kein Ausweis von Umsatzsteuer, da Kleinunternehmer gemäß § 19 UStG",
    }
    submitted = _post(c, location, values, "einreichen")
    assert submitted.status_code == 303, re.findall(
        r'class="field-error"[^>]*>([^<]+)', submitted.text
    )


#: A valid Leitweg-ID of another authority (its Grobadressierung is none of the city's).
FOREIGN_LEITWEG_ID = "991-33333TEST-33"


def test_a_leitweg_id_of_another_authority_is_refused_and_kept(tmp_path: Path) -> None:
    """The form offers the city's offices; a hand-made post (or the API) with another
    authority's Leitweg-ID is refused at the field - not sent to the city's central desk
    to be forwarded by hand - and the value typed stays in the form."""
    application, _ = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location, leitweg_id=FOREIGN_LEITWEG_ID)
    refused = _post(c, location, values, "vorschau")
    assert refused.status_code == 422
    assert re.search(r'id="e-leitweg_id">[^<]*gehört nicht zur Stadt', refused.text)
    assert _shown(refused.text)["leitweg_id"] == FOREIGN_LEITWEG_ID  # shown, not dropped
    token = c.get("/api/csrf").json()["csrf_token"]
    body = copy.deepcopy(EXAMPLE) | {"leitweg_id": FOREIGN_LEITWEG_ID}
    answer = c.post("/api/invoice-entry/xrechnung", json=body, headers={"x-csrf-token": token})
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["leitweg_id"]


def test_the_error_summary_names_each_field_once(tmp_path: Path) -> None:
    application, _ = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location, kontoinhaber="K" * 71, **{"zeile-2-menge": "drei"})
    refused = _post(c, location, values, "vorschau")
    assert refused.status_code == 422
    summary = refused.text.split('class="error-summary"', 1)[1].split("</section>", 1)[0]
    assert "Kontoinhaber: höchstens 70 Zeichen (jetzt 71)." in summary
    assert "Zeile 2: Menge: „drei“ ist keine gültige Zahl" in summary
    assert "Kontoinhaber: Kontoinhaber" not in summary and "Menge: Zeile 2" not in summary


def test_attachments_are_nobody_elses_not_even_through_an_own_draft(tmp_path: Path) -> None:
    """Another account gets 404 for the draft's files, PDF and check; and an own draft's
    address with another draft's file id finds nothing (the file must be that draft's)."""
    application, _ = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location)
    files = {"anlage": ("stunden.pdf", PDF, "application/pdf")}
    assert _post(c, location, values, "anlage", files=files).status_code == 303
    found = re.search(rf'href="({location}/anlagen/(\d+))"', c.get(location).text)
    assert found is not None
    file_url, file_id = found.groups()
    assert c.get(file_url).content == PDF
    other = login(application, "weber")
    own = _new(other)
    token = csrf_of(other.get(own).text)
    for url in (file_url, location + "/rechnung.pdf", location + "?pruefen=1"):
        assert other.get(url).status_code == 404, url
    assert other.get(f"{own}/anlagen/{file_id}").status_code == 404
    removal = {"csrf_token": token, "aktion": f"anlage-weg-{file_id}"}
    assert other.post(location, data=removal).status_code == 404
    assert other.post(own, data=removal).status_code == 404
    assert c.get(file_url).content == PDF  # still there


def test_a_too_long_file_description_is_refused_not_cut(tmp_path: Path) -> None:
    """The page allows 200 characters; a longer description (a hand-made post) is said at
    the file, not cut to fit - and never stored to fail later at a field nobody can edit."""
    application, _ = _world(tmp_path)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location) | {"anlage_beschreibung": "B" * 201}
    files = {"anlage": ("stunden.pdf", PDF, "application/pdf")}
    refused = _post(c, location, values, "anlage", files=files)
    assert refused.status_code == 400
    assert re.search(r'id="e-anlage">[^<]*höchstens 200 Zeichen', refused.text)
    assert "stunden.pdf</a>" not in c.get(location).text
    values["anlage_beschreibung"] = "B" * 200
    assert _post(c, location, values, "vorschau", files=files).status_code == 303


def test_a_double_click_at_the_same_moment_submits_once(tmp_path: Path) -> None:
    """Both requests of a double click at once (two server processes, PostgreSQL): one
    submission, one invoice, and both answers are its report - the slower one routed the
    invoice a second time and failed with a 500 (audit sequence taken)."""
    with postgres_database() as url:
        application, container = _world(tmp_path, url)
        for attempt in range(3):
            answers = _double_click(application, f"DOPPELT-{attempt}")
            assert {n: a.status_code for n, a in answers.items()} == {"a": 303, "b": 303}
            reports = {a.headers["location"].split("?")[0] for a in answers.values()}
            assert len(reports) == 1, reports
        with container.sessions() as session:
            assert len(session.scalars(select(Message.id)).all()) == 3
            assert len(session.scalars(select(Invoice.id)).all()) == 3
        container.engine.dispose()


def _double_click(application: Any, number: str) -> dict[str, Any]:
    """ "Einreichen" of one draft from two clients at the same moment: their answers."""
    first, second = login(application, "hansen"), login(application, "hansen")
    location = _new(first)
    values = _filled(first, location, nummer=number)
    tokens = {"a": values["csrf_token"], "b": csrf_of(second.get(location).text)}
    clients = {"a": first, "b": second}
    answers: dict[str, Any] = {}
    start = threading.Barrier(2)

    def click(name: str) -> None:
        start.wait()
        posted = values | {"csrf_token": tokens[name]}
        answers[name] = _post(clients[name], location, posted, "einreichen")

    clicks = [threading.Thread(target=click, args=(name,)) for name in clients]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=120)
    return answers
