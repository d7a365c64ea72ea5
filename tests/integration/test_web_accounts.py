"""Issue 13's findings re-tried on the running app (HTTP): each failed before the change."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pypdf
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from einvoice.services.accounts import Role
from tests.helpers import ROOT
from tests.integration.web import PASSWORD, account, client, csrf_of, login, make_app

SAMPLES = ROOT / "samples"


def _upload(c: Any, name: str, data: bytes) -> Any:
    page = c.get("/einreichen")
    return c.post(
        "/einreichen",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": (name, data, "application/octet-stream")},
    )


def _logout(c: Any) -> None:
    token = csrf_of(c.get("/konto").text)
    assert c.post("/logout", data={"csrf_token": token}).status_code == 303


def test_session_replay_after_logout_is_refused(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    c = login(application, "a10.becker")
    copied = dict(c.cookies.items())
    assert c.get("/api/me").status_code == 200
    _logout(c)
    thief = client(application)
    for name, value in copied.items():
        thief.cookies.set(name, value)
    assert thief.get("/api/me").status_code == 401
    assert thief.get("/eingang").status_code == 303  # to the login page


def test_session_ends_when_the_account_is_deactivated(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "admin", Role.ADMIN)
    clerk = login(application, "a10.becker")
    admin = login(application, "admin")
    token = csrf_of(admin.get("/verwaltung/zugaenge").text)
    done = admin.post(
        "/verwaltung/zugaenge/aktion",
        data={"username": "a10.becker", "action": "deactivate", "csrf_token": token},
    )
    assert done.status_code == 303
    assert clerk.get("/api/me").status_code == 401


def test_the_cookie_is_opaque(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    c = login(application, "a10.becker")
    sid = c.cookies.get("einvoice_sid")
    assert sid and len(sid) >= 40
    assert "a10.becker" not in unquote(str(c.cookies.get("einvoice_session")))
    from base64 import b64decode

    legacy = str(c.cookies.get("einvoice_session") or "").split(".")[0]
    decoded = b64decode(legacy + "=" * (-len(legacy) % 4)).decode("utf-8", "replace")
    assert "uid" not in decoded


def test_colleague_behind_the_same_address_is_not_locked_out(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    c = client(application)
    for _ in range(6):
        page = c.get("/login")
        wrong = c.post(
            "/login",
            data={
                "username": "a10.schmitt",
                "password": "vertippt",
                "csrf_token": csrf_of(page.text),
            },
        )
        assert wrong.status_code == 401
    login(application, "a10.becker")  # same address (testclient): still fine


def test_login_answers_the_same_for_known_and_unknown_names(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    answers = []
    for name in ("a10.becker", "gibt.es.nicht"):
        c = client(application)
        page = c.get("/login")
        response = c.post(
            "/login",
            data={"username": name, "password": "falsch-falsch", "csrf_token": csrf_of(page.text)},
        )
        token = csrf_of(page.text)
        answers.append((response.status_code, response.text.replace(token, "")))
    assert answers[0] == answers[1]


def test_registration_does_not_reveal_staff_or_taken_names(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "admin", Role.ADMIN)
    account(container, "jana@hansen.example", Role.SUPPLIER, email="jana@hansen.example")
    c = client(application)
    texts = []
    for email in ("jana@hansen.example", "neu@firma.example"):
        page = c.get("/registrieren")
        response = c.post(
            "/registrieren",
            data={
                "email": email,
                "password": PASSWORD,
                "organisation": "Firma",
                "display_name": "Name",
                "vat_id": "DE123456788",
                "csrf_token": csrf_of(page.text),
            },
        )
        assert response.status_code == 200
        texts.append(response.text.replace(email, "ADRESSE"))
        assert "vergeben" not in response.text
    assert texts[0] == texts[1]
    # staff names cannot be registered at all: suppliers sign in with an e-mail address
    page = c.get("/registrieren")
    staff = c.post(
        "/registrieren",
        data={
            "email": "admin",
            "password": PASSWORD,
            "organisation": "Firma",
            "display_name": "Name",
            "vat_id": "DE123456788",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert staff.status_code == 400 and "gültige E-Mail-Adresse" in staff.text
    assert "vergeben" not in staff.text


def test_registration_needs_a_verified_address_and_reset_works(tmp_path: Path) -> None:
    application, _ = make_app(tmp_path)
    outbox = application.state.mailer
    c = client(application)
    page = c.get("/registrieren")
    c.post(
        "/registrieren",
        data={
            "email": "Neu@Firma.example",
            "password": PASSWORD,
            "organisation": "Firma",
            "display_name": "Neu",
            "vat_id": "DE123456788",
            "csrf_token": csrf_of(page.text),
        },
    )
    page = c.get("/login")
    early = c.post(
        "/login",
        data={
            "username": "neu@firma.example",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
        },
    )
    assert early.status_code == 401 and "bestätigen" in early.text
    assert c.get(outbox.link("neu@firma.example")).status_code == 303
    login(application, "neu@firma.example")
    page = c.get("/passwort-vergessen")
    c.post(
        "/passwort-vergessen", data={"email": "neu@firma.example", "csrf_token": csrf_of(page.text)}
    )
    reset_link = outbox.link("neu@firma.example")
    form = c.get(reset_link)
    assert form.status_code == 200
    token = reset_link.split("token=")[1]
    done = c.post(
        "/passwort-neu",
        data={
            "token": token,
            "password": "Ganz-neues-Passwort-42",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert done.status_code == 303
    login(application, "neu@firma.example", "Ganz-neues-Passwort-42")
    assert c.get(reset_link).status_code == 400  # spent


def test_registration_has_a_request_budget(tmp_path: Path) -> None:
    from dataclasses import replace

    from einvoice.domain.throttle import ThrottlePolicy

    application, _ = make_app(tmp_path)
    application.state.settings = replace(
        application.state.settings, throttle_policy=ThrottlePolicy(request_budget=5)
    )
    c = client(application)
    codes = []
    for n in range(8):
        page = c.get("/registrieren")
        codes.append(
            c.post(
                "/registrieren",
                data={
                    "email": f"n{n}@firma.example",
                    "password": PASSWORD,
                    "organisation": "F",
                    "display_name": "N",
                    "vat_id": "DE123456788",
                    "csrf_token": csrf_of(page.text),
                },
            ).status_code
        )
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3


def _invoice_of(application: Any, container: Any, name: str, data: bytes) -> tuple[Any, int]:
    account(container, "hansen", Role.SUPPLIER)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    supplier = login(application, "hansen")
    assert _upload(supplier, name, data).status_code == 303
    clerk = login(application, "a10.becker")
    queue = clerk.get("/api/invoices").json()
    assert len(queue) == 1, queue
    return clerk, queue[0]["invoice_id"]


def test_unicode_and_bidi_file_names_download_correctly(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    clerk, invoice = _invoice_of(application, container, "Rechnung_Ωmega_发票\u202elmx.exe", data)
    response = clerk.get(f"/rechnungen/{invoice}/original")
    assert response.status_code == 200 and response.content == data
    disposition = response.headers["content-disposition"]
    assert disposition.isascii()
    assert "filename*=UTF-8''" in disposition
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert name == "Rechnung_Ωmega_发票lmx.xml"  # the bidi override is gone, .xml by content
    assert "\u202e" not in name


def test_html_upload_downloads_as_xml_with_nosniff(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    clerk, invoice = _invoice_of(application, container, "Rechnung.html", data)
    response = clerk.get(f"/rechnungen/{invoice}/original")
    assert response.headers["content-type"].startswith("application/xml")
    assert 'filename="Rechnung.xml"' in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]


def test_cross_supplier_duplicate_does_not_leak(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER)
    account(container, "weber", Role.SUPPLIER)
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    hansen = login(application, "hansen")
    token = hansen.get("/api/csrf").json()["csrf_token"]
    first = hansen.post(
        "/api/submissions",
        files={"file": ("geheim-hansen.xml", data)},
        headers={"x-csrf-token": token},
    )
    assert first.status_code == 201
    weber = login(application, "weber")
    token = weber.get("/api/csrf").json()["csrf_token"]
    copy = weber.post(
        "/api/submissions", files={"file": ("kopie.xml", data)}, headers={"x-csrf-token": token}
    )
    assert copy.status_code == 201
    answer = copy.json()
    assert answer["message_id"] != first.json()["message_id"]
    assert "geheim-hansen" not in copy.text
    assert answer["file"] == "kopie.xml"


def test_javascript_pdf_is_flagged_for_the_clerk(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(SAMPLES / "zugferd-en16931.pdf"))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hallo')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    clerk, invoice = _invoice_of(application, container, "rechnung.pdf", out.getvalue())
    page = clerk.get(f"/rechnungen/{invoice}")
    assert "PDF-ACTIVE-CONTENT" in page.text and "aktive Inhalte" in page.text
    assert clerk.get(f"/rechnungen/{invoice}/original").content == out.getvalue()


def test_hsts_when_configured(tmp_path: Path) -> None:
    from dataclasses import replace

    from einvoice.web.app import create_app

    application, container = make_app(tmp_path)
    plain = client(application).get("/login")
    assert "strict-transport-security" not in plain.headers
    settings = replace(application.state.settings, hsts=True)
    secured = create_app(container, settings, application.state.on_invoice)
    assert "max-age=" in client(secured).get("/login").headers["strict-transport-security"]


def test_sign_out_everywhere(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    office, laptop = login(application, "a10.becker"), login(application, "a10.becker")
    page = office.get("/konto")
    assert page.text.count("<tr") >= 3  # header + two sessions
    office.post("/konto/abmelden-ueberall", data={"csrf_token": csrf_of(page.text)})
    assert laptop.get("/api/me").status_code == 401
    assert office.get("/api/me").status_code == 401


def test_new_staff_account_sets_its_own_first_password_over_an_e_mail_link(
    tmp_path: Path,
) -> None:
    """An administrator creating a staff account never sees a password when the account has
    an e-mail address: the person gets a link (7 days, once) and chooses it."""
    application, container = make_app(tmp_path)
    account(container, "admin", Role.ADMIN)
    admin = login(application, "admin")
    token = csrf_of(admin.get("/verwaltung/zugaenge").text)
    created = admin.post(
        "/verwaltung/zugaenge/neu",
        data={
            "username": "a20.wolf",
            "role": "clerk",
            "display_name": "Petra Wolf",
            "department": "amt-20",
            "email": "petra.wolf@stadt.example",
            "csrf_token": token,
        },
    )
    assert created.status_code == 200
    assert "Einladung" in created.text and "Erstes Passwort" not in created.text
    link = application.state.mailer.link("petra.wolf@stadt.example")
    person = client(application)
    form = person.get(link)
    assert form.status_code == 200
    chosen = person.post(
        "/passwort-neu",
        data={
            "token": link.split("token=")[1],
            "password": "Mein-eigenes-Passwort-7",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert chosen.status_code == 303
    assert (
        login(application, "a20.wolf", "Mein-eigenes-Passwort-7").get("/api/me").status_code == 200
    )
    assert person.get(link).status_code == 400  # spent


def test_bidi_file_name_is_not_shown_reversed_on_any_page(tmp_path: Path) -> None:
    # Tried on the running app: the upload result, the supplier's lists and the clerk's
    # invoice page showed "Rechnung\u202egpj.xml" as "Rechnunglmx.jpg" (only the download
    # itself was cleaned).
    application, container = make_app(tmp_path)
    data = (SAMPLES / "xrechnung-ubl.xml").read_bytes()
    clerk, invoice = _invoice_of(application, container, "Rechnung\u202egpj\u2066.xml", data)
    supplier = login(application, "hansen")
    submission = supplier.get("/api/submissions").json()["items"][0]["message_id"]
    pages = {
        "clerk's invoice page": clerk.get(f"/rechnungen/{invoice}").text,
        "supplier's list": supplier.get("/meine-rechnungen").text,
        "supplier's report": supplier.get(f"/einreichungen/{submission}").text,
    }
    for where, html in pages.items():
        assert "Rechnunggpj.xml" in html, where
        assert "\u202e" not in html and "\u2066" not in html, where


def test_header_names_the_role_once(tmp_path: Path) -> None:
    # Tried on the running demo: the header read "Karin Krause (Kreditorenbuchhaltung)
    # (Kreditorenbuchhaltung)" and "Systemverwaltung (Systemverwaltung)", and wrapped.
    application, container = make_app(tmp_path)
    from einvoice.services.accounts import create_account

    kb_name = "Karin Krause (Kreditorenbuchhaltung)"
    create_account(container.sessions, "kb.krause", PASSWORD, Role.CREDITOR_ACCOUNTING, kb_name)
    create_account(container.sessions, "admin", PASSWORD, Role.ADMIN, "Systemverwaltung")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    pages = {
        "kb.krause": "Karin Krause (Kreditorenbuchhaltung)</span>",
        "admin": '<span class="who">Systemverwaltung</span>',
        "a10.becker": "A10.Becker (Sachbearbeitung)</span>",  # the role, where the name lacks it
    }
    for username, expected in pages.items():
        page = login(application, username).get("/konto").text
        assert expected in page, username
        assert "(Kreditorenbuchhaltung) (Kreditorenbuchhaltung)" not in page
        assert "Systemverwaltung (Systemverwaltung)" not in page


def test_my_account_names_the_office_not_its_key(tmp_path: Path) -> None:
    # Tried on the demo: "Mein Zugang" read "Martina Becker · a10.becker · Sachbearbeitung ·
    # amt-10" - the configuration key, where every other page says "Amt 10 – Hauptamt".
    application, container = make_app(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    page = login(application, "a10.becker").get("/konto").text
    assert "Sachbearbeitung · Amt 10 – Hauptamt</p>" in page
    assert "· amt-10" not in page
