"""Helpers shared by the commands: settings errors, JSON output, terminal checks."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import typer

from einvoice.errors import ConfigurationError

#: The exit codes of every command (docs/operations.md, "Exit-Codes"; one test per code).
EXIT_OK = 0
EXIT_FINDINGS = 1  # a finding: invoice rejected, fsck problems, worker gave up
EXIT_USAGE = 2  # wrong call or settings (also: database empty or behind the code)
EXIT_DATABASE = 3  # the database is unreachable
EXIT_STORAGE = 4  # the data folder or blob store is full or not writable
EXIT_MAILBOX = 5  # a mailbox or source folder is unreachable or does not exist
EXIT_UNEXPECTED = 70  # a program error (EX_SOFTWARE); details with EINVOICE_DEBUG=1


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
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
    Exit codes: 2 settings or schema, 3 database unreachable, 4 data folder not writable.
    """
    from einvoice import bootstrap
    from einvoice.storage.schema_state import (
        DatabaseNotReady,
        DatabaseUnreachable,
        ensure_ready,
        is_embedded,
    )

    try:
        built = bootstrap.container()
    except ConfigurationError as exc:
        fail(f"Konfigurationsfehler: {exc}")
    except OSError as exc:  # the data folder cannot be created
        fail(data_folder_problem(exc), EXIT_STORAGE)
    if ready:
        try:
            ensure_ready(built.engine, built.settings.database_url, built.settings.data_dir)
        except DatabaseUnreachable as exc:
            data_dir = built.settings.data_dir
            if is_embedded(built.settings.database_url, data_dir):
                problem = unwritable(data_dir)
                if problem is not None:  # SQLite in the data folder: not a server's fault
                    fail(data_folder_problem(problem, data_dir), EXIT_STORAGE)
            fail(str(exc), EXIT_DATABASE)
        except DatabaseNotReady as exc:
            fail(str(exc))
    return built


def unwritable(folder: Path) -> OSError | None:
    """Why ``folder`` cannot take a new file (None if it can)."""
    import os
    import tempfile

    try:
        handle, name = tempfile.mkstemp(prefix=".schreibprobe-", dir=folder)
    except OSError as exc:
        return exc
    os.close(handle)
    os.unlink(name)
    return None


def data_folder_problem(exc: OSError, folder: Path | None = None) -> str:
    where = folder or exc.filename or "EINVOICE_DATA_DIR"
    return (
        f"Der Datenordner {where} ist nicht beschreibbar ({exc.strerror or exc}): "
        "Datenbank (SQLite) und Originale können nicht gespeichert werden. Rechte, freien "
        "Platz und EINVOICE_DATA_DIR prüfen."
    )


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
