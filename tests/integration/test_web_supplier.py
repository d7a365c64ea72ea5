"""Supplier flows through the real app (HTTP): register, upload, report, status; security."""

from __future__ import annotations

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
