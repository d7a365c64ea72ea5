"""The Jinja2 environment of the pages and its German filters (money, dates, percent)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates

from einvoice.web.security import csrf_token

HERE = Path(__file__).parent
BERLIN = ZoneInfo("Europe/Berlin")


@functools.cache
def _german() -> Any:
    """Babel's ``de_DE`` locale, parsed once (a page formats hundreds of amounts and dates)."""
    from babel import Locale

    return Locale.parse("de_DE")


def templates() -> Jinja2Templates:
    engine = Jinja2Templates(directory=str(HERE / "templates"))
    engine.env.autoescape = True
    engine.env.globals["csrf_token"] = csrf_token
    engine.env.filters["money"] = format_money
    engine.env.filters["date_de"] = format_date
    engine.env.filters["percent"] = format_percent
    engine.env.filters["number_de"] = format_number
    engine.env.filters["visible"] = visible_name
    engine.env.filters["device_de"] = device_de
    from einvoice.domain.creditors import grouped_iban

    engine.env.filters["iban"] = grouped_iban
    from einvoice.presentation.render.german import file_size

    engine.env.filters["file_size"] = file_size
    from einvoice.services.labels import any_state_de, event_de, mail_state_de

    engine.env.filters["state_de"] = any_state_de
    engine.env.filters["mail_state_de"] = mail_state_de
    engine.env.filters["event_de"] = event_de
    engine.env.globals["office_name"] = office_name
    engine.env.globals["city_name"] = city_name
    engine.env.globals["person_name"] = person_name
    from einvoice.domain.terms import term_label

    engine.env.globals["term_label"] = term_label
    from einvoice.domain.channels import PORTAL_CHANNELS, channel_label

    engine.env.globals["channel_label"] = channel_label
    engine.env.globals["portal_channels"] = PORTAL_CHANNELS
    return engine


def visible_name(value: Any) -> str:
    """A text someone outside chose (a file name, a sender) as it reads: control and format
    characters (bidi overrides such as U+202E that show ``gpj.xml`` as ``lmx.jpg``) removed."""
    import unicodedata

    text = "" if value is None else str(value)
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_de(user_agent: Any) -> str:
    """A session's browser as a person recognises it ("Firefox unter Windows"), never the raw
    user-agent string."""
    text = "" if user_agent is None else str(user_agent)
    browser = next((name for key, name in _BROWSERS if key in text), None)
    system = next((name for key, name in _SYSTEMS if key in text), None)
    if browser and system:
        return f"{browser} unter {system}"
    if browser or system:
        return str(browser or system)
    return "unbekannter Browser" if text else "–"


def office_name(request: Any, key: str | None) -> str:
    """The office's name for its key (``amt-10`` -> ``Amt 10 – Hauptamt``)."""
    if not key:
        return ""
    try:
        workflow = request.app.state.container.pipeline.workflow
        dept = workflow.routing().department(key) if workflow is not None else None
    except Exception:  # no routing configuration: the key is better than no page
        return key
    return dept.name if dept is not None else key


def city_name(request: Any) -> str:
    """The city's name from the routing configuration (``Stadt Musterstadt``), the same name
    the mails to suppliers use; ``Stadtverwaltung`` when no configuration is loaded."""
    try:
        workflow = request.app.state.container.pipeline.workflow
        name = workflow.routing().name if workflow is not None else ""
    except Exception:  # no routing configuration: a page must still render
        name = ""
    return str(name) or "Stadtverwaltung"


def person_name(request: Any, person: str | None) -> str:
    """A person's name for an id of the audit trail (``kb.krause`` -> ``Karin Krause``):
    the routing configuration's people, else the account's display name, else the id."""
    if not person:
        return ""
    if person == "system":
        return "System"
    container = request.app.state.container
    try:
        workflow = container.pipeline.workflow
        known = workflow.routing().person(person) if workflow is not None else None
    except Exception:  # no routing configuration: the accounts still know the name
        known = None
    if known is not None:
        return str(known.name)
    from einvoice.services.accounts import display_name

    return display_name(container.sessions, person) or person


def format_money(value: Any, currency: str | None = "EUR") -> str:
    """``Decimal('463.39')`` -> ``463,39\xa0€`` (Babel, de_DE; never wraps before the sign)."""
    from decimal import Decimal, InvalidOperation

    from babel.numbers import format_currency

    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text: str = format_currency(number, currency or "EUR", locale=_german())
    return text


def format_number(value: Any, digits: int | None = None) -> str:
    """German numbers: ``1234`` -> ``1.234``, ``94.0`` -> ``94``, ``0.5`` -> ``0,5``."""
    from decimal import Decimal, InvalidOperation

    from babel.numbers import format_decimal

    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if digits is not None:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(number, format=pattern, locale=_german()))
    return str(format_decimal(number, locale=_german()))


def format_percent(value: Any) -> str:
    """``Decimal('2.0000')`` -> ``2``, ``Decimal('2.50')`` -> ``2,5``."""
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    return f"{number:f}".replace(".", ",")


def format_date(value: Any) -> str:
    """A date ``02.12.2026``; a moment (also as ISO 8601 text, as the status report gives it)
    ``02.12.2026 14:05`` in the city's time (Europe/Berlin), by Babel for ``de_DE``."""
    from datetime import UTC, date, datetime

    from babel.dates import format_date as babel_date
    from babel.dates import format_datetime

    if isinstance(value, str) and len(value) > 10 and value[4:5] == "-" and value[10] in "T ":
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite hands back naive UTC
            value = value.replace(tzinfo=UTC)
        text: str = format_datetime(value, "dd.MM.yyyy HH:mm", tzinfo=BERLIN, locale=_german())
        return text
    if isinstance(value, date):
        day: str = babel_date(value, "dd.MM.yyyy", locale=_german())
        return day
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    return "" if value is None else str(value)
