"""The ``einvoice`` command: one Typer app, one module per command group."""

from __future__ import annotations

from einvoice.cli import (  # noqa: F401  (each module registers its commands)
    demo,
    extract,
    pipeline,
    routing,
    rules,
    validate,
)
from einvoice.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
