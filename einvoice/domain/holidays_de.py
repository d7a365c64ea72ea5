"""Public holidays of a German Land, for deadlines (§ 193 BGB).

Deadlines ending on a Saturday, Sunday or a public holiday *at the place of
performance* move to the next working day. The city's Land is configured
(``EINVOICE_LAND``, ISO 3166-2 subdivision code without ``DE-``; default ``TH``,
Thüringen: e.g. Weltkindertag on 20 September, Reformationstag on 31 October).
The dates come from the well-kept ``holidays`` package (pure data, no I/O).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

import holidays

DEFAULT_LAND = "TH"
LANDS = tuple(holidays.country_holidays("DE").subdivisions)


class UnknownLand(ValueError):
    """The configured Land is not one of Germany's sixteen (ISO 3166-2:DE code)."""


@lru_cache(maxsize=32)
def _calendar(land: str) -> holidays.HolidayBase:
    if land not in LANDS:
        raise UnknownLand(
            f"Bundesland {land!r} ist nicht bekannt; möglich: {', '.join(sorted(LANDS))}."
        )
    return holidays.country_holidays("DE", subdiv=land, language="de")


def land_holidays(land: str = DEFAULT_LAND) -> Callable[[date], bool]:
    """``is_holiday(day)`` for the Land ``land`` (nationwide holidays included)."""
    calendar = _calendar(land.upper())
    return lambda day: day in calendar


def holiday_name(day: date, land: str = DEFAULT_LAND) -> str | None:
    """The German name of the holiday on ``day`` in ``land``, if it is one."""
    name = _calendar(land.upper()).get(day)
    return str(name) if name else None


def shift_reason_de(nominal: date, moved_to: date, land: str = DEFAULT_LAND) -> str | None:
    """Why a deadline moved from ``nominal`` to ``moved_to`` (German), ``None`` if it did not."""
    if moved_to == nominal:
        return None
    holiday = holiday_name(nominal, land)
    if holiday is not None:
        why = f"ein Feiertag ({holiday})"
    elif nominal.weekday() == 5:
        why = "ein Samstag"
    elif nominal.weekday() == 6:
        why = "ein Sonntag"
    else:
        why = "kein Werktag"
    return (
        f"Fristende {nominal:%d.%m.%Y} ist {why}; nach § 193 BGB verschoben auf den "
        f"nächsten Werktag, {moved_to:%d.%m.%Y}."
    )
