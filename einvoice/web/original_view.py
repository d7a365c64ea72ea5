"""The supplier's original as the invoice page shows it: the invoice model read from it and
its German rendering, kept for a while per web process.

Originals are content-addressed and never change, so the reading and rendering of one
original on one day (an expired Skonto reads differently tomorrow) is the same for every
clerk who opens it: a small bounded cache spares the work (about two thirds of the
invoice page's own time with a year of data). On a hit the blob store is still asked
whether the original is there, so an original that retention deleted is never shown from
here; its bytes are read (and their hash checked) only to read it anew.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from einvoice.web.invoice_files import is_pdf

log = logging.getLogger(__name__)

MAX_ENTRIES = 64


@dataclass(frozen=True, slots=True)
class OriginalView:
    model: Any  # the invoice model, None when the original cannot be read
    rendering: str | None  # escaped HTML fragment, None when it cannot be rendered
    is_pdf: bool  # the original is a PDF (ZUGFeRD / Factur-X): shown beside the rendering


class _Recent:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[str, str, date], OriginalView] = OrderedDict()


_recent = _Recent()


def original_view(
    sha256: str,
    read: Callable[[], bytes],
    stored: Callable[[], bool],
    filename: str,
    today: date,
) -> OriginalView:
    """The model and rendering of the original whose hash is ``sha256``; ``read`` gives its
    bytes (raising when it is gone or damaged), ``stored`` says whether it is still there."""
    key = (sha256, filename, today)
    with _recent.lock:
        found = _recent.entries.get(key)
        if found is not None:
            _recent.entries.move_to_end(key)
    if found is not None:
        if not stored():
            read()  # gone since: the store's own error, as for a first reading
        return found
    data = read()
    model = _model(data, filename)
    view = OriginalView(model, _rendering(model, today), is_pdf(data))
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


def _city_calendar() -> Callable[[date], tuple[date, str | None]]:
    """Deadlines as the city counts them: moved past weekends and the holidays of its Land
    (EINVOICE_LAND), with the reason, like the page's summary and the queue (one truth)."""
    import os

    from einvoice.domain.deadlines import next_business_day
    from einvoice.domain.holidays_de import land_holidays, shift_reason_de

    land = (os.environ.get("EINVOICE_LAND") or "TH").strip().upper().removeprefix("DE-")
    is_holiday = land_holidays(land)

    def shift(day: date) -> tuple[date, str | None]:
        moved = next_business_day(day, is_holiday)
        return moved, shift_reason_de(day, moved, land)

    return shift


def rendering_of(model: Any, today: date) -> str | None:
    """The clerks' rendering of an invoice model (the invoice page's), for a preview of one
    not yet submitted (the supplier portal's Weberfassung)."""
    return _rendering(model, today)


def _rendering(model: Any, today: date) -> str | None:
    """The readable rendering (escaped HTML fragment of the project's renderer); a Skonto
    whose deadline passed before ``today`` is shown as expired."""
    if model is None:
        return None
    from einvoice.presentation.render import render_html

    try:
        html: str = render_html(
            model, embed=True, inline_css=False, today=today, deadline_shift=_city_calendar()
        )
    except Exception:
        log.warning("invoice cannot be rendered", exc_info=True)
        return None
    return html
