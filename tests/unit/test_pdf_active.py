"""PDF-ACTIVE-CONTENT: JavaScript, launch actions and executables in a ZUGFeRD PDF."""

from __future__ import annotations

import io

import pypdf
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

import einvoice
from einvoice.formats import pdf
from tests.helpers import ROOT

SAMPLE = (ROOT / "samples" / "zugferd-en16931.pdf").read_bytes()


def _with(
    action: dict[str, object] | None = None, attachment: tuple[str, bytes] | None = None
) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(SAMPLE)))
    if action is not None:
        entries = {NameObject(k): v for k, v in action.items()}
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(
            DictionaryObject(entries)  # type: ignore[arg-type]
        )
    if attachment is not None:
        writer.add_attachment(*attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rules(data: bytes) -> list[str]:
    return [f.rule for f in pdf.extract(data).findings]


def test_plain_zugferd_pdf_has_no_active_content() -> None:
    assert "PDF-ACTIVE-CONTENT" not in _rules(SAMPLE)


def test_javascript_open_action_is_flagged_in_german_and_english() -> None:
    data = _with({"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")})
    extraction = pdf.extract(data)
    found = [f for f in extraction.findings if f.rule == "PDF-ACTIVE-CONTENT"]
    assert len(found) == 1
    assert found[0].severity.value == "warning"
    assert "JavaScript" in found[0].message_de and "aktive Inhalte" in found[0].message_de
    assert "active content" in found[0].message_en
    assert extraction.xml is not None  # the invoice itself is still read


def test_the_finding_reaches_the_report_and_the_invoice_is_still_accepted() -> None:
    data = _with({"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")})
    report = einvoice.validate(data, name="rechnung.pdf")
    assert "PDF-ACTIVE-CONTENT" in [f.rule for f in report.findings]
    assert report.recommendation.value == "accept"


def test_launch_action_and_unsafe_uri_are_flagged() -> None:
    launch = _with({"/S": NameObject("/Launch"), "/F": TextStringObject("cmd.exe")})
    assert "PDF-ACTIVE-CONTENT" in _rules(launch)
    uri = _with({"/S": NameObject("/URI"), "/URI": TextStringObject("file:///C:/evil.exe")})
    assert "PDF-ACTIVE-CONTENT" in _rules(uri)
    web = _with({"/S": NameObject("/URI"), "/URI": TextStringObject("https://stadt.example/")})
    assert "PDF-ACTIVE-CONTENT" not in _rules(web)


def test_embedded_executable_is_flagged() -> None:
    assert "PDF-ACTIVE-CONTENT" in _rules(_with(attachment=("werkzeug.exe", b"MZ\x90\x00")))
    assert "PDF-ACTIVE-CONTENT" in _rules(_with(attachment=("daten.bin", b"\x7fELF\x02")))
