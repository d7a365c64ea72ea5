"""Active content in a PDF: JavaScript, launch actions, risky URI actions, executables.

A ZUGFeRD/Factur-X PDF is opened by a clerk; anything that runs on opening or on a
click is reported as the warning ``PDF-ACTIVE-CONTENT`` (the original is kept
unaltered, the invoice itself may still be fine). Every object of the file is
looked at, also those in compressed object streams, so a nested action is found.
"""

from __future__ import annotations

from typing import Any

from einvoice.domain.findings import Finding, Layer, Severity

RULE = "PDF-ACTIVE-CONTENT"
MAX_OBJECTS = 200_000
SAFE_URI_SCHEMES = ("http:", "https:", "mailto:")
EXECUTABLE_SUFFIXES = (
    ".exe",
    ".com",
    ".bat",
    ".cmd",
    ".scr",
    ".pif",
    ".msi",
    ".dll",
    ".js",
    ".jse",
    ".vbs",
    ".vbe",
    ".wsf",
    ".hta",
    ".ps1",
    ".jar",
    ".sh",
    ".app",
    ".lnk",
    ".reg",
    ".cpl",
)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")

_LABELS = {
    "javascript": ("JavaScript", "JavaScript"),
    "launch": (
        "Startaktion (Launch: öffnet ein Programm oder eine Datei)",
        "launch action (opens a program or file)",
    ),
    "uri": ("Verweis mit unsicherem Ziel", "link with an unsafe target"),
    "executable": ("eingebettete ausführbare Datei", "embedded executable file"),
    "action": ("weitere aktive Aktion", "other active action"),
}
RISKY_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/ImportData": "action",
    "/SubmitForm": "action",
    "/Rendition": "action",
    "/RichMediaExecute": "action",
}


def _name(value: Any) -> str:
    return str(value) if value is not None else ""


def _classify(obj: Any) -> str | None:
    """The kind of active content a dictionary object is, if any."""
    if not hasattr(obj, "get") or not hasattr(obj, "keys"):
        return None
    kind = _name(obj.get("/S"))
    if kind in RISKY_ACTIONS:
        return RISKY_ACTIONS[kind]
    if "/JS" in obj:
        return "javascript"
    if kind == "/URI":
        target = obj.get("/URI")
        text = bytes(target).decode("latin-1") if isinstance(target, bytes) else str(target)
        if not text.strip().lower().startswith(SAFE_URI_SCHEMES):
            return "uri"
    return None


def _all_objects(reader: Any) -> Any:
    seen = 0
    numbers: set[int] = set()
    for table in reader.xref.values():
        numbers.update(table)
    numbers.update(getattr(reader, "xref_objStm", {}) or {})
    for number in sorted(numbers):
        seen += 1
        if seen > MAX_OBJECTS:
            return
        try:
            yield reader.get_object(number)
        except Exception:  # a damaged object: the others are still looked at
            continue


def _executables(attachments: list[tuple[str, bytes]]) -> list[str]:
    return [
        name
        for name, content in attachments
        if name.lower().endswith(EXECUTABLE_SUFFIXES) or content.startswith(EXECUTABLE_MAGIC)
    ]


def findings(reader: Any, attachments: list[tuple[str, bytes]]) -> list[Finding]:
    """One warning naming every kind of active content found (none: no finding)."""
    kinds: dict[str, int] = {}
    for obj in _all_objects(reader):
        kind = _classify(obj)
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
    executables = _executables(attachments)
    if executables:
        kinds["executable"] = len(executables)
    if not kinds:
        return []
    de = ", ".join(f"{_LABELS[k][0]} ({n}×)" for k, n in sorted(kinds.items()))
    en = ", ".join(f"{_LABELS[k][1]} ({n}x)" for k, n in sorted(kinds.items()))
    names = f" ({', '.join(executables[:5])})" if executables else ""
    return [
        Finding(
            RULE,
            Severity.WARNING,
            Layer.CONTAINER,
            f"Die PDF-Datei enthält aktive Inhalte: {de}{names}. Eine Rechnung braucht so "
            "etwas nicht; die Datei bitte nicht in einem Programm öffnen, das solche Inhalte "
            "ausführt. Das Original wird unverändert aufbewahrt.",
            f"The PDF contains active content: {en}{names}. An invoice needs none of this; "
            "do not open the file in a program that runs such content. The original is kept "
            "unaltered.",
        )
    ]


def unchecked(exc: Exception) -> Finding:
    return Finding(
        RULE,
        Severity.WARNING,
        Layer.CONTAINER,
        "Die PDF-Datei konnte nicht vollständig auf aktive Inhalte (JavaScript, Startaktionen, "
        f"ausführbare Dateien) geprüft werden ({type(exc).__name__}); bitte mit Vorsicht öffnen.",
        "The PDF could not be fully checked for active content (JavaScript, launch actions, "
        f"executables) ({type(exc).__name__}); open it with care.",
    )
