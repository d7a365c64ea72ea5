"""Logging set-up: plain text for people, one JSON object per line for log collectors.

``EINVOICE_LOG_FORMAT=json`` gives structured logs (time, level, logger, message and
the exception, if any) from every process: the command itself, ``einvoice worker``'s
dramatiq processes (:func:`configure_from_env` in ``einvoice.workers.entry`` and
``einvoice.workers.launch``) and the web server's processes (uvicorn's loggers pass
their records to the root logger: :data:`UVICORN_LOG_CONFIG`). ``EINVOICE_LOG_LEVEL``
sets the level (default ``WARNING``; ``einvoice worker`` ``INFO``). Invoices and
personal data are never logged.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        event = getattr(record, "event", None)
        if isinstance(event, dict):  # security events: structured fields
            entry["event"] = event
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def is_json(fmt: str | None) -> bool:
    return (fmt or "").strip().lower() == "json"


def configure(level: str = "WARNING", fmt: str | None = None) -> None:
    """One handler on the root logger, to this process's standard error."""
    handler = logging.StreamHandler(sys.stderr)
    if is_json(fmt):
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    chosen = level.upper() if level.upper() in logging.getLevelNamesMapping() else "WARNING"
    root.setLevel(chosen)
    # Alembic's plug-in and context lines at every start of a service are noise at INFO
    logging.getLogger("alembic").setLevel("DEBUG" if chosen == "DEBUG" else "WARNING")


def configure_from_env(
    default_level: str = "WARNING", env: Mapping[str, str] | None = None
) -> None:
    """:func:`configure` from ``EINVOICE_LOG_LEVEL`` / ``EINVOICE_LOG_FORMAT``."""
    env = os.environ if env is None else env
    configure(env.get("EINVOICE_LOG_LEVEL") or default_level, env.get("EINVOICE_LOG_FORMAT"))


def json_wanted(env: Mapping[str, str] | None = None) -> bool:
    return is_json((os.environ if env is None else env).get("EINVOICE_LOG_FORMAT"))


def announce(text: str, logger: str = "einvoice") -> None:
    """A line for the operator at start-up (where a service listens): printed as it is, or
    with JSON logs one JSON line through the root logger's handlers, whatever the level."""
    if not json_wanted():
        print(text, flush=True)
        return
    record = logging.getLogger(logger).makeRecord(
        logger, logging.INFO, "(einvoice)", 0, text, (), None
    )
    for handler in logging.getLogger().handlers:
        handler.handle(record)


#: uvicorn's loggers without handlers of their own: their records reach the root logger
#: (text or JSON as configured), in the server process and in every ``--workers`` process
UVICORN_LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {
        name: {"handlers": [], "propagate": True}
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
    },
}
