"""The API's Weberfassung (issue 26): an invoice as JSON in, XRechnung out, or submitted
as channel "weberfassung"; refused invoices name the JSON path, form field and rule."""

from __future__ import annotations

import base64
import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from einvoice.formats.extract import extract
from einvoice.formats.validation import validate
from einvoice.services.accounts import Role
from einvoice.storage.tables import Message
from einvoice.web.api_invoice_entry import EXAMPLE
from einvoice.web.body_limit import MAX_BODY_BYTES
from tests.integration.web import account, client, login, make_app
from tests.invoice_entry_sample import PDF


def typical() -> dict[str, Any]:
    """The example of the OpenAPI description: a painter's two-line invoice with Skonto
    and a PDF; the seller's name, address, VAT id and bank account are left out (they come
    from the bound creditor)."""
    return copy.deepcopy(EXAMPLE)


def _post(c: Any, path: str, body: Any, **extra: Any) -> Any:
    token = c.get("/api/csrf").json()["csrf_token"]
    return c.post(f"/api/invoice-entry/{path}", json=body, headers={"x-csrf-token": token}, **extra)


def _supplier(tmp_path: Path) -> tuple[Any, Any, Any]:
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    return application, container, login(application, "lieferant")


def test_json_invoice_comes_back_as_xrechnung_the_validation_accepts(tmp_path: Path) -> None:
    _app, _container, supplier = _supplier(tmp_path)
    answer = _post(supplier, "xrechnung", typical())
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    assert 'filename="R-2025-001.xml"' in answer.headers["content-disposition"]
    xml = answer.content
    report = validate(xml)
    assert report.valid, [(f.rule, f.message_de) for f in report.findings]
    parsed = extract(xml)
    assert parsed.buyer_reference == "04011000-12345-03"  # an office of the sample city
    assert parsed.totals.amount_due == Decimal("765.43")  # 606.25 + 36.97 + 19 % VAT
    assert b"#SKONTO#TAGE=14#PROZENT=2.00#" in xml
    # left out: taken from the creditor the account is bound to (the first by name)
    assert parsed.seller.name == "Bürobedarf Hansen GmbH"
    assert parsed.seller.vat_identifier == "DE812345673"
    assert parsed.payment_instructions is not None
    transfer = parsed.payment_instructions.credit_transfers[0]
    assert transfer.iban == "DE29290500000012345678"
    # the buyer is the city's, never the client's
    assert parsed.buyer.name == "Stadt Musterstadt"
    attached = parsed.supporting_documents[0].attachment
    assert attached is not None and attached.content == b"%PDF-1.4\n%%EOF\n"


