"""A very long file name (2,000 characters) is recorded shortened to 255 characters,
keeping its extension, for web uploads, the API and mail attachments; the file's bytes
stay whole, and the submission page says that the name was shortened."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select

from einvoice.bootstrap import Container
from einvoice.domain.filenames import MAX_FILENAME
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import ingest
from einvoice.services.accounts import Role
from einvoice.storage.tables import Document, Message
from tests.integration.mail import email_with
from tests.integration.web import account, csrf_of, login, make_app
from tests.integration.workflow_setup import sample, setup

LONG = "rechnung-" + "x" * 2000 + ".xml"

# Tried on the running app: the upload was accepted and the name recorded as the first
# 200 characters, without ".xml" (the download was a file without extension), and nothing
# on the page said so; a mail attachment's name was cut at 500 characters.


def _shortened(name: str) -> None:
    assert len(name) == MAX_FILENAME, len(name)
    assert name.startswith("rechnung-xxx") and name.endswith("….xml"), name[-20:]


def test_long_upload_names_are_shortened_keeping_the_extension_and_the_bytes(
    tmp_path: Path,
) -> None:
    application, container = make_app(tmp_path)
    account(container, "lieferant", Role.SUPPLIER)
    supplier = login(application, "lieferant")
    data = to_ubl(sample(0))
    sent = supplier.post(
        "/einreichen",
        data={"csrf_token": csrf_of(supplier.get("/einreichen").text)},
        files={"file": (LONG, data)},
    )
    assert sent.status_code == 303, sent.text
    page = supplier.get(sent.headers["location"])
    assert "Dateiname war länger als 255 Zeichen" in page.text
    assert "vollständig und unverändert" in page.text
    with container.pipeline.sessions() as session:
        (document,) = session.scalars(select(Document)).all()
        message = session.get(Message, document.message_id)
        assert message is not None
        _shortened(document.filename)
        _shortened(message.source.split(":", 2)[-1])
        document_id = document.id
        assert document.sha256 == hashlib.sha256(data).hexdigest()
    original = supplier.get(f"/meine-rechnungen/{document_id}/original")
    assert original.status_code == 200 and original.content == data
    assert ".xml" in original.headers["content-disposition"]

    token = supplier.get("/api/csrf").json()["csrf_token"]
    again = to_ubl(sample(1))
    api = supplier.post(
        "/api/submissions", headers={"x-csrf-token": token}, files={"file": (LONG, again)}
    )
    assert api.status_code == 201, api.text
    _shortened(api.json()["file"])
    _shortened(api.json()["documents"][0]["filename"])

    short = supplier.post(
        "/api/submissions",
        headers={"x-csrf-token": token},
        files={"file": ("kurz.xml", to_ubl(sample(2)))},
    )
    assert short.json()["file"] == "kurz.xml"
    page = supplier.get(f"/einreichungen/{short.json()['message_id']}")
    assert page.status_code == 200 and "gekürzt" not in page.text


def test_long_mail_attachment_names_are_shortened_keeping_the_extension(
    container: Container,
) -> None:
    pipeline = setup(container).pipeline
    data = to_ubl(sample(0))
    received = ingest.receive(pipeline, email_with([(LONG, data)]), "mail", "test")
    (document_id,) = ingest.split(pipeline, received.message_id)
    with pipeline.sessions() as session:
        document = session.get(Document, document_id)
        assert document is not None
        _shortened(document.filename)
        assert document.size == len(data)
        assert document.sha256 == hashlib.sha256(data).hexdigest()
