"""File names as recorded with a received file (upload, mail attachment, dropped file).

A name is kept as sent up to :data:`MAX_FILENAME` characters. A longer one is
shortened in the middle: the start of the name, a mark (``…``) and its extension
(``.xml``, ``.pdf``), so the stored name still says what kind of file it is. The
file's bytes are never touched; only the name recorded beside them is shorter.
"""

from __future__ import annotations

#: The longest file name recorded (common file systems allow 255 characters).
MAX_FILENAME = 255
#: Where a shortened name was cut (before its extension).
SHORTENED_MARK = "…"
#: An extension longer than this is not kept as one (it is part of the cut name).
_MAX_EXTENSION = 16


def stored_filename(name: str, limit: int = MAX_FILENAME) -> str:
    """``name`` as recorded: unchanged up to ``limit`` characters, else shortened with
    :data:`SHORTENED_MARK` before the extension it keeps (``limit`` characters in all)."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    suffix = f".{extension}" if dot and stem and 0 < len(extension) <= _MAX_EXTENSION else ""
    keep = max(limit - len(suffix) - len(SHORTENED_MARK), 1)
    return name[:keep] + SHORTENED_MARK + suffix


def was_shortened(name: str, limit: int = MAX_FILENAME) -> bool:
    """Whether a recorded name is one :func:`stored_filename` shortened."""
    return len(name) == limit and SHORTENED_MARK in name
