"""Click's usage errors in German ("Missing option '--as'." -> "Die Option '--as' fehlt.").

Click and Typer say wrong calls in English; the ``einvoice`` command runs them with
``standalone_mode=False`` and prints :func:`usage_error_de` instead (exit code 2, as
Click's). A message this module does not know keeps its text behind a German lead-in.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_WHOLE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), text)
    for pattern, text in (
        (r"Missing option '(.+?)'\.?", "Die Option '{0}' fehlt."),
        (r"Missing argument '(.+?)'\.?", "Die Angabe {0} fehlt."),
        (r"Missing parameter: (.+)", "Die Angabe {0} fehlt."),
        (
            r"No such option: (\S+?)\.? Did you mean (\S+?)\?",
            "Unbekannte Option {0} (gemeint: {1}?).",
        ),
        (
            r"No such option: (\S+?)\.? \(Possible options: (.+)\)",
            "Unbekannte Option {0} (möglich: {1}).",
        ),
        (r"No such option: (\S+?)\.?", "Unbekannte Option {0}."),
        (r"No such command '(.+?)'\.?", "Den Befehl '{0}' gibt es nicht."),
        (r"Option '(.+?)' requires an argument\.?", "Die Option '{0}' braucht einen Wert."),
        (r"Got unexpected extra arguments? \((.+)\)", "Unerwartete zusätzliche Angabe: {0}."),
        (r"Invalid value for '(.+?)': (.+)", "Ungültiger Wert für '{0}': {1}"),
    )
)

_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), text)
    for pattern, text in (
        (r"'(.*?)' is not one of (.+?)\.?", "'{0}' ist nicht erlaubt; möglich: {1}."),
        (r"'(.*?)' is not a valid integer( range)?\.?", "'{0}' ist keine ganze Zahl."),
        (r"'(.*?)' is not a valid float( range)?\.?", "'{0}' ist keine Zahl."),
        (r".*valid integer.*", "keine ganze Zahl."),
        (r"'(.*?)' is not a valid boolean\.?", "'{0}' ist weder ja noch nein."),
        (r"Path '(.*?)' does not exist\.?", "'{0}' gibt es nicht."),
        (r"(?:File|Directory|Path) '(.*?)' is a directory\.?", "'{0}' ist ein Ordner."),
        (r"(?:File|Directory|Path) '(.*?)' is a file\.?", "'{0}' ist eine Datei, kein Ordner."),
    )
)


def _detail_de(detail: str) -> str:
    detail = re.sub(r"^Value error, ", "", detail.strip())
    for pattern, text in _DETAILS:
        found = pattern.fullmatch(detail.strip())
        if found:
            return text.format(*found.groups())
    return detail


def usage_error_de(message: str) -> str:
    """One of Click's usage messages in German."""
    message = " ".join(message.split())
    for pattern, text in _WHOLE:
        found = pattern.fullmatch(message)
        if found:
            groups = list(found.groups())
            if text.startswith("Ungültiger Wert"):
                groups[-1] = _detail_de(groups[-1])
            return text.format(*groups)
    return f"Aufruf fehlerhaft: {message}"


def click_errors() -> tuple[type[Any], ...]:
    """Click's usage-error class (Typer vendors Click as ``typer._click`` in newer
    releases, older ones use ``click`` itself): every one that is installed."""
    found: list[type[Any]] = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(importlib.import_module(module).ClickException)
        except (ImportError, AttributeError):
            continue
    return tuple(found)
