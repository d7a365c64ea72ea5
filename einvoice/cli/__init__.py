"""The ``einvoice`` command: one Typer app, one module per command group."""

from __future__ import annotations

from einvoice.cli import demo, pipeline, rules, validate  # noqa: F401  (register commands)
from einvoice.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
