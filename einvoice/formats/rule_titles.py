"""Short German titles of rules, for people who read figures, not reports (the Stabsstelle's
dashboard and decision paper, a Beirat): "Käuferreferenz (BT-10, Leitweg-ID) fehlt oder ist
leer" instead of "BR-DE-15".

The title is the first sentence of the rule's German text (the official EN 16931 rules from
the project's catalogue, the national rules from their tables); the project's own checks
have theirs here.
"""

from __future__ import annotations

import re
from functools import cache

#: The project's own checks (layers that are not official rule sets).
PROJECT_TITLES = {
    "SCENARIO": "Unbekannte oder veraltete Spezifikationskennung (BT-24)",
    "XSD": "Aufbau verletzt das XML-Schema",
    "LAYER-FAILED": "Prüfschicht konnte die Datei nicht prüfen",
    "INPUT-TOO-LARGE": "Datei zu groß",
    "INPUT-DUPLICATE": "Element mehrfach angegeben (offizielle Prüfung bricht ab)",
    "INPUT-EMPTY-VALUE": "Pflichtwert leer (offizielle Prüfung bricht ab)",
    "INPUT-MALFORMED-VALUE": "Wert im falschen Format (offizielle Prüfung bricht ab)",
    "INFO-PRICE-CHARGE": "Zuschlag auf Preisebene als negativer Nachlass gelesen",
    "INFO-PRICE-ALLOWANCES": "Mehrere Nachlässe auf einem Preis summiert",
    "POLICY-PROFILE": "Profil ohne Rechnungspositionen (MINIMUM/BASIC WL)",
    "PDF-NO-XML": "PDF ohne eingebettete E-Rechnung (keine XML-Datei)",
    "PDF-ENCRYPTED": "PDF verschlüsselt",
    "PDF-DAMAGED": "PDF beschädigt",
    "PDF-MANY-XML": "PDF mit mehreren Rechnungs-XML-Dateien",
    "PDF-ACTIVE-CONTENT": "PDF mit aktiven Inhalten (z. B. JavaScript)",
    "SYNTAX-EMPTY": "Leere Datei",
    "SYNTAX-NOT-XML": "Keine XML-Datei",
    "SYNTAX-MALFORMED": "XML nicht wohlgeformt",
    "SYNTAX-DTD": "XML mit DTD oder Entitäten (nicht erlaubt)",
    "SYNTAX-ENCODING": "Zeichenkodierung nicht UTF-8",
}
_FAMILY_TITLES = (
    ("SYNTAX-", "Datei ist keine lesbare E-Rechnung"),
    ("PDF-", "Problem mit der PDF-Datei"),
    ("UBL-CR-", "Element, das die EN 16931 nicht verwendet"),
    ("CII-SR-", "Element, das die EN 16931 nicht verwendet"),
    ("UBL-DT-", "Wert im falschen Format"),
    ("CII-DT-", "Wert im falschen Format"),
    ("UBL-SR-", "Angabe öfter als erlaubt oder unvollständig"),
)
MAX_LENGTH = 70
# a sentence ends at ". " before a capital letter, not after an abbreviation ("z. B.", "Nr.")
_SENTENCE_END = re.compile(r"(?<![ .][a-zA-Z])(?<!\bNr)(?<!\bbzw)(?<!\bggf)\.\s+(?=[A-ZÄÖÜ])")


def rule_title_de(rule_id: str) -> str:
    """A short German title of ``rule_id`` (never empty: unknown rules read "Regel X")."""
    key = rule_id.strip().upper()
    title = PROJECT_TITLES.get(key) or _national().get(key) or _official(key)
    if title is None:
        title = next((t for prefix, t in _FAMILY_TITLES if key.startswith(prefix)), None)
    return _short(title) if title else f"Regel {rule_id.strip()}"


def rule_label_de(rule_id: str) -> str:
    """The title with the rule's id for those who look it up: ``Titel (BR-DE-15)``."""
    title = rule_title_de(rule_id)
    return title if title.startswith("Regel ") else f"{title} ({rule_id.strip()})"


def _short(text: str) -> str:
    sentence = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0].rstrip(".")
    if len(sentence) <= MAX_LENGTH:
        return sentence
    cut = sentence[: MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _official(key: str) -> str | None:
    from einvoice.formats.rule_texts import RULE_TEXTS

    found = RULE_TEXTS.get(key)
    return found.de if found is not None else None


@cache
def _national() -> dict[str, str]:
    from einvoice.formats.national.engine import RULES

    return {rule.id.upper(): rule.message_de for rule in RULES}
