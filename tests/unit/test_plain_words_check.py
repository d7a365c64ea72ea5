"""The plain-words check of the page crawl (tests/integration/plain_words.py) finds what
issue 25 found on pages and in PDFs, and lets the plain German through."""

from __future__ import annotations

from tests.integration.plain_words import unplain

FOUND_IN_ISSUE_25 = (
    "Rechnungen hinter der Kennzahl „skonto_lost“",
    "Abgelehnt\treceived\t12",
    "BR-DE-15 / BR-CO-15 / SCENARIO",
    "Stelle im Dokument /ubl:Invoice[1]",
    "Eingereicht von Portalkonto lieferant",
    "1 offene Bindung(en)",
    "3 Rechnung(en) in 2 Quartal(en)",
)
PLAIN = (
    "Rechnungen mit verlorenem Skonto, KW 45/2026",
    "Käuferreferenz (BT-10, Leitweg-ID) fehlt oder ist leer (BR-DE-15)\t4",
    "Die Leitweg-ID fehlt. Bitte ergänzen Sie sie.\n(Prüfregel BR-DE-15)",
    "Eingereicht von Martina Becker (lieferant) am 06.12.2026",
    "1 offene Bindung, 2 offene Bindungen",
    "E-Mail an lieferant@firma.example",
)


def test_every_finding_of_the_issue_is_caught() -> None:
    for text in FOUND_IN_ISSUE_25:
        assert unplain(text, ["lieferant"]), text


def test_plain_german_passes() -> None:
    for text in PLAIN:
        assert not unplain(text, ["lieferant"]), (text, unplain(text, ["lieferant"]))
