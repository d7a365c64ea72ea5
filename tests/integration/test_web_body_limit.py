"""One limit on every request body, before anything reads it: a declared size over it is a 413
at once (nothing read), a chunked body is cut off once it passes it. The limit comes from the
upload settings (files x bytes + room for the form fields): the largest legal Weberfassung
post and a full multi-file upload still pass. Bodies other than multipart forms (JSON, plain
forms) are read into memory and have the API's tighter limit."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from einvoice.domain.entry_fields import MAX_ALLOWANCES, MAX_LINES
from einvoice.services.invoice_entry import HEADER_FIELDS
from einvoice.web.app import create_app
from einvoice.web.body_limit import MAX_BODY_BYTES, form_limit
from tests.integration.test_web_invoice_entry import _filled, _new, _post, _world
from tests.integration.web import client, csrf_of, login

KB = 1024
MB = 1024 * 1024
BOUNDARY = "grenze"
FILE_HEAD = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="files"; filename="riesig.xml"\r\n'
    "Content-Type: application/xml\r\n\r\n"
).encode()


def _narrow(tmp_path: Path, max_upload_bytes: int, max_upload_files: int) -> tuple[Any, Any]:
    """The test world's app with smaller upload settings (a smaller body limit)."""
    application, container = _world(tmp_path)
    settings = dataclasses.replace(
        application.state.settings,
        max_upload_bytes=max_upload_bytes,
        max_upload_files=max_upload_files,
    )
    narrow = create_app(container, settings, application.state.on_invoice)
    narrow.state.mailer = application.state.mailer
    return narrow, container


def _call(
    app: Any, path: str, headers: dict[str, str], chunks: Iterable[bytes]
) -> tuple[int, dict[str, str], bytes, int]:
    """One POST straight through ASGI: (status, headers, body, body chunks the app pulled)."""
    source = iter(chunks)
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        chunk = next(source, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 443),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    answer = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], answer, body, pulled


def _endless(head: bytes, chunk: int, count: int) -> Iterable[bytes]:
    yield head
    block = b"x" * chunk
    for _ in range(count):
        yield block


def test_the_limit_comes_from_the_upload_settings(tmp_path: Path) -> None:
    application, _ = _world(tmp_path)
    settings = application.state.settings
    limit = form_limit(settings.max_upload_bytes, settings.max_upload_files)
    files = settings.max_upload_bytes * settings.max_upload_files
    assert files < limit < files + 16 * MB  # files plus room for the form fields


