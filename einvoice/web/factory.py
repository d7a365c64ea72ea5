"""``uvicorn --factory einvoice.web.factory:app``: the web app from the environment."""

from __future__ import annotations

from typing import Any


def app() -> Any:
    from einvoice import bootstrap
    from einvoice.cli.web import build_app
    from einvoice.logs import configure_from_env

    configure_from_env()  # each server process (--workers) logs as configured: text or JSON
    return build_app(bootstrap.container())
