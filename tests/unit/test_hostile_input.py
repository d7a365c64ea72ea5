"""Hostile and broken input: a clear finding, exit code 1, no traceback, bounded memory."""

from __future__ import annotations

import io
import json
import random
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfWriter

from tests.helpers import ROOT, einvoice_cmd, run_cli

MINIMAL_CII = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
    b'CrossIndustryInvoice:100"/>'
)


def _pdf(attachments: dict[str, bytes], password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    for name, content in attachments.items():
        writer.add_attachment(name, content)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _validate(path: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    result = run_cli("validate", "--format", "json", str(path))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    reports = json.loads(result.stdout)
    assert len(reports) == 1
    report = reports[0]
    assert report["recommendation"] == "reject"
    assert report["valid"] is False
    return result, report


def _rules(report: dict[str, object]) -> set[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["rule"] for f in findings if f["severity"] == "error"}


CASES: dict[str, tuple[bytes, str]] = {
    "xxe.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&xxe;</Invoice>',
        "SYNTAX-DTD",
    ),
    "billion-laughs.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]><lolz>&lol9;</lolz>",
        "SYNTAX-DTD",
    ),
    "external-dtd.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/invoice.dtd">'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
        "SYNTAX-DTD",
    ),
    "latin1.xml": (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        b'CrossIndustryInvoice:100"><!-- Gr\xfc\xdfe --></rsm:CrossIndustryInvoice>',
        "SYNTAX-ENCODING",
    ),
    "random.xml": (random.Random(4711).randbytes(64 * 1024), "SYNTAX-NOT-XML"),
    "empty.xml": (b"", "SYNTAX-EMPTY"),
    "malformed.xml": (b"<Invoice><unclosed></Invoice>", "SYNTAX-MALFORMED"),
    "no-xml.pdf": (_pdf({}), "PDF-NO-XML"),
    "two-xml.pdf": (
        _pdf({"factur-x.xml": MINIMAL_CII, "xrechnung.xml": MINIMAL_CII}),
        "PDF-SEVERAL-XML",
    ),
    "encrypted.pdf": (_pdf({"factur-x.xml": MINIMAL_CII}, password="geheim"), "PDF-ENCRYPTED"),
    "truncated.pdf": (_pdf({"factur-x.xml": MINIMAL_CII})[:400], "PDF-BROKEN"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_rejected_with_a_clear_finding(name: str, tmp_path: Path) -> None:
    content, rule = CASES[name]
    path = tmp_path / name
    path.write_bytes(content)
    _, report = _validate(path)
    assert rule in _rules(report), report


def test_xxe_does_not_leak_file_content(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_bytes(CASES["xxe.xml"][0])
    result, _ = _validate(path)
    assert "root:" not in result.stdout


def test_200_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.write(b"<Invoice>")
        handle.truncate(200 * 1024 * 1024)
    code = (
        "import resource, subprocess, sys;"
        f"r = subprocess.run({[*einvoice_cmd(), 'validate', '--format', 'json', str(path)]!r},"
        " capture_output=True, text=True);"
        "print(r.returncode); print(r.stdout); print(r.stderr, file=sys.stderr);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "1", result
    reports = json.loads("\n".join(lines[1:-1]))
    assert {f["rule"] for f in reports[0]["findings"]} == {"INPUT-TOO-LARGE"}
    max_rss_kib = int(lines[-1])
    assert max_rss_kib < 400 * 1024, f"memory not bounded: {max_rss_kib} KiB"
    assert "Traceback" not in result.stderr


def test_library_call_refuses_oversized_bytes() -> None:
    import einvoice
    from einvoice.formats.validation import ValidationPolicy

    report = einvoice.validate(b"<a/>" * 1000, name="x.xml", policy=ValidationPolicy(max_bytes=100))
    assert [f.rule for f in report.findings] == ["INPUT-TOO-LARGE"]
    assert report.recommendation.value == "reject"


def test_resource_module_available() -> None:
    # the memory check above relies on it; fail loudly rather than skip
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0


@pytest.mark.parametrize(
    ("data", "where", "german"),
    [
        (
            b"<Invoice><unclosed></Invoice>",
            "Zeile 1, Spalte 30",
            "Das Element <unclosed> aus Zeile 1",
        ),
        (b"<a>\n<b x=1/></a>", "Zeile 2, Spalte 6", "nicht in Anführungszeichen"),
        (b"<a>\n  <b>text", "Zeile 2, Spalte 10", "abgeschnitten"),
        (b"<a>AT&T</a>", "Zeile 1, Spalte 8", "&amp;"),
        (b"<a>x &foo; y</a>", "Zeile 1, Spalte 11", "Die Entität &foo; ist nicht definiert"),
        (b"<a:b/>", "Zeile 1, Spalte 5", "Namensraum-Präfix"),
    ],
)
def test_malformed_xml_is_explained_in_german(data: bytes, where: str, german: str) -> None:
    # Issue 14: the German message carried libxml2's English ("Opening and ending tag
    # mismatch: ..."). German: what and where; the parser's text stays in the English one.
    from einvoice.formats.safexml import parse

    (finding,) = parse(data).findings
    assert finding.rule == "SYNTAX-MALFORMED"
    assert finding.message_de.startswith(f"Die Datei ist kein wohlgeformtes XML ({where}): ")
    assert german in finding.message_de
    assert finding.location == where
    english = ("Opening", "mismatch", "expected", "Premature", "EntityRef", "not defined")
    assert not any(word in finding.message_de for word in english), finding.message_de
    assert finding.message_en.startswith("The file is not well-formed XML (line ")
    technical = finding.message_en.split("): ", 1)[1]
    assert any(word in technical for word in english), finding.message_en
