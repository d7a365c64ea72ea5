"""What a parse error of a not well-formed XML file means, in German.

The XML parser (libxml2, through lxml) reports its errors in English with an
error code. Suppliers and clerks read the German sentence of the code below;
the parser's own text stays in the finding's English message as the technical
detail. A code without a sentence here gets a general one - never English.
"""

from __future__ import annotations

import re

from lxml import etree

_CODES = etree.ErrorTypes

#: libxml2 error code -> what is wrong, as a German sentence
_SENTENCES_DE: dict[int, str] = {
    _CODES.ERR_TAG_NAME_MISMATCH: "Start- und End-Tag eines Elements passen nicht zusammen.",
    _CODES.ERR_TAG_NOT_FINISHED: (
        "Die Datei endet, bevor alle Elemente geschlossen sind (ist sie abgeschnitten?)."
    ),
    _CODES.ERR_DOCUMENT_END: "Nach dem Ende des Wurzelelements folgt noch weiterer Inhalt.",
    _CODES.ERR_EXTRA_CONTENT: "Nach dem Ende des Wurzelelements folgt noch weiterer Inhalt.",
    _CODES.ERR_DOCUMENT_EMPTY: "Das Dokument enthält kein Element.",
    _CODES.ERR_LT_IN_ATTRIBUTE: (
        "In einem Attributwert steht ein „<“; es muss als &lt; geschrieben werden."
    ),
    _CODES.ERR_ATTRIBUTE_NOT_STARTED: "Ein Attributwert steht nicht in Anführungszeichen.",
    _CODES.ERR_STRING_NOT_STARTED: "Ein Attributwert steht nicht in Anführungszeichen.",
    _CODES.ERR_ATTRIBUTE_NOT_FINISHED: "Ein Attributwert ist nicht mit Anführungszeichen beendet.",
    _CODES.ERR_STRING_NOT_CLOSED: "Ein Attributwert ist nicht mit Anführungszeichen beendet.",
    _CODES.ERR_ATTRIBUTE_WITHOUT_VALUE: "Ein Attribut hat keinen Wert.",
    _CODES.ERR_ATTRIBUTE_REDEFINED: "Ein Attribut steht zweimal im selben Element.",
    _CODES.ERR_EQUAL_REQUIRED: "Nach einem Attributnamen fehlt das Gleichheitszeichen.",
    _CODES.ERR_SPACE_REQUIRED: "Zwischen zwei Attributen fehlt ein Leerzeichen.",
    _CODES.ERR_GT_REQUIRED: "Ein Start-Tag ist nicht mit „>“ abgeschlossen.",
    _CODES.ERR_LTSLASH_REQUIRED: "Ein End-Tag „</…>“ fehlt oder ist unvollständig.",
    _CODES.ERR_LT_REQUIRED: "An dieser Stelle wird ein Element erwartet („<“ fehlt).",
    _CODES.ERR_NAME_REQUIRED: "An dieser Stelle fehlt ein Element- oder Attributname.",
    _CODES.ERR_INVALID_CHAR: (
        "Die Datei enthält ein Zeichen, das in XML nicht erlaubt ist (z. B. ein Steuerzeichen)."
    ),
    _CODES.ERR_INVALID_CHARREF: "Ein Zeichenverweis (&#…;) ist ungültig.",
    _CODES.ERR_INVALID_DEC_CHARREF: "Ein Zeichenverweis (&#…;) ist ungültig.",
    _CODES.ERR_ENTITYREF_SEMICOL_MISSING: (
        "Ein „&“ beginnt keine gültige Entität; ein einzelnes „&“ muss als &amp; "
        "geschrieben werden."
    ),
    _CODES.ERR_UNDECLARED_ENTITY: (
        "Eine unbekannte Entität (&name;) wird verwendet; erlaubt sind nur &amp; &lt; &gt; "
        "&quot; und &apos;."
    ),
    _CODES.NS_ERR_UNDEFINED_NAMESPACE: (
        "Ein Namensraum-Präfix wird verwendet, ist aber nicht deklariert (xmlns:…)."
    ),
    _CODES.ERR_NS_DECL_ERROR: "Eine Namensraum-Deklaration (xmlns) ist fehlerhaft.",
    _CODES.ERR_COMMENT_NOT_FINISHED: "Ein Kommentar („<!--“) ist nicht abgeschlossen.",
    _CODES.ERR_CDATA_NOT_FINISHED: "Ein CDATA-Abschnitt ist nicht abgeschlossen.",
    _CODES.ERR_MISPLACED_CDATA_END: "„]]>“ steht außerhalb eines CDATA-Abschnitts.",
    _CODES.ERR_INVALID_ENCODING: (
        "Die Datei enthält Bytes, die nicht zur angegebenen Zeichenkodierung passen "
        "(z. B. Umlaute in ISO-8859-1 in einer als UTF-8 erklärten Datei)."
    ),
    _CODES.ERR_UNKNOWN_ENCODING: "Die angegebene Zeichenkodierung ist unbekannt.",
    _CODES.ERR_UNSUPPORTED_ENCODING: "Die angegebene Zeichenkodierung wird nicht unterstützt.",
    _CODES.ERR_XMLDECL_NOT_STARTED: "Die XML-Deklaration („<?xml …?>“) ist fehlerhaft.",
    _CODES.ERR_XMLDECL_NOT_FINISHED: "Die XML-Deklaration („<?xml …?>“) ist fehlerhaft.",
    _CODES.ERR_VERSION_MISSING: "Der XML-Deklaration („<?xml …?>“) fehlt die Version.",
    _CODES.ERR_RESERVED_XML_NAME: (
        "Die XML-Deklaration („<?xml …?>“) steht nicht ganz am Anfang der Datei."
    ),
}
_GENERAL_DE = "Der Aufbau des XML ist an dieser Stelle fehlerhaft."

# "Opening and ending tag mismatch: unclosed line 1 and Invoice"; "Entity 'foo' not defined"
_MISMATCH = re.compile(r"mismatch: (\S+) line (\d+) and (\S+?)(?:,|$)")
_ENTITY = re.compile(r"Entity '([^']+)' not defined")
_NAME_MAX = 60  # names from the file, shortened


def _name(text: str) -> str:
    return text if len(text) <= _NAME_MAX else text[: _NAME_MAX - 1] + "…"


def sentence_de(error: etree.XMLSyntaxError) -> str:
    """What is wrong, in German (names of elements from the file where they help)."""
    code = int(getattr(error, "code", 0) or 0)
    text = str(getattr(error, "msg", "") or "")
    if code == _CODES.ERR_TAG_NAME_MISMATCH and (found := _MISMATCH.search(text)):
        opened, line, closed = found.groups()
        return (
            f"Das Element <{_name(opened)}> aus Zeile {line} wird mit </{_name(closed)}> "
            "geschlossen; Start- und End-Tag passen nicht zusammen."
        )
    if code == _CODES.ERR_UNDECLARED_ENTITY and (found := _ENTITY.search(text)):
        return (
            f"Die Entität &{_name(found.group(1))}; ist nicht definiert; erlaubt sind nur "
            "&amp; &lt; &gt; &quot; und &apos;."
        )
    return _SENTENCES_DE.get(code, _GENERAL_DE)


def position(error: etree.XMLSyntaxError) -> tuple[int, int]:
    """(line, column) of the error, 1-based; 0 where the parser does not know."""
    place = getattr(error, "position", None)
    if isinstance(place, tuple) and len(place) == 2:
        return int(place[0] or 0), int(place[1] or 0)
    return int(getattr(error, "lineno", 0) or 0), 0
