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
    import typer

    from einvoice.cli.common import EXIT_DATABASE, EXIT_STORAGE, EXIT_UNEXPECTED
    from einvoice.cli.usage_de import click_errors, usage_error_de

    usage_errors = click_errors()

    try:
        code = app(standalone_mode=False)  # Click's own words are English: said here
    except typer.Abort:  # Ctrl-C, or no answer to a question
        print("\nAbgebrochen.", file=sys.stderr)
        sys.exit(1)
    except usage_errors as exc:  # a wrong call: what is wrong, and where help is
        context = getattr(exc, "ctx", None)
        where = context.command_path if context is not None else "einvoice"
        print(f"Fehler: {usage_error_de(exc.format_message())}", file=sys.stderr)
        print(f"Hilfe: {where} --help", file=sys.stderr)
        sys.exit(exc.exit_code)
    except Exception as exc:  # the last line of defence for the user
        if os.environ.get("EINVOICE_DEBUG"):
            raise
        code, text = EXIT_UNEXPECTED, "Unerwarteter Fehler"
        if _database_error(exc):
            code, text = EXIT_DATABASE, "Datenbankfehler (Verbindung verloren?)"
        elif _storage_error(exc):
            code, text = EXIT_STORAGE, "Speicher voll oder nicht beschreibbar"
        print(
            f"{text}: {type(exc).__name__}: {exc}\n(Einzelheiten mit EINVOICE_DEBUG=1 anzeigen.)",
            file=sys.stderr,
        )
        sys.exit(code)
    sys.exit(code if isinstance(code, int) else 0)


def _database_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, OperationalError

    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


def _storage_error(exc: BaseException) -> bool:
    import errno

    from einvoice.storage.blobs import StorageFull

    return isinstance(exc, StorageFull) or (
        isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EACCES, errno.EROFS)
    )


__all__ = ["app", "main"]
