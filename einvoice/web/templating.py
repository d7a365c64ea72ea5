"""The Jinja2 environment of the pages and its German filters (money, dates, percent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates

from einvoice.web.security import csrf_token

HERE = Path(__file__).parent


def templates() -> Jinja2Templates:
    engine = Jinja2Templates(directory=str(HERE / "templates"))
    engine.env.autoescape = True
    engine.env.globals["csrf_token"] = csrf_token
    engine.env.filters["money"] = format_money
    engine.env.filters["date_de"] = format_date
    engine.env.filters["percent"] = format_percent
    from einvoice.domain.terms import term_label

    engine.env.globals["term_label"] = term_label
    return engine


def format_money(value: Any, currency: str | None = "EUR") -> str:
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {'€' if currency in (None, 'EUR') else currency}"


def format_percent(value: Any) -> str:
    """``Decimal('2.0000')`` -> ``2``, ``Decimal('2.50')`` -> ``2,5``."""
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    return f"{number:f}".replace(".", ",")


def format_date(value: Any) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        from zoneinfo import ZoneInfo

        if value.tzinfo is None:  # SQLite hands back naive UTC
            from datetime import UTC

            value = value.replace(tzinfo=UTC)
        local: datetime = value.astimezone(ZoneInfo("Europe/Berlin"))
        return local.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    return "" if value is None else str(value)