def test_a_huge_declared_body_is_refused_before_a_byte_is_read(tmp_path: Path) -> None:
    application, _ = _world(tmp_path)
    page = {
        "content-type": f"multipart/form-data; boundary={BOUNDARY}",
        "content-length": str(10**12),
        "accept": "text/html",
    }
    status, headers, body, pulled = _call(application, "/einreichen", page, [b"x" * MB] * 3)
    assert (status, pulled) == (413, 0)
    assert "text/html" in headers["content-type"] and "zu groß" in body.decode()
    assert headers["x-frame-options"] == "DENY"  # the app's security headers too

    api = {"content-type": "application/json", "content-length": str(MAX_BODY_BYTES + 1)}
    status, headers, body, pulled = _call(application, "/api/invoice-entry/xrechnung", api, [b"{"])
    assert (status, pulled) == (413, 0)
    assert headers["content-type"] == "application/json" and b"zu gro" in body
    labelled = api | {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    assert _call(application, "/api/invoices/1/actions", labelled, [b"x"])[::3] == (413, 0)
    upload = labelled | {"content-length": str(MAX_BODY_BYTES + 1)}  # the API's upload: files
    assert _call(application, "/api/submissions", upload, [b"x"])[0] != 413


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(tmp_path: Path) -> None:
    application, _ = _narrow(tmp_path, 64 * KB, 2)
    limit = form_limit(64 * KB, 2)
    blocks = limit // MB + 20
    page = {"content-type": f"multipart/form-data; boundary={BOUNDARY}", "accept": "text/html"}
    status, _, body, pulled = _call(
        application, "/einreichen", page, _endless(FILE_HEAD, MB, blocks)
    )
    assert status == 413 and "zu groß" in body.decode()
    assert pulled <= limit // MB + 2 < blocks  # stopped at the limit, the rest never read

    blocks = MAX_BODY_BYTES // MB + 20
    for path, kind in (
        ("/api/invoice-entry/xrechnung", "application/json"),
        # a JSON route reads any body into memory: labelled multipart, it is still JSON's limit
        ("/api/invoice-entry/submissions", f"multipart/form-data; boundary={BOUNDARY}"),
    ):
        status, headers, body, pulled = _call(
            application, path, {"content-type": kind}, _endless(b"[", MB, blocks)
        )
        assert status == 413 and headers["content-type"] == "application/json"
        assert pulled <= MAX_BODY_BYTES // MB + 2 < blocks, path


def _longest(length: int) -> str:
    """``length`` characters of four UTF-8 bytes each (percent-encoded: twelve)."""
    return "\U0001d11e" * length


def test_the_largest_legal_weberfassung_post_still_passes(tmp_path: Path) -> None:
    """Every row of the form at its longest, each character four bytes, plus the largest
    attachment - with one file per upload, the tightest the limit can be."""
    application, container = _narrow(tmp_path, 1 * MB, 1)
    c = login(application, "hansen")
    location = _new(c)
    values = _filled(c, location)
    for i in range(1, MAX_LINES + 1):
        p = f"zeile-{i}-"
        values |= {
            p + "beschreibung": _longest(250),
            p + "menge": "1",
            p + "einheit": "H87",
            p + "preis": "1,00",
            p + "ust": "S:19",
            p + "nachlass": "",
            p + "nachlass_grund": _longest(100),
        }
    for kind in ("abzug", "zuschlag"):
        for i in range(1, MAX_ALLOWANCES + 1):
            values |= {f"{kind}-{i}-betrag": "", f"{kind}-{i}-grund": _longest(100)}
            values |= {f"{kind}-{i}-ust": ""}
    values |= {"hinweis": _longest(2000), "zahlungsbedingungen": _longest(1000)}
    assert len(HEADER_FIELDS) < 40
    from einvoice.services.invoice_entry_submit import file_limit

    largest = file_limit(container.pipeline, 1 * MB)
    attachment = b"%PDF-1.4\n" + b"0" * (largest - 9)
    values["anlage_beschreibung"] = _longest(200)
    answer = _post(
        c,
        location,
        values,
        "speichern",
        files={"anlage": ("stunden.pdf", attachment, "application/pdf")},
    )
    assert answer.status_code == 303, answer.text[:500]
    page = c.get(location).text
    assert ">stunden.pdf</a>" in page
    assert _longest(250) in page


def test_a_full_multi_file_upload_still_passes(tmp_path: Path) -> None:
    application, _ = _narrow(tmp_path, 64 * KB, 3)
    c = login(application, "hansen")
    token = csrf_of(c.get("/einreichen").text)
    files = [
        ("files", (f"rechnung-{n}.xml", b"<" + b"x" * (64 * KB - 1), "application/xml"))
        for n in range(3)
    ]
    answer = c.post("/einreichen", data={"csrf_token": token}, files=files)
    assert answer.status_code == 200, answer.text[:500]
    for n in range(3):
        assert f"rechnung-{n}.xml" in answer.text
    assert "zu groß" not in answer.text
    one_byte_more = [("files", ("zu-gross.xml", b"x" * (64 * KB + 1), "application/xml"))]
    refused = c.post("/einreichen", data={"csrf_token": token}, files=one_byte_more)
    assert refused.status_code == 413 and "zu groß" in refused.text  # the file's own limit
    anonymous = client(application)
    assert anonymous.get("/einreichen").status_code == 303
