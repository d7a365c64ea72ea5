"""The one way the presentation's templates are loaded: autoescape always on, an undefined
name is an error (never an empty cell in a payment order), blocks trimmed."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def new_environment(*, keep_trailing_newline: bool = False) -> Environment:
    """A fresh environment over ``einvoice/presentation/templates``; callers add their filters."""
    return Environment(
        loader=PackageLoader("einvoice.presentation", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
