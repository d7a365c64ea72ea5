"""The JSON API's shapes: amounts as decimal strings with the currency's places, moments
with their offset, multipart errors as German JSON, paged submission lists."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from einvoice.samplegen.ubl import to_ubl
from einvoice.services.accounts import Role
from tests.integration.web import account, login, make_app
from tests.integration.workflow_setup import sample

AMOUNT = re.compile(r"-?[0-9]+\.[0-9]{2}")


def _submit(c: Any, name: str, data: bytes) -> Any:
    token = c.get("/api/csrf").json()["csrf_token"]
    return c.post("/api/submissions", headers={"x-csrf-token": token}, files={"file": (name, data)})


def test_amounts_have_the_currencys_places_and_moments_their_offset(tmp_path: Path) -> None:
    # Tried on the running app: "amount": "123.4500" and "received_at": "2026-12-02T06:10:00"
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    supplier = login(application, "lieferant")
    created = _submit(supplier, "r.xml", to_ubl(sample(0)))
    assert created.status_code == 201, created.text
    (listed,) = supplier.get("/api/submissions").json()["items"]
    for body in (created.json(), listed):
        (document,) = body["documents"]
        assert document["currency"] == "EUR" and AMOUNT.fullmatch(document["amount"]), document
        moment = body["received_at"]
        assert re.search(r"(Z|[+-][0-9]{2}:[0-9]{2})$", moment), moment
        assert datetime.fromisoformat(moment).utcoffset() is not None
    clerk = login(application, "a10.becker")
    (item,) = clerk.get("/api/invoices").json()
    assert AMOUNT.fullmatch(item["amount"]), item
    detail = clerk.get(f"/api/invoices/{item['invoice_id']}").json()
    assert detail["amount_due"] == item["amount"]

    schemas = clerk.get("/openapi.json").json()["components"]["schemas"]
    amount = schemas["DocumentOut"]["properties"]["amount"]["anyOf"][0]
    assert amount["type"] == "string" and "pattern" in amount
    assert schemas["SubmissionOut"]["properties"]["received_at"]["format"] == "date-time"


def test_unreadable_multipart_is_german_html_for_browsers_and_json_for_the_api(
    tmp_path: Path,
) -> None:
    # Tried on the running app: a file name of 70,000 characters answered
    # "Invalid multipart data." (English) on the upload page and in the API.
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    supplier = login(application, "lieferant")
    token = supplier.get("/api/csrf").json()["csrf_token"]
    too_long = {"file": ("a" * 70_000 + ".xml", b"<x/>")}
    page = supplier.post(
        "/einreichen",
        data={"csrf_token": token},
        files=too_long,
        headers={"accept": "text/html"},
    )
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "kürzeren Namen" in page.text and "Invalid" not in page.text
    assert '<html lang="de"' in page.text
    api = supplier.post("/api/submissions", headers={"x-csrf-token": token}, files=too_long)
    assert api.status_code == 400 and api.headers["content-type"] == "application/json"
    assert "kürzeren Namen" in api.json()["detail"]
    broken = supplier.post(
        "/api/submissions",
        content=b"garbage",
        headers={"x-csrf-token": token, "content-type": "multipart/form-data"},
    )
    assert broken.status_code == 400
    detail = broken.json()["detail"]
    assert "Formulardaten" in detail and "boundary" in detail and "Missing" not in detail


def test_submissions_are_paged_with_total_and_next_never_cut_short(tmp_path: Path) -> None:
    # Tried on the running app: GET /api/submissions answered the newest 200 and said
    # nothing of the others.
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    supplier = login(application, "lieferant")
    for seed in range(3):
        assert _submit(supplier, f"r{seed}.xml", to_ubl(sample(seed))).status_code == 201
    first = supplier.get("/api/submissions", params={"limit": 2})
    body = first.json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (3, 2, 0, 2)
    assert body["next"].endswith("/api/submissions?limit=2&offset=2"), body["next"]
    assert first.headers["link"] == f'<{body["next"]}>; rel="next"'
    newest = [i["file"] for i in body["items"]]
    assert newest == ["r2.xml", "r1.xml"]
    last = supplier.get(body["next"]).json()
    assert [i["file"] for i in last["items"]] == ["r0.xml"] and last["next"] is None
    assert supplier.get("/api/submissions").json()["total"] == 3  # default page: all three
    too_big = supplier.get("/api/submissions", params={"limit": 500})
    assert too_big.status_code == 422  # refused, not silently capped at 200
    spec = supplier.get("/openapi.json").json()
    parameters = spec["paths"]["/api/submissions"]["get"]["parameters"]
    assert {p["name"]: p["schema"].get("maximum") for p in parameters}["limit"] == 200


def test_request_validation_errors_of_the_api_are_german_json_naming_the_field(
    tmp_path: Path,
) -> None:
    # Tried on the running app: POST /api/submissions without a file answered FastAPI's
    # English list ({"detail": [{"type": "missing", "loc": ["body", "file"], "msg":
    # "Field required", ...}]}), unlike every other error of the API.
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    supplier = login(application, "lieferant")
    token = supplier.get("/api/csrf").json()["csrf_token"]
    no_file = supplier.post("/api/submissions", headers={"x-csrf-token": token}, data={"note": "x"})
    assert no_file.status_code == 422
    assert no_file.headers["content-type"] == "application/json"
    detail = no_file.json()["detail"]
    assert isinstance(detail, str), detail
    assert detail == "Die Eingabe passt nicht: Formularfeld „file“ fehlt.", detail
    too_big = supplier.get("/api/submissions", params={"limit": 500}).json()["detail"]
    assert too_big == "Die Eingabe passt nicht: Parameter „limit“ darf höchstens 200 sein."
    not_a_number = supplier.get("/api/submissions", params={"offset": "zwei"}).json()["detail"]
    assert not_a_number == "Die Eingabe passt nicht: Parameter „offset“ ist keine Zahl."
    wrong_id = supplier.get("/api/invoices/abc").json()["detail"]
    assert "„invoice_id“ ist keine Zahl" in wrong_id, wrong_id
    # the description says so (schemathesis checks the answers against it)
    spec = supplier.get("/openapi.json").json()
    error = spec["components"]["schemas"]["HTTPValidationError"]
    assert error["properties"]["detail"]["type"] == "string"
    assert "ValidationError" not in spec["components"]["schemas"]
