"""docs/settings.md: one table, not cut by a blank line, naming every EINVOICE_ variable the
code reads (issue 22, finding 5: EINVOICE_LOG_FORMAT/EINVOICE_LOG_LEVEL were missing and a
blank line cut the table in two, so three rows rendered as text)."""

from __future__ import annotations

import re

from tests.helpers import ROOT

SETTINGS = ROOT / "docs" / "settings.md"
#: names that are prefixes or templates, documented through their row (…__NAME, _S3_...)
NOT_SETTINGS = {"EINVOICE_IMAP", "EINVOICE_S3"}


def _table_lines() -> list[str]:
    lines = SETTINGS.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("| Variable |"))
    table: list[str] = []
    for line in lines[first:]:
        if not line.startswith("|"):
            break
        table.append(line)
    return table


def _documented(rows: list[str]) -> set[str]:
    """The names in the first cells; a short form (`EINVOICE_S3_ENDPOINT` / `_ACCESS_KEY`)
    stands for the full name with the same beginning."""
    names: set[str] = set()
    for row in rows:
        first_cell = row.split("|")[1]
        full = re.findall(r"`(EINVOICE_[A-Z0-9_]+)`", first_cell)
        names.update(full)
        for short in re.findall(r"`(_[A-Z0-9_]+)`", first_cell):
            for name in full:
                parts = name.split("_")
                names.update("_".join(parts[:i]) + short for i in range(2, len(parts)))
    return names


def _read_by_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "einvoice").rglob("*.py"):
        found |= set(re.findall(r"EINVOICE_[A-Z0-9_]*[A-Z0-9]", path.read_text(encoding="utf-8")))
    return {n for n in found if n not in NOT_SETTINGS and not n.endswith("__NAME")}


def test_the_table_is_one_block() -> None:
    text = SETTINGS.read_text(encoding="utf-8")
    rows = _table_lines()
    assert len(rows) > 30
    after = text.split("\n".join(rows), 1)[1].lstrip("\n")
    assert not after.startswith("| `EINVOICE_"), "a blank line cuts the table"
    assert all(row.count("|") >= 4 for row in rows)


def test_every_setting_the_code_reads_is_in_the_table() -> None:
    documented = _documented(_table_lines()[2:])
    assert {"EINVOICE_LOG_FORMAT", "EINVOICE_LOG_LEVEL"} <= documented
    missing = sorted(_read_by_code() - documented)
    assert missing == [], f"not in docs/settings.md: {missing}"
