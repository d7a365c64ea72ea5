"""Recorded file names: kept up to 255 characters, longer ones shortened keeping the extension."""

from __future__ import annotations

from einvoice.domain.filenames import MAX_FILENAME, stored_filename, was_shortened


def test_a_usual_name_is_kept_as_sent() -> None:
    assert stored_filename("Rechnung 2026-001.xml") == "Rechnung 2026-001.xml"
    name = "r" * (MAX_FILENAME - 4) + ".pdf"
    assert stored_filename(name) == name and not was_shortened(name)


def test_a_long_name_is_shortened_in_the_middle_keeping_its_extension() -> None:
    name = "rechnung-" + "x" * 2000 + ".xml"
    stored = stored_filename(name)
    assert len(stored) == MAX_FILENAME
    assert stored.startswith("rechnung-xxx") and stored.endswith("….xml")
    assert was_shortened(stored)


def test_no_extension_or_an_absurd_one_is_cut_at_the_end() -> None:
    assert stored_filename("a" * 300).endswith("a…")
    odd = stored_filename("a" * 300 + "." + "b" * 40)
    assert len(odd) == MAX_FILENAME and odd.endswith("…")
    assert len(stored_filename("." + "x" * 400)) == MAX_FILENAME
