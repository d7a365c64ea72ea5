"""Invoice sources: Maildir, drop folder and IMAP behind one small interface.

A source yields raw items; the caller stores each one and commits, and only
then tells the source ``done(item, ok)`` so it moves the original to its
processed (or failed) place. Nothing is removed before it is committed.
"""

from __future__ import annotations

import imaplib
import logging
import mailbox
import shutil
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

from einvoice.errors import ConfigurationError, TransientError

log = logging.getLogger(__name__)

PROCESSED = "processed"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RawItem:
    key: str
    raw: bytes
    channel: str  # "mail" or "drop"
    name: str


class Source(Protocol):
    name: str

    def fetch(self, limit: int | None = None) -> Iterator[RawItem]: ...

    def done(self, item: RawItem, ok: bool) -> None: ...

    def close(self) -> None: ...


class MaildirSource:
    """A Maildir inbox; done messages move to the ``.processed`` / ``.failed`` folders."""

    def __init__(self, path: Path) -> None:
        self.name = f"maildir:{path}"
        self.box = mailbox.Maildir(path, create=True)

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

    def __init__(self, path: Path) -> None:
        self.name = f"drop:{path}"
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

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


class ImapSource:
    """An IMAP mailbox (``imaps://user@host:993/INBOX`` or ``imap://`` with STARTTLS).

    ``imap+plain://`` connects without TLS and is meant for tests on loopback.
    """

    def __init__(self, url: str, password: str | None, timeout: float = 60) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("imap", "imaps", "imap+plain"):
            raise ConfigurationError(f"not an IMAP URL: {url}")
        if not parsed.hostname or not parsed.username:
            raise ConfigurationError(f"IMAP URL needs user and host: {url}")
        if not password:
            raise ConfigurationError("EINVOICE_IMAP_PASSWORD is not set (no default for secrets)")
        self.scheme = parsed.scheme
        self.host = parsed.hostname
        self.port = parsed.port or (993 if parsed.scheme == "imaps" else 143)
        self.user = unquote(parsed.username)
        self.password = password
        self.folder = unquote(parsed.path.lstrip("/")) or "INBOX"
        self.timeout = timeout
        self.name = f"{parsed.scheme}://{self.user}@{self.host}:{self.port}/{self.folder}"
        self._conn: imaplib.IMAP4 | None = None

    def _connect(self) -> imaplib.IMAP4:
        if self._conn is not None:
            return self._conn
        try:
            if self.scheme == "imaps":
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    self.host,
                    self.port,
                    ssl_context=ssl.create_default_context(),
                    timeout=self.timeout,
                )
            else:
                conn = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
                if self.scheme == "imap":
                    conn.starttls(ssl_context=ssl.create_default_context())
            conn.login(self.user, self.password)
            for folder in (PROCESSED, FAILED):
                conn.create(folder)  # answers NO when it exists: fine
            status, _ = conn.select(self._quote(self.folder))
            if status != "OK":
                raise TransientError(f"cannot select IMAP folder {self.folder}")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise TransientError(f"IMAP {self.host}:{self.port}: {exc}") from exc
        self._conn = conn
        return conn

    @staticmethod
    def _quote(folder: str) -> str:
        return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def fetch(self, limit: int | None = None) -> Iterator[RawItem]:
        conn = self._connect()
        try:
            status, data = conn.uid("SEARCH", "ALL")
            if status != "OK":
                raise TransientError(f"IMAP SEARCH failed: {data!r}")
            uids = data[0].split() if data and data[0] else []
            for count, uid in enumerate(uids):
                if limit is not None and count >= limit:
                    return
                status, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
                if status != "OK":
                    raise TransientError(f"IMAP FETCH {uid!r} failed")
                raw = b"".join(p[1] for p in parts if isinstance(p, tuple))
                if not raw:  # gone since SEARCH: another poller (machine) took it
                    continue
                yield RawItem(uid.decode(), raw, "mail", f"imap uid {uid.decode()}")
        except (OSError, imaplib.IMAP4.error) as exc:
            self.close()
            raise TransientError(f"IMAP: {exc}") from exc

    def done(self, item: RawItem, ok: bool) -> None:
        conn = self._connect()
        target = PROCESSED if ok else FAILED
        try:
            status, _ = conn.uid("MOVE", item.key, target)
            if status != "OK":
                conn.uid("COPY", item.key, target)
                conn.uid("STORE", item.key, "+FLAGS", "(\\Deleted)")
                conn.expunge()
        except (OSError, imaplib.IMAP4.error) as exc:
            self.close()
            raise TransientError(f"IMAP MOVE: {exc}") from exc

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.logout()
            except Exception:
                log.debug("IMAP logout failed", exc_info=True)
            self._conn = None


def open_source(spec: str, imap_password: str | None = None) -> Source:
    """``maildir:PATH``, ``drop:PATH`` or an ``imap(s)://`` URL."""
    if spec.startswith("maildir:"):
        return MaildirSource(Path(spec.removeprefix("maildir:")))
    if spec.startswith("drop:"):
        return DropFolderSource(Path(spec.removeprefix("drop:")))
    if spec.startswith(("imap://", "imaps://", "imap+plain://")):
        return ImapSource(spec, imap_password)
    raise ConfigurationError(
        f"unknown source {spec!r}: use maildir:PATH, drop:PATH or imaps://user@host/INBOX"
    )
