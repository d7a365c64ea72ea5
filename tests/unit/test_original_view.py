"""The invoice page's reading of an original: read once, never shown once it is gone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from einvoice.web.original_view import original_view

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "xrechnung-ubl.xml"


def test_a_second_view_does_not_read_the_bytes_again_but_asks_whether_they_are_there() -> None:
    data = SAMPLE.read_bytes()
    reads: list[int] = []
    asked: list[int] = []

    def read() -> bytes:
        reads.append(1)
        return data

    def stored() -> bool:
        asked.append(1)
        return True

    sha = "f" * 63 + "1"
    first = original_view(sha, read, stored, "a.xml", date(2026, 12, 2))
    second = original_view(sha, read, stored, "a.xml", date(2026, 12, 2))
    assert first is second and first.model is not None and first.rendering
    assert not first.is_pdf
    assert len(reads) == 1 and len(asked) == 1


def test_an_original_deleted_since_is_not_shown_from_the_cache() -> None:
    data = SAMPLE.read_bytes()
    sha = "e" * 63 + "2"
    original_view(sha, lambda: data, lambda: True, "b.xml", date(2026, 12, 2))

    def gone() -> bytes:
        raise FileNotFoundError("deleted by retention")

    with pytest.raises(FileNotFoundError):
        original_view(sha, gone, lambda: False, "b.xml", date(2026, 12, 2))
