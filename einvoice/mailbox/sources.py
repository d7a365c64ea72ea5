"""Invoice sources: Maildir, drop folder and IMAP behind one small interface.

A source yields raw items; the caller stores each one and commits, and only
then tells the source ``done(item, ok)`` so it moves the original to its
processed (or failed) place. Nothing is removed before it is committed.
"""

from __future__ import annotations

import logging
import mailbox
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from einvoice.errors import ConfigurationError
from einvoice.mailbox.base import RawItem, Source
from einvoice.mailbox.settings import PASSWORD_ENV, SCHEMES, MailboxSettings, parse

log = logging.getLogger(__name__)

PROCESSED = "processed"
FAILED = "failed"
__all__ = ["DropFolderSource", "MaildirSource", "RawItem", "Source", "open_source"]


class MaildirSource:
    """A Maildir inbox; done messages move to the ``.processed`` / ``.failed`` folders."""

    def __init__(self, path: Path, create: bool = False) -> None:
        self.name = f"maildir:{path}"
        if not create:
            _existing_folder(path, "Maildir")
        self.box = mailbox.Maildir(path, create=True)  # missing cur/new/tmp inside are made

    def fetch(self, limit: int | None = None) -> Iterator[RawItem]:
        for count, key in enumerate(sorted(self.box.iterkeys())):
            if limit is not None and count >= limit:
                return
            try:
                raw = self.box.get_bytes(key)
            except KeyError:
                continue  # moved away meanwhile
            yield RawItem(key, raw, "mail", key)

    def done(self, item: RawItem, ok: bool) -> None:
        folder_name = PROCESSED if ok else FAILED
        try:
            folder = self.box.get_folder(folder_name)
        except mailbox.NoSuchMailboxError:
            folder = self.box.add_folder(folder_name)
        folder.add(mailbox.MaildirMessage(item.raw))
        self.box.discard(item.key)

    def close(self) -> None:
        self.box.close()


class DropFolderSource:
    """Files dropped in a folder; done files move to ``processed/`` or ``failed/``."""

    def __init__(self, path: Path, create: bool = False) -> None:
        self.name = f"drop:{path}"
        self.path = path
        if create:
            path.mkdir(parents=True, exist_ok=True)
        _existing_folder(path, "Ablageordner")

    def fetch(self, limit: int | None = None) -> Iterator[RawItem]:
        files = sorted(p for p in self.path.iterdir() if p.is_file() and not p.name.startswith("."))
        for count, file in enumerate(files):
            if limit is not None and count >= limit:
                return
            yield RawItem(str(file), file.read_bytes(), "drop", file.name)

    def done(self, item: RawItem, ok: bool) -> None:
        target = self.path / (PROCESSED if ok else FAILED)
        target.mkdir(exist_ok=True)
        source = Path(item.key)
        destination = target / source.name
        if destination.exists():
            destination = target / f"{source.stem}-{abs(hash(item.raw)) % 10**8}{source.suffix}"
        shutil.move(str(source), destination)

    def close(self) -> None:
        return None


def _existing_folder(path: Path, what: str) -> None:
    """A source that does not exist is an error (a typo must not create an empty folder)."""
    from einvoice.mailbox.errors import MailboxCause, MailboxError

    if not path.is_dir():
        reason = "ist eine Datei, kein Ordner" if path.exists() else "gibt es nicht"
        raise MailboxError(
            MailboxCause.FOLDER, f"{what} {path} {reason} (wird nicht angelegt; Pfad prüfen)."
        )


def open_source(
    spec: str,
    imap_password: str | None = None,
    mailboxes: Sequence[MailboxSettings] = (),
    secrets: Mapping[str, str] | None = None,
) -> Source:
    """``maildir:PATH``, ``drop:PATH``, a mailbox name from the mailboxes file or an IMAP URL.

    ``secrets`` are the ``EINVOICE_IMAP_*`` variables (the password of a bare URL);
    without them ``imap_password`` is used.
    """
    if spec.startswith("maildir:"):
        return MaildirSource(Path(spec.removeprefix("maildir:")))
    if spec.startswith("drop:"):
        return DropFolderSource(Path(spec.removeprefix("drop:")))
    from einvoice.mailbox.imap import ImapSource

    for box in mailboxes:
        if box.name == spec:
            return ImapSource(box)
    if spec.startswith(tuple(f"{scheme}://" for scheme in SCHEMES)):
        env = dict(secrets or {})
        if imap_password and PASSWORD_ENV not in env:
            env[PASSWORD_ENV] = imap_password
        return ImapSource(parse({"url": spec}, env))
    known = ", ".join(m.name for m in mailboxes) or "keine (EINVOICE_MAILBOXES)"
    raise ConfigurationError(
        f"unbekannte Quelle {spec!r}: maildir:PFAD, drop:PFAD, imaps://user@host/ORDNER "
        f"oder ein Postfach aus der Postfach-Datei (bekannt: {known})"
    )
