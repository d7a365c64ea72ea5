"""Counted nouns read as German (issue 25, finding 11): "1 offene Bindung", never
"1 offene Bindung(en)", "Rechnung(en)" or "Quartal(en)" anywhere a person reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from einvoice.presentation.plurals import NOUNS, count_de, noun_de

PACKAGE = Path(__file__).resolve().parents[2] / "einvoice"


@pytest.mark.parametrize(
    ("count", "noun", "text"),
    [
        (1, "Rechnung", "1 Rechnung"),
        (0, "Rechnung", "0 Rechnungen"),
        (2, "offene Bindung", "2 offene Bindungen"),
        (1234, "Tag", "1.234 Tage"),
        (1, "Ereignis", "1 Ereignis"),
    ],
)
def test_count_reads_german(count: int, noun: str, text: str) -> None:
    assert count_de(count, noun) == text


def test_unknown_noun_is_an_error_not_a_guess() -> None:
    with pytest.raises(KeyError):
        noun_de(2, "Rechnungsposition")
    assert all(NOUNS.values())


def test_no_text_in_the_package_writes_a_plural_in_brackets() -> None:
    # a German noun (capitalised) with its plural ending in brackets, inside a text: "Tag(e)",
    # "Rechnung(en)", "E-Mail(s)"; English log lines ("session(s)") are for operators' tools
    bracketed = re.compile(r"\b[A-ZÄÖÜ][\wäöüß-]*\((?:en|n|e|s)\)(?![\w(])")
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in (".py", ".html", ".toml", ".txt") or path.name == "plurals.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = bracketed.search(line)
            in_text = path.suffix != ".py" or (match and line[: match.start()].count('"') % 2)
            if match and in_text:
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()[:80]}")
    assert found == []
