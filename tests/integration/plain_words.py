"""What a person must never read on a page or in a PDF (issue 25, Must show): a raw metric
key ("skonto_lost", "received" as a label), a rule id without its German text beside it
("BR-DE-15 / BR-CO-15 / SCENARIO"), an XPath ("/ubl:Invoice[1]"), a login name where a
person's name belongs ("Eingereicht von Portalkonto lieferant") or a bracketed plural
("1 offene Bindung(en)").

Checked on the visible text (``inner_text`` of the page, ``pdftotext`` of a PDF), line by
line: a table row is one line, so a rule id in a table cell needs its German title in the
same row.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable

import pytest

from tests.helpers import IN_CI

#: the dashboard's figure keys (services.metrics.TRACE_KINDS_DE and the argument kinds)
METRIC_KEY = re.compile(
    r"\b(?:skonto_(?:lost|taken|open)|received|rejected|overdue|accepted|ordered|late|"
    r"suppliers|channel|office|supplier)\b"
)
RULE_ID = re.compile(
    r"\b(?:BR(?:-[A-Z]{2,3})?-\d+[a-z]?|PEPPOL-EN16931-R\d+|(?:UBL|CII)-(?:CR|SR|DT)-\d+|"
    r"SCENARIO|XSD|(?:PDF|SYNTAX|INPUT|INFO|POLICY|LAYER)-[A-Z][A-Z-]*[A-Z])\b"
)
XPATH = re.compile(r"/(?:ubl|cac|cbc|rsm|ram|udt|qdt|inv|cn):|\w\[1\]")
PLURAL = re.compile(r"\w\((?:en|n|e|s|er)\)")
#: a login in brackets right after a person's name (the audit trail tells namesakes apart),
#: or named as what it is: the portal account („Portalkonto „mallory“")
NAMED_LOGIN = re.compile(r"(?<=[a-zäöüß] )\([\w.@-]+\)|Portalkonto „[\w.@-]+“")
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")
#: a rule id counts as explained when its line keeps this many words once the ids are gone
WORDS_BESIDE = 2


def unplain(text: str, logins: Iterable[str] = ()) -> list[str]:
    """Every line of ``text`` that shows one of the forbidden things, with the reason."""
    login_words = [re.compile(rf"(?<![\w.@-]){re.escape(name)}(?![\w@-]|\.\w)") for name in logins]
    found: list[str] = []
    before = ""
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if match := METRIC_KEY.search(line):
            found.append(f"Kennzahl-Schlüssel {match.group(0)!r}: {line[:160]}")
        if RULE_ID.search(line):
            # "… fehlt (Prüfregel BR-DE-15)": a PDF may wrap the bracket onto its own line
            rest = RULE_ID.sub(" ", f"{before} {line}" if line.startswith("(") else line)
            if len(WORD.findall(rest)) < WORDS_BESIDE:
                found.append(f"Regelkennung ohne deutschen Text: {line[:160]}")
        if match := XPATH.search(line):
            found.append(f"XPath {match.group(0)!r}: {line[:160]}")
        if match := PLURAL.search(line):
            found.append(f"Klammer-Plural {match.group(0)!r}: {line[:160]}")
        named = NAMED_LOGIN.sub(" ", line)  # "Martina Becker (a10.becker)": the name is there
        for pattern in login_words:
            if match := pattern.search(named):
                found.append(f"Anmeldename {match.group(0)!r}: {line[:160]}")
        before = line
    return found


def pdf_text(pdf: bytes, tmp: object) -> str:
    """The text of a PDF as ``pdftotext -layout`` reads it (fails loudly without poppler)."""
    from pathlib import Path

    if shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("pdftotext (poppler-utils) is missing (CI=true: fails the run)")
        pytest.skip("SKIPPED LOUDLY - pdftotext (poppler-utils) not installed")
    assert pdf.startswith(b"%PDF"), pdf[:200]
    path = Path(str(tmp)) / "plain-words.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def overlapping_words(pdf: bytes, tmp: object) -> list[str]:
    """Words printed over each other (``pdftotext -bbox``): a table cell running into the
    next one ("Behördenpostfach22,5") or colliding column headers, with the page number."""
    from pathlib import Path

    pdf_text(pdf, tmp)  # fails loudly without poppler, writes the file
    path = Path(str(tmp)) / "plain-words.pdf"
    done = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    box = re.compile(
        r'<page |xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    pages: list[list[tuple[float, float, float, float, str]]] = []
    for match in box.finditer(done.stdout.decode("utf-8")):
        if match.group(0).startswith("<page"):
            pages.append([])
        else:
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            pages[-1].append((x0, y0, x1, y1, match.group(5)))
    found = []
    for number, words in enumerate(pages, start=1):
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                if across > 0.5 and down > 0.5:  # points; touching is fine, overlapping not
                    found.append(f"Seite {number}: {a[4]!r} über {b[4]!r}")
    return found
