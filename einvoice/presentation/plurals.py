"""Counted nouns in German: "1 Rechnung", "3 Rechnungen" - never "Rechnung(en)".

The plural rule is Babel's for ``de`` (CLDR: *one* for 1, *other* for everything else);
the noun forms come from :data:`NOUNS`, the one catalogue of words the application counts.
Numbers are written the German way (``1.234``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

#: singular -> plural of every noun the application counts
NOUNS = {
    "Rechnung": "Rechnungen",
    "Bindung": "Bindungen",
    "offene Bindung": "offene Bindungen",
    "Bedarfsmeldung": "Bedarfsmeldungen",
    "Zahlung": "Zahlungen",
    "offene Zahlung": "offene Zahlungen",
    "Tag": "Tage",
    "Kreditor": "Kreditoren",
    "Auffälligkeit": "Auffälligkeiten",
    "Ereignis": "Ereignisse",
    "Einstellung": "Einstellungen",
    "unbekannte Einstellung": "unbekannte Einstellungen",
    "Aufteilung": "Aufteilungen",
    "Beleg": "Belege",
    "Dokument": "Dokumente",
    "Quartal": "Quartale",
    "Buchungsstelle": "Buchungsstellen",
    "Datei": "Dateien",
    "Zeile": "Zeilen",
    "Hinweis": "Hinweise",
    "Fehler": "Fehler",
    "Sperre": "Sperren",
    "Nachricht": "Nachrichten",
    "Spalte": "Spalten",
    "E-Mail": "E-Mails",
    "Woche": "Wochen",
    "Profil": "Profile",
    "unbekanntes Profil": "unbekannte Profile",
    "temporäre Datei": "temporäre Dateien",
    "Entwurf": "Entwürfe",
    "Anlage": "Anlagen",
    "Eingang": "Eingänge",
    "Original": "Originale",
}


@cache
def _plural_form() -> Any:
    from babel import Locale

    return Locale.parse("de").plural_form


def noun_de(count: int, singular: str) -> str:
    """The form of ``singular`` for ``count`` things (``noun_de(2, "Tag")`` -> ``Tage``)."""
    if singular not in NOUNS:
        raise KeyError(f"{singular!r} is not in the catalogue of counted nouns (plurals.NOUNS)")
    return singular if _plural_form()(abs(count)) == "one" else NOUNS[singular]


def count_de(count: int, singular: str) -> str:
    """``count_de(1234, "Rechnung")`` -> ``1.234 Rechnungen``; one: ``1 Rechnung``."""
    number = f"{count:,}".replace(",", ".")
    return f"{number} {noun_de(count, singular)}"
