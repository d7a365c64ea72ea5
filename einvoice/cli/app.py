"""The Typer application behind the ``einvoice`` command (commands register on it)."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="E-Rechnung: elektronische Rechnungen (XRechnung, ZUGFeRD/Factur-X) prüfen und "
    "verarbeiten.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """E-Rechnung: elektronische Rechnungen prüfen und verarbeiten."""
