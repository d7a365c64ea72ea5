"""The JSON API exercised by schemathesis against its own OpenAPI description."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from einvoice.services.accounts import Role
from einvoice.web.api_invoice_entry import EXAMPLE
from tests.integration.web import account, csrf_of, login, make_app

_tmp = Path(tempfile.mkdtemp(prefix="einvoice-api-"))
application, _container = make_app(_tmp)
account(_container, "lieferant", Role.SUPPLIER)
_client = login(application, "lieferant")
_token = csrf_of(_client.get("/einreichen").text)
_cookie = "; ".join(f"{k}={v}" for k, v in _client.cookies.items())

schema = schemathesis.openapi.from_asgi("/openapi.json", application)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_has_no_server_errors(case: schemathesis.Case) -> None:
    # Server errors, and responses that do not match their own description. (Starlette
    # answers 405 with the Allow header of one route only; that check is left out.)
    case.call_and_validate(
        headers={"cookie": _cookie, "x-csrf-token": _token},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )


def test_the_weberfassung_api_is_among_the_operations_and_has_a_valid_example() -> None:
    # issue 26: the JSON invoice endpoints are fuzzed like the rest; their body's example
    # (a complete invoice) is sent too, so the success path (200 XML, 201) is exercised
    paths = {result.ok().path for result in schema.get_all_operations()}
    assert {"/api/invoice-entry/xrechnung", "/api/invoice-entry/submissions"} <= paths
    answer = _client.post(
        "/api/invoice-entry/xrechnung",
        json=EXAMPLE,
        headers={"x-csrf-token": csrf_of(_client.get("/einreichen").text)},
    )
    assert answer.status_code == 200, answer.text
