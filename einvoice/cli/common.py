"""Helpers shared by the commands: settings errors, JSON output, terminal checks."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer

from einvoice.errors import ConfigurationError


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def container() -> Any:
    """The composition root's container, with a clear message on bad settings."""
    from einvoice import bootstrap

    try:
        return bootstrap.container()
    except ConfigurationError as exc:
        fail(f"Konfigurationsfehler: {exc}")


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def interactive() -> bool:
    return sys.stderr.isatty()
