"""Supplier flows through the real app (HTTP): register, upload, report, status; security."""

from __future__ import annotations

import re
from pathlib import Path

from einvoice.services.accounts import Role
from tests.helpers import ROOT
from tests.integration.web import account, client, csrf_of, login, make_app

SAMPLES = ROOT / "samples"


def _upload(c, name: str, data: bytes):  # type: ignore[no-untyped-def]
    page = c.get("/einreichen")
    assert page.status_code == 200
    return c.post(
        "/einreichen",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": (name, data, "application/xml")},
    )


def test_supplier_registers_uploads_and_sees_report(tmp_path: Path) -> None:
    application, _ = make_app(tmp_path)
    c = client(application)
    page = c.get("/registrieren")
    response = c.post(
        "/registrieren",
        data={
            "password": "ein-sicheres-Passwort-1",
            "organisation": "Bürobedarf Hansen GmbH",
            "display_name": "Jana Hansen",
            "vat_id": "DE123456788",
            "email": "jana@hansen.example",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.status_code == 200 and "E-Mail an jana@hansen.example" in response.text
    verified = c.get(application.state.mailer.link("jana@hansen.example"))
    assert verified.status_code == 303 and "bestaetigt" in verified.headers["location"]
    c = login(application, "jana@hansen.example")
    bad = _upload(c, "r.xml", (SAMPLES / "invalid" / "ubl-ohne-leitweg-id.xml").read_bytes())
    assert bad.status_code == 303
    report = c.get(bad.headers["location"])
    assert "Abgelehnt" in report.text and "BR-DE-15" in report.text
    assert "BT-10 Käuferreferenz" in report.text
    good = _upload(c, "r2.xml", (SAMPLES / "xrechnung-ubl.xml").read_bytes())
    report = c.get(good.headers["location"])
    assert "Angenommen" in report.text
    listing = c.get("/meine-rechnungen")
    assert listing.text.count('href="/einreichungen/') == 2
    again = _upload(c, "r2.xml", (SAMPLES / "xrechnung-ubl.xml").read_bytes())
    assert again.headers["location"].endswith("?erneut=1")


def test_csrf_missing_or_wrong_is_refused(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    c = login(application, "lieferant")
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    for token in (None, "falsch"):
        fields = {} if token is None else {"csrf_token": token}
        response = c.post("/einreichen", data=fields, files={"file": ("r.xml", data)})
        assert response.status_code == 403
    anonymous = client(application)
    page = anonymous.get("/login")
    response = anonymous.post(
        "/login", data={"username": "lieferant", "password": "x", "csrf_token": "falsch"}
    )
    assert response.status_code == 403 and page.status_code == 200


def test_login_rate_limit(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    c = client(application)
    for _ in range(5):
        page = c.get("/login")
        response = c.post(
            "/login",
            data={"username": "lieferant", "password": "falsch", "csrf_token": csrf_of(page.text)},
        )
        assert response.status_code == 401
    page = c.get("/login")
    response = c.post(
        "/login",
        data={
            "username": "lieferant",
            "password": "ein-sicheres-Passwort-1",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.status_code == 401 and "Zu viele" in response.text


def test_api_refuses_anonymous_and_is_described(tmp_path: Path) -> None:
    application, _ = make_app(tmp_path)
    c = client(application)
    assert c.get("/api/submissions").status_code == 401
    assert c.get("/api/me").status_code == 401
    spec = c.get("/openapi.json").json()
    assert "/api/submissions" in spec["paths"]


def test_security_headers_and_secure_cookie(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    c = client(application)
    page = c.get("/login")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    response = c.post(
        "/login",
        data={
            "username": "lieferant",
            "password": "ein-sicheres-Passwort-1",
            "csrf_token": csrf_of(page.text),
        },
    )
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_supplier_cannot_see_other_suppliers_submissions(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a-gmbh", Role.SUPPLIER)
    account(container, "b-gmbh", Role.SUPPLIER)
    a = login(application, "a-gmbh")
    location = _upload(a, "r.xml", (SAMPLES / "xrechnung-ubl.xml").read_bytes()).headers["location"]
    b = login(application, "b-gmbh")
    assert b.get(location).status_code == 404
    assert b.get("/api" + location.replace("/einreichungen", "/submissions")).status_code == 404
    assert b.get("/betrieb").status_code == 403


def test_too_large_upload_is_refused(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    application.state.settings = type(application.state.settings)(
        secret_key="t" * 48, max_upload_bytes=1000
    )
    account(container, "lieferant", Role.SUPPLIER)
    c = login(application, "lieferant")
    response = _upload(c, "gross.xml", b"<a>" + b" " * 5000 + b"</a>")
    assert response.status_code == 413


def test_same_invoice_by_another_supplier_through_the_form(tmp_path: Path) -> None:
    """Issue 14: supplier B's copy of A's invoice ends on a German page saying it is already
    here - not a 404, and nothing of A's submission (state, file name, report link)."""
    application, container = make_app(tmp_path)
    account(container, "a-gmbh", Role.SUPPLIER)
    account(container, "b-gmbh", Role.SUPPLIER)
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    a = login(application, "a-gmbh")
    first = _upload(a, "geheim-a.xml", data).headers["location"]
    assert "Angenommen" in a.get(first).text
    b = login(application, "b-gmbh")
    copy = _upload(b, "kopie.xml", data)
    assert copy.status_code == 303 and copy.headers["location"] != first
    page = b.get(copy.headers["location"])
    assert page.status_code == 200
    assert "bereits eingegangen" in page.text and "Duplikat" in page.text
    for leak in ("geheim-a", "Stand: ", "zugeordnet", "zurückgegeben", first):
        assert leak not in page.text, leak
    listing = b.get("/meine-rechnungen")
    assert "geheim-a" not in listing.text and listing.text.count('href="/einreichungen/') == 1


def _upload_many(c, files: list[tuple[str, bytes]]):  # type: ignore[no-untyped-def]
    page = c.get("/einreichen")
    assert 'name="files"' in page.text and " multiple" in page.text
    return c.post(
        "/einreichen",
        data={"csrf_token": csrf_of(page.text)},
        files=[("files", (name, data, "application/xml")) for name, data in files],
    )


def test_several_files_in_one_upload_each_its_own_submission(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    application.state.settings = type(application.state.settings)(
        secret_key="t" * 48, max_upload_bytes=200_000, max_upload_files=3
    )
    account(container, "lieferant", Role.SUPPLIER)
    c = login(application, "lieferant")
    good = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    wrong = (SAMPLES / "invalid" / "cii-summe-falsch.xml").read_bytes()
    result = _upload_many(
        c, [("gut.xml", good), ("falsch.xml", wrong), ("gross.xml", b"<a>" + b" " * 300_000)]
    )
    assert result.status_code == 200
    text = result.text
    assert "Angenommen" in text and "Abgelehnt" in text and "Nicht angenommen" in text
    assert "zu groß" in text and text.count('href="/einreichungen/') == 2
    listing = c.get("/meine-rechnungen")
    assert listing.text.count('href="/einreichungen/') == 2
    # the supplier's finding says which amount was expected (BR-CO-15)
    report = c.get(re.findall(r'href="(/einreichungen/\d+)"', text)[1])
    assert "BR-CO-15" in report.text and ", erwartet " in report.text
    assert "(BT-109 + BT-110 = " in report.text
    # too many files: nothing is taken, a German message says the limit
    many = _upload_many(c, [(f"r{i}.xml", good) for i in range(4)])
    assert many.status_code == 413 and "höchstens 3" in many.text
    assert c.get("/meine-rechnungen").text.count('href="/einreichungen/') == 2


def test_my_invoices_search_and_paging_in_the_database(tmp_path: Path) -> None:
    from einvoice.services import supplier_portal

    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    account(container, "andere", Role.SUPPLIER)
    c = login(application, "lieferant")
    good = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    _upload(c, "gut.xml", good)
    _upload(c, "falsch.xml", (SAMPLES / "invalid" / "ubl-summe-falsch.xml").read_bytes())
    _upload(c, "cii.xml", (SAMPLES / "xrechnung-cii.xml").read_bytes())
    _upload(login(application, "andere"), "fremd.xml", good)  # never in the list
    all_rows = c.get("/meine-rechnungen")
    assert all_rows.text.count('href="/einreichungen/') == 3 and "fremd.xml" not in all_rows.text
    number = re.search(r"<td>(BH-[\w-]+)</td>", all_rows.text)
    assert number
    by_number = c.get("/meine-rechnungen", params={"q": number.group(1)})
    rows = by_number.text.count('href="/einreichungen/')
    assert 1 <= rows < 3 and by_number.text.count(f"<td>{number.group(1)}</td>") == rows
    assert "fremd.xml" not in by_number.text
    rejected = c.get("/meine-rechnungen", params={"stand": "abgelehnt"})
    assert rejected.text.count('href="/einreichungen/') == 1 and "falsch.xml" in rejected.text
    nothing = c.get("/meine-rechnungen", params={"q": "gibt-es-nicht"})
    assert "Keine Einreichung passt" in nothing.text
    pipeline = container.pipeline
    owner = _account_id(container, "lieferant")
    page = supplier_portal.search(pipeline, owner, supplier_portal.SubmissionQuery(per_page=2))
    assert (page.total, page.pages, len(page.rows)) == (3, 2, 2)
    second = supplier_portal.search(
        pipeline, owner, supplier_portal.SubmissionQuery(page=2, per_page=2)
    )
    assert len(second.rows) == 1 and second.rows[0].filename == "gut.xml"
    assert [r.filename for r in page.rows + second.rows] == ["cii.xml", "falsch.xml", "gut.xml"]
    amount = second.rows[0].amount
    assert amount is not None, second.rows
    german = f"{amount:.2f}".replace(".", ",")
    by_amount = supplier_portal.search(pipeline, owner, supplier_portal.SubmissionQuery(german))
    assert by_amount.total >= 1 and all(r.amount == amount for r in by_amount.rows)
    today = page.rows[0].received_at.astimezone(supplier_portal.BERLIN).strftime("%d.%m.%Y")
    by_day = supplier_portal.search(pipeline, owner, supplier_portal.SubmissionQuery(today))
    assert by_day.total == 3
    web_page = c.get("/meine-rechnungen", params={"seite": 99})
    assert web_page.status_code == 200


def _account_id(container, username: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from einvoice.storage.accounts import Account

    with container.sessions() as session:
        return int(session.scalar(select(Account.id).where(Account.username == username)))


def test_own_original_and_report_pdf_only_for_the_owner(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a-gmbh", Role.SUPPLIER)
    account(container, "b-gmbh", Role.SUPPLIER)
    data = (SAMPLES / "invalid" / "ubl-summe-falsch.xml").read_bytes()
    a = login(application, "a-gmbh")
    report = a.get(_upload(a, "meine rechnung.xml", data).headers["location"])
    original_link = re.search(r'href="(/meine-rechnungen/\d+/original)"', report.text)
    pdf_link = re.search(r'href="(/meine-rechnungen/\d+/pruefbericht\.pdf)"', report.text)
    assert original_link and pdf_link
    original = a.get(original_link.group(1))
    assert original.status_code == 200 and original.content == data
    assert "attachment" in original.headers["content-disposition"]
    assert original.headers["x-content-type-options"] == "nosniff"
    pdf = a.get(pdf_link.group(1))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]
    import io

    import pypdf

    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "meine rechnung.xml" in text and "BR-" in text and "erwartet" in text
    b = login(application, "b-gmbh")
    for link in (original_link.group(1), pdf_link.group(1)):
        assert b.get(link).status_code == 404
    clerk_less = client(application)
    assert clerk_less.get(original_link.group(1)).status_code in (303, 401)


def test_same_file_again_after_a_return_says_returned_not_being_checked(tmp_path: Path) -> None:
    # Tried on the running app: the returned invoice sent again unchanged ended on "Angenommen
    # - ... wird jetzt vom zuständigen Amt geprüft" (Stand: Zurückgegeben) without the reason.
    from einvoice.services import workflow

    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER)
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    supplier = login(application, "hansen")
    first = _upload(supplier, "rechnung.xml", data).headers["location"]
    assert "wird jetzt vom zuständigen Amt geprüft" in supplier.get(first).text
    (invoice_id,) = [i.invoice_id for i in workflow.queue(container.pipeline, "amt-10").items]
    workflow.act(
        container.pipeline, invoice_id, "return_to_supplier", "a10.becker", "Bestellnummer fehlt."
    )
    again = _upload(supplier, "rechnung.xml", data)
    page = supplier.get(again.headers["location"]).text
    assert "bereits eingereicht" in page
    assert "wird jetzt vom zuständigen Amt geprüft" not in page
    assert "Zurückgegeben – bitte korrigieren" in page and "Bestellnummer fehlt." in page


def test_long_file_name_wraps_instead_of_pushing_the_columns_away(tmp_path: Path) -> None:
    # Tried in Chromium: a 250-character file name made "Meine Rechnungen" 2,430 px wide;
    # number, amount, state and the links were off the screen.
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER)
    name = "L" * 250 + ".xml"
    supplier = login(application, "hansen")
    report = _upload(supplier, name, (SAMPLES / "xrechnung-ubl.xml").read_bytes())
    for page in (
        supplier.get("/meine-rechnungen").text,
        supplier.get(report.headers["location"]).text,
    ):
        assert re.search(r'class="file-name">' + "L" * 100, page), "no wrapping cell"
    css = supplier.get("/static/app.css").text
    assert re.search(r"\.file-name\s*\{[^}]*overflow-wrap:\s*anywhere", css)


def test_unreadable_file_is_rejected_on_every_page_not_unprocessed(tmp_path: Path) -> None:
    # Tried on the running demo: a text file was "Abgelehnt" on the upload result and on its
    # report, but "Nicht verarbeitet" (as if the city had failed) in "Meine Rechnungen", and
    # the filter "Abgelehnt oder zurückgegeben" did not find it.
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER)
    supplier = login(application, "hansen")
    uploaded = _upload(supplier, "notiz.txt", b"hallo")
    assert uploaded.status_code == 303
    report = supplier.get(uploaded.headers["location"]).text
    assert "<dt>Stand</dt><dd>Abgelehnt</dd>" in report

    def row(html: str) -> str:
        found = re.search(r"<tr>((?:(?!</tr>).)*notiz\.txt.*?)</tr>", html, re.S)
        assert found, "notiz.txt is not listed"
        return found.group(1)

    listed = row(supplier.get("/meine-rechnungen").text)
    assert ">Abgelehnt</span>" in listed and "Nicht verarbeitet" not in listed
    assert "SYNTAX-NOT-XML" in listed or "weder ein XML-Dokument" in listed  # the reason
    row(supplier.get("/meine-rechnungen", params={"stand": "abgelehnt"}).text)
    unprocessed = supplier.get("/meine-rechnungen", params={"stand": "nicht-verarbeitet"}).text
    assert "notiz.txt" not in unprocessed
    assert "notiz.txt" not in supplier.get("/meine-rechnungen", params={"stand": "offen"}).text


def test_unfitting_input_is_explained_in_words_not_parameter_keys(tmp_path: Path) -> None:
    # Tried in Chromium: a 300-character search said 'Parameter „q“ hat keinen gültigen Wert',
    # an edited address 'Adresse „message_id“ hat keinen gültigen Wert' - keys, no reason.
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER)
    supplier = login(application, "hansen")
    html = {"accept": "text/html"}
    cases = {
        "/meine-rechnungen?q=" + "A" * 300: "Suche ist zu lang (höchstens 200 Zeichen)",
        "/meine-rechnungen?seite=0": "Seite muss mindestens 1 sein",
        "/einreichungen/abc": "die Nummer in der Adresse ist ungültig",
        "/einreichungen/99999999999999": "die Nummer in der Adresse ist ungültig",
    }
    for url, expected in cases.items():
        page = supplier.get(url, headers=html)
        assert page.status_code == 422, url
        assert expected in page.text, (url, page.text[-800:])
        for key in ("„q“", "message_id", "„seite“"):
            assert key not in page.text, (url, key)


def test_duplicate_rows_show_the_number_and_amount_of_the_invoice_they_repeat(
    tmp_path: Path,
) -> None:
    # Tried on the demo: the duplicate's row in "Meine Rechnungen" had an empty number and
    # amount, although its report named the invoice (e.g. DW-01052).
    import dataclasses

    from einvoice.samplegen.cii import to_cii
    from einvoice.samplegen.spec import example
    from einvoice.samplegen.ubl import to_ubl

    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    account(container, "andere", Role.SUPPLIER)
    invoice = dataclasses.replace(example(n_lines=2, seed=0), number="BH-DOPPELT-1")
    c = login(application, "lieferant")
    assert _upload(c, "erst.xml", to_ubl(invoice)).status_code == 303
    assert _upload(c, "nochmal-cii.xml", to_cii(invoice)).status_code == 303  # other bytes
    other = login(application, "andere")  # the same invoice from another account
    assert _upload(other, "kopie.xml", to_cii(invoice)).status_code == 303

    def rows(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
        """file name -> "number | date | amount | status" of each row of the list"""
        html = client.get("/meine-rechnungen").text
        found = {}
        for row in re.findall(r"<tr>.*?</tr>", html, re.S)[1:]:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells]
            found[text[1]] = " | ".join(text[2:6])
        return found

    own = rows(c)
    assert own["nochmal-cii.xml"].startswith("BH-DOPPELT-1 |"), own
    assert "Duplikat" in own["nochmal-cii.xml"], own
    assert own["nochmal-cii.xml"].split(" | ")[2] == own["erst.xml"].split(" | ")[2] != ""
    foreign = rows(other)
    assert foreign["kopie.xml"].startswith("BH-DOPPELT-1 |"), foreign
    assert foreign["kopie.xml"].split(" | ")[2] == own["erst.xml"].split(" | ")[2]
    found = other.get("/meine-rechnungen", params={"q": "BH-DOPPELT-1"}).text
    assert "kopie.xml" in found and "erst.xml" not in found  # found by the number, own only
