"""The supplier's original as the invoice page shows it: the invoice model read from it and
its German rendering, kept for a while per web process.

Originals are content-addressed and never change, so the reading and rendering of one
original on one day (an expired Skonto reads differently tomorrow) is the same for every
clerk who opens it: a small bounded cache spares the work (about two thirds of the
invoice page's own time with a year of data). The bytes are still read from the blob
store for every page, so an original that retention deleted is never shown from here.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

log = logging.getLogger(__name__)

MAX_ENTRIES = 64


@dataclass(frozen=True, slots=True)
class OriginalView:
    model: Any  # the invoice model, None when the original cannot be read
    rendering: str | None  # escaped HTML fragment, None when it cannot be rendered


class _Recent:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[str, str, date], OriginalView] = OrderedDict()


_recent = _Recent()


def original_view(sha256: str, data: bytes, filename: str, today: date) -> OriginalView:
    """The model and rendering of the original ``data`` (whose hash is ``sha256``)."""
    key = (sha256, filename, today)
    with _recent.lock:
        found = _recent.entries.get(key)
        if found is not None:
            _recent.entries.move_to_end(key)
            return found
    model = _model(data, filename)
    view = OriginalView(model, _rendering(model, today))
    with _recent.lock:
        _recent.entries[key] = view
        while len(_recent.entries) > MAX_ENTRIES:
            _recent.entries.popitem(last=False)
    return view


def _model(data: bytes, filename: str) -> Any:
    from einvoice.formats.extract import extract

    try:
        return extract(data, filename)
    except Exception:  # an unreadable original: the page shows the findings instead
        log.warning("invoice original %s cannot be read", filename[:40], exc_info=True)
        return None


def _rendering(model: Any, today: date) -> str | None:
    """The readable rendering (escaped HTML fragment of the project's renderer); a Skonto
    whose deadline passed before ``today`` is shown as expired."""
    if model is None:
        return None
    from einvoice.presentation.render import render_html

    try:
        html: str = render_html(model, embed=True, inline_css=False, today=today)
    except Exception:
        log.warning("invoice cannot be rendered", exc_info=True)
        return None
    return html
