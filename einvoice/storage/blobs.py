"""Content-addressed blob store: originals kept unaltered under their SHA-256.

A blob is written once (to a temporary file, fsynced, then renamed into
place) and never rewritten; reading verifies the hash. A temporary file's name
says which process wrote it (``.tmp-<pid>@<host>@...``), so the files of a writer
that was killed mid-write are recognised and removed as soon as a new worker starts
on the same host, without waiting for them to grow old. (Processes that share one blob
folder must not share a host name across PID namespaces: give containers their own.)
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from einvoice.errors import PermanentError, TransientError


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...


class ManagedBlobStore(BlobStore, Protocol):
    """What operations need beyond the pipeline: list (backup, fsck), delete (retention)."""

    def digests(self) -> Iterator[str]: ...

    def delete(self, sha256: str) -> bool: ...

    def describe(self) -> str: ...


def check_digest(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class BlobCorrupted(PermanentError):
    pass


class StorageFull(TransientError):
    """The blob store's disk is full (or over quota): nothing was stored, retry when freed."""


_FULL = (errno.ENOSPC, errno.EDQUOT)
_TMP_PREFIX = ".tmp-"


def _writer_tag() -> str:
    """``<pid>@<host>@``: who writes a temporary file (host names hold no ``@``)."""
    return f"{os.getpid()}@{socket.gethostname()}@"


def _written_by_dead_process(name: str, host: str) -> bool:
    """True for a temporary file written on ``host`` by a process that no longer runs."""
    parts = name[len(_TMP_PREFIX) :].split("@")
    if len(parts) != 3 or parts[1] != host or not parts[0].isdigit():
        return False  # another host's writer, or an older name: only age decides
    pid = int(parts[0])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FolderlessFsck:
    """What ``einvoice fsck`` asks of a store that keeps no folder (database, S3): the same
    names as the folder store's. Blobs are keyed by their hash and written in one step, so
    nothing can be misplaced or left half-written."""

    def digests(self) -> Iterator[str]:
        raise NotImplementedError

    def get(self, sha256: str) -> bytes:
        raise NotImplementedError

    def delete(self, sha256: str) -> bool:
        raise NotImplementedError

    def hashes(self) -> Iterator[str]:
        return self.digests()

    def strays(self) -> Iterator[Path]:
        return iter(())

    def leftovers(self, older_than: float) -> Iterator[Path]:
        return iter(())

    def quarantine(self, sha256: str | Path, folder: Path) -> Path:
        """Move an unreferenced blob out of the store into ``folder`` (kept, not deleted)."""
        name = sha256.name if isinstance(sha256, Path) else sha256
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        target.write_bytes(self.get(name))
        self.delete(name)
        return target


class LocalBlobStore:
    """Blobs as files ``ab/cd/abcd...`` below a folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        check_digest(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def describe(self) -> str:
        return f"Ordner {self.root}"

    def digests(self) -> Iterator[str]:
        """Every stored blob (temporary files of an interrupted write are skipped)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            name = path.name
            if len(name) == 64 and not name.startswith(".") and path.is_file():
                yield name

    def delete(self, sha256: str) -> bool:
        """Remove a blob (retention only); False if it was not there."""
        path = self.path(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise TransientError(f"cannot delete blob {sha256}: {exc}") from exc
        return True

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        target = self.path(digest)
        if target.is_file():
            return digest
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=_TMP_PREFIX + _writer_tag())
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, 0o444)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as exc:
            if exc.errno in _FULL:
                raise StorageFull(
                    f"Blob-Speicher voll ({self.root}): Original nicht gespeichert ({exc.strerror})"
                ) from exc
            raise TransientError(f"cannot store blob {digest}: {exc}") from exc
        return digest

    # --- for `einvoice fsck` ------------------------------------------------------------------

    def hashes(self) -> Iterator[str]:
        """Every stored blob's name (its SHA-256) where it belongs, in no particular order."""
        for path in self.root.glob("??/??/*"):
            name = path.name
            placed = path.parent.parent.name + path.parent.name == name[:4]
            if _is_blob_name(name) and placed and path.is_file():
                yield name

    def strays(self) -> Iterator[Path]:
        """Files in the store that are neither a blob in its place nor a temporary file."""
        for path in self.root.rglob("*"):
            if not path.is_file() or path.name.startswith(_TMP_PREFIX):
                continue
            rel = path.relative_to(self.root).parts
            if not (len(rel) == 3 and _is_blob_name(rel[2]) and rel[0] + rel[1] == rel[2][:4]):
                yield path

    def leftovers(self, older_than: float) -> Iterator[Path]:
        """Temporary files of writes cut off (SIGKILL, full disk): older than ``older_than`` s,
        or of any age when their writer on this host no longer runs."""
        cutoff = time.time() - older_than
        host = socket.gethostname()
        for path in self.root.glob(f"??/??/{_TMP_PREFIX}*"):
            try:
                if path.stat().st_mtime < cutoff or _written_by_dead_process(path.name, host):
                    yield path
            except FileNotFoundError:
                continue

    def sweep_interrupted_writes(self) -> int:
        """Remove the temporary files of writers on this host that were killed mid-write
        (run when a worker starts); how many were removed."""
        host = socket.gethostname()
        removed = 0
        for path in self.root.glob(f"??/??/{_TMP_PREFIX}*@*@*"):
            if _written_by_dead_process(path.name, host):
                try:
                    path.unlink(missing_ok=True)
                except OSError:  # not ours to remove after all: fsck reports it by age
                    continue
                removed += 1
        return removed

    def quarantine(self, sha256: str | Path, folder: Path) -> Path:
        """Move a blob (or stray file) nothing refers to out of the store (kept, not deleted)."""
        source = sha256 if isinstance(sha256, Path) else self.path(sha256)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / source.name
        if target.exists():
            target = folder / f"{source.name}.{time.time_ns()}"
        shutil.move(str(source), str(target))
        return target

    def get(self, sha256: str) -> bytes:
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise BlobCorrupted(f"blob {sha256} is missing from {self.root}") from exc
        except OSError as exc:
            raise TransientError(f"cannot read blob {sha256}: {exc}") from exc
        if sha256_of(data) != sha256:
            raise BlobCorrupted(f"blob {sha256} does not match its hash")
        return data


def _is_blob_name(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)
