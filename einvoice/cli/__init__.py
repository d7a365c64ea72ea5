"""The ``einvoice`` command: one Typer app, one module per command group."""

from __future__ import annotations

from einvoice.cli import (  # noqa: F401  (each module registers its commands)
    accounts,
    backup,
    demo,
    extract,
    fsck,
    kontierung,
    ops,
    payments,
    pipeline,
    portfolio,
    render,
    retention,
    routing,
    rules,
    suppliers,
    validate,
    web,
    workflow,
)
from einvoice.cli.app import app


def main() -> None:
    """Run the command; an unexpected error is one clear line, not a traceback."""
    import os
    import sys

    from einvoice.logs import configure

    configure(
        os.environ.get("EINVOICE_LOG_LEVEL", "WARNING"), os.environ.get("EINVOICE_LOG_FORMAT")
    )
    try:
        app()
    except Exception as exc:  # the last line of defence for the user
        if os.environ.get("EINVOICE_DEBUG"):
            raise
        print(
            f"Unerwarteter Fehler: {type(exc).__name__}: {exc}\n"
            "(Einzelheiten mit EINVOICE_DEBUG=1 anzeigen.)",
            file=sys.stderr,
        )
        sys.exit(3)


__all__ = ["app", "main"]
