"""``uvicorn --factory einvoice.web.factory:app``: the web app from the environment."""

from __future__ import annotations

from typing import Any


def app() -> Any:
    from einvoice import bootstrap
    from einvoice.cli.web import build_app

    return build_app(bootstrap.container())
