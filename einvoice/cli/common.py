"""Helpers shared by the commands: settings errors, JSON output, terminal checks."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any, NoReturn

import typer

from einvoice.errors import ConfigurationError


def fail(message: str, code: int = 2) -> NoReturn:
    """The German message on standard error (a JSON log line with EINVOICE_LOG_FORMAT=json,
    so a service that cannot start says why in its log collector's format); exit ``code``."""
    from einvoice.logs import json_wanted

    if json_wanted():
        import logging

        logging.getLogger("einvoice").error(message)
    else:
        typer.echo(message, err=True)
    raise typer.Exit(code)


def container(ready: bool = True) -> Any:
    """The composition root's container, with a clear message on bad settings.

    With ``ready`` (every command that reads or writes the database) the schema is
    checked first: the embedded SQLite default is created and upgraded on first use,
    any other database not upgraded gives a German message saying what to run.
    """
    from einvoice import bootstrap
    from einvoice.storage.schema_state import DatabaseNotReady, ensure_ready

    try:
        built = bootstrap.container()
    except ConfigurationError as exc:
        fail(f"Konfigurationsfehler: {exc}")
    if ready:
        try:
            ensure_ready(built.engine, built.settings.database_url, built.settings.data_dir)
        except DatabaseNotReady as exc:
            fail(str(exc))
    return built


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def interactive() -> bool:
    return sys.stderr.isatty()


def city_time(moment: datetime) -> str:
    """A moment as the city reads it: ``02.12.2026 03:17`` in EINVOICE_TIMEZONE (default
    Europe/Berlin), not in the server's zone; naive values are UTC (as SQLite returns them)."""
    import os
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = ZoneInfo(os.environ.get("EINVOICE_TIMEZONE") or "Europe/Berlin")
    return f"{moment.astimezone(zone):%d.%m.%Y %H:%M}"