def test_refused_invoice_names_json_path_form_field_and_rule(tmp_path: Path) -> None:
    _app, _container, supplier = _supplier(tmp_path)
    body = typical()
    body["leitweg_id"] = "04011000-12345-04"  # check digits wrong
    body["lines"][1]["quantity"] = "drei"
    body["lines"][0]["net_price"] = "48,50"  # the API's numbers have a decimal point
    body["delivery_date"] = "07.03.2025"  # the API's dates are ISO
    body["seller"]["contact_phone"] = ""  # given as empty: not taken from anywhere
    body["payment"] = {"iban": "DE29 2905 0000 0012 3456 79"}
    answer = _post(supplier, "xrechnung", body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/json"
    refused = answer.json()
    assert "6 Fehler" in refused["detail"], refused["detail"]
    found = {(e["field"], e["form_field"], e["rule"]) for e in refused["errors"]}
    assert found == {
        ("leitweg_id", "leitweg_id", "BR-DE-15"),
        ("lines[1].quantity", "zeile-2-menge", "EINGABE"),
        ("lines[0].net_price", "zeile-1-preis", "EINGABE"),
        ("delivery_date", "lieferdatum", "EINGABE"),
        ("seller.contact_phone", "kontakt_telefon", "BR-DE-6"),
        ("payment.iban", "iban", "BR-DE-19"),
    }
    by_field = {e["field"]: e for e in refused["errors"]}
    assert by_field["lines[1].quantity"]["label"] == "Zeile 2: Menge"
    assert "Dezimalzahl" in by_field["lines[0].net_price"]["message"]
    assert all(e["message"] for e in refused["errors"])


def test_empty_entries_and_unknown_vat_are_refused_not_skipped(tmp_path: Path) -> None:
    _app, _container, supplier = _supplier(tmp_path)
    body = typical()
    body["lines"].append({"unit_code": "H87", "vat_category": "S", "vat_rate": "19"})
    body["lines"][0]["vat_rate"] = "16"
    body["charges"] = [{"amount": "5.00", "reason": "Anfahrt", "vat_category": "X"}]
    answer = _post(supplier, "xrechnung", body)
    assert answer.status_code == 422, answer.text
    found = {(e["field"], e["rule"]) for e in answer.json()["errors"]}
    assert found == {
        ("lines[2].name", "EINGABE"),
        ("lines[0].vat_rate", "BR-CO-04"),
        ("charges[0].vat_category", "BR-37"),
    }, found
    nothing = _post(supplier, "xrechnung", typical() | {"lines": []})
    assert {(e["field"], e["rule"]) for e in nothing.json()["errors"]} == {("lines", "BR-16")}


def test_submission_enters_the_pipeline_as_weberfassung(tmp_path: Path) -> None:
    _app, container, supplier = _supplier(tmp_path)
    answer = _post(supplier, "submissions", typical())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["file"] == "R-2025-001.xml"
    (document,) = body["documents"]
    assert document["number"] == "R-2025-001" and document["amount"] == "765.43"
    assert document["recommendation"] == "accept", document
    assert not [f for f in document["findings"] if f["severity"] == "error"]
    with container.sessions() as session:
        message = session.get(Message, body["message_id"])
        assert message is not None
        assert message.channel == "weberfassung"
        assert message.source.startswith("upload:")  # the account's, as an upload
    listed = supplier.get("/api/submissions").json()
    assert [i["message_id"] for i in listed["items"]] == [body["message_id"]]
    refused = _post(supplier, "submissions", typical() | {"number": ""})
    assert refused.status_code == 422
    assert {e["rule"] for e in refused.json()["errors"]} == {"BR-02"}
    with container.sessions() as session:
        assert len(session.scalars(select(Message.id)).all()) == 1  # nothing submitted


def test_only_a_logged_in_supplier_with_the_csrf_header(tmp_path: Path) -> None:
    application, container, supplier = _supplier(tmp_path)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    clerk = login(application, "a10.becker")
    for path in ("xrechnung", "submissions"):
        assert _post(clerk, path, typical()).status_code == 403
        anonymous = client(application).post(f"/api/invoice-entry/{path}", json=typical())
        assert anonymous.status_code == 401
        no_token = supplier.post(f"/api/invoice-entry/{path}", json=typical())
        assert no_token.status_code == 403 and "CSRF" in no_token.json()["detail"]
    # the defaults come only from a creditor the account is bound to
    account(container, "fremd", Role.SUPPLIER, bound=False)
    stranger = login(application, "fremd")
    own = _post(supplier, "xrechnung", typical() | {"creditor_id": 1})
    assert own.status_code == 200, own.text
    refused = _post(stranger, "xrechnung", typical() | {"creditor_id": 1})
    assert refused.status_code == 404, refused.text
    unbound = _post(stranger, "xrechnung", typical())
    assert unbound.status_code == 422  # nothing to take the seller's address from
    assert "seller.street" in {e["field"] for e in unbound.json()["errors"]}
    # a field the API does not know is refused, not ignored
    typo = _post(supplier, "xrechnung", typical() | {"numer": "R-1"})
    assert typo.status_code == 422 and "numer" in typo.json()["detail"]


def test_too_many_lines_and_too_big_attachments_are_refused_clearly(tmp_path: Path) -> None:
    _app, _container, supplier = _supplier(tmp_path)
    line = typical()["lines"][0]
    many = _post(supplier, "xrechnung", typical() | {"lines": [line] * 201})
    assert many.status_code == 422
    (error,) = many.json()["errors"]
    assert (error["field"], error["form_field"], error["rule"]) == ("lines", "zeilen", "EINGABE")
    assert "Höchstens 200 Rechnungszeilen" in error["message"]

    big = PDF + b"0" * (6 * 1024 * 1024)
    attachment = typical()["attachments"][0] | {"content": base64.b64encode(big).decode()}
    answer = _post(supplier, "xrechnung", typical() | {"attachments": [attachment]})
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert (error["field"], error["rule"]) == ("attachments[0]", "EINGABE")
    assert "größer als 5 MB" in error["message"]

    broken = typical()["attachments"][0] | {"content": "kein base64!"}
    answer = _post(supplier, "xrechnung", typical() | {"attachments": [broken]})
    assert [e["field"] for e in answer.json()["errors"]] == ["attachments[0]"]

    huge = base64.b64encode(b"%PDF-" + b"0" * MAX_BODY_BYTES).decode()
    files = [typical()["attachments"][0] | {"content": huge}]
    too_large = _post(supplier, "xrechnung", typical() | {"attachments": files})
    assert too_large.status_code == 413
    assert "zu groß" in too_large.json()["detail"]


def test_openapi_describes_the_fields_with_their_bt_ids(tmp_path: Path) -> None:
    _app, _container, supplier = _supplier(tmp_path)
    spec = supplier.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert schemas["EntryIn"]["examples"] == [EXAMPLE]  # the one the first test sends
    entry = schemas["EntryIn"]["properties"]
    assert "BT-1 " in entry["number"]["description"]
    assert "BT-10 " in entry["leitweg_id"]["description"]
    line = schemas["LineIn"]["properties"]
    assert "BT-129" in line["quantity"]["description"]
    assert line["quantity"]["pattern"].startswith("^")
    operation = spec["paths"]["/api/invoice-entry/xrechnung"]["post"]
    assert "application/xml" in operation["responses"]["200"]["content"]
    refused = operation["responses"]["422"]["content"]["application/json"]["schema"]
    assert refused["$ref"].endswith("/EntryRefused")
    assert schemas["EntryRefused"]["required"] == ["detail"]
