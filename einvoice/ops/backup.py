"""Consistent backup and verified restore: database, blobs and a manifest.

Consistency while workers run: originals are written to the blob store before
the database commit that refers to them and never change, so a database
snapshot plus the blobs it refers to is a consistent state. On PostgreSQL the
counts, the list of blobs and ``pg_dump`` all read one exported snapshot; on
SQLite the backup API copies the database and everything else is read from
that copy.

Layout of a backup folder::

    manifest.json        written last: format, schema revision, counts, file and blob hashes
    database.pgdump      pg_dump --format=custom (PostgreSQL), or
    database.sqlite      SQLite backup API copy
    blobs/ab/cd/<sha256> every original the database refers to (whatever the blob store)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from einvoice.errors import EinvoiceError
from einvoice.storage.blobs import ManagedBlobStore, sha256_of

FORMAT = 1
MANIFEST = "manifest.json"
#: Blob bytes kept in the database store are saved as files, not twice in the dump.
BLOB_CONTENT_TABLE = "blob_contents"


class BackupError(EinvoiceError):
    """A backup or restore could not be done or did not verify (German text)."""


@dataclass(frozen=True, slots=True)
class Manifest:
    data: dict[str, Any]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.data["counts"])

    @property
    def blobs(self) -> dict[str, int]:
        return dict(self.data["blobs"])


Progress = Callable[[str], None]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore; the password only in the environment."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"Das Programm {name} fehlt (PostgreSQL-Clientprogramme, Debian: apt-get install "
            "postgresql-client; die Version muss mindestens die des Servers sein)."
        )
    return found


def table_counts(connection: Connection) -> dict[str, int]:
    from einvoice.storage.schema import metadata

    present = set(inspect(connection).get_table_names())
    counts = {}
    for table in metadata.sorted_tables:
        if table.name in present:
            counts[table.name] = int(
                connection.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar_one()
            )
    return counts


def referenced_blobs(connection: Connection) -> dict[str, int]:
    """Every original the database holds (minus those retention deleted), with its size."""
    from einvoice.storage.ops_tables import DeletedBlob, erased_digests_query
    from einvoice.storage.tables import Blob

    present = set(inspect(connection).get_table_names())
    deleted: set[str] = set()
    if DeletedBlob.__tablename__ in present:
        deleted = set(connection.execute(erased_digests_query()).scalars())
    rows = connection.execute(select(Blob.sha256, Blob.size).order_by(Blob.sha256))
    return {sha: int(size) for sha, size in rows if sha not in deleted}


def _revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _pg_snapshot(engine: Engine) -> Iterator[tuple[Connection, str]]:
    """A REPEATABLE READ transaction whose snapshot pg_dump can share."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            yield connection, str(snapshot)


def backup(
    url: str, blobs: ManagedBlobStore, out: Path, progress: Progress = lambda _: None
) -> Manifest:
    """Write a consistent snapshot of database and blobs into the new folder ``out``."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"Der Zielordner {out} ist nicht leer; bitte einen neuen Ordner angeben.")
    out.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    engine = create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            database_file = out / "database.pgdump"
            with _pg_snapshot(engine) as (connection, snapshot):
                counts, wanted = table_counts(connection), referenced_blobs(connection)
                revision = _revision(connection)
                progress(f"Datenbank sichern (pg_dump, Schnappschuss {snapshot}) ...")
                libpq, env = _libpq(url)
                done = subprocess.run(
                    [
                        _tool("pg_dump"),
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--exclude-table-data={BLOB_CONTENT_TABLE}",
                        f"--file={database_file}",
                        libpq,
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    raise BackupError(f"pg_dump ist fehlgeschlagen: {done.stderr.strip()}")
        else:
            database_file = out / "database.sqlite"
            progress("Datenbank sichern (SQLite-Backup-API) ...")
            _sqlite_backup(url, database_file)
            copy = create_engine(f"sqlite:///{database_file}")
            try:
                with copy.connect() as connection:
                    counts, wanted = table_counts(connection), referenced_blobs(connection)
                    revision = _revision(connection)
            finally:
                copy.dispose()
        counts.pop(BLOB_CONTENT_TABLE, None)
    finally:
        engine.dispose()
    progress(f"{len(wanted)} Originale sichern ...")
    folder = out / "blobs"
    for number, (sha, size) in enumerate(sorted(wanted.items()), 1):
        data = blobs.get(sha)  # verifies the hash
        if len(data) != size:
            raise BackupError(f"Original {sha}: {len(data)} Bytes, laut Datenbank {size}")
        target = folder / sha[:2] / sha[2:4] / sha
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if number % 500 == 0:
            progress(f"  {number}/{len(wanted)} Originale")
    from einvoice import __version__

    manifest = {
        "format": FORMAT,
        "einvoice": __version__,
        "created_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "database": {
            "dialect": "postgresql" if database_file.suffix == ".pgdump" else "sqlite",
            "file": database_file.name,
            "sha256": _file_sha256(database_file),
            "revision": revision,
        },
        "blob_store": blobs.describe(),
        "counts": counts,
        "blobs": wanted,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return Manifest(manifest)


def _sqlite_backup(url: str, target: Path) -> None:
    path = make_url(url).database
    if not path or not Path(path).is_file():
        raise BackupError(f"SQLite-Datenbank {path} gibt es nicht.")
    source = sqlite3.connect(path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if BLOB_CONTENT_TABLE in tables:
            copy.execute(f"DELETE FROM {BLOB_CONTENT_TABLE}")
            copy.commit()
            copy.execute("VACUUM")
    finally:
        copy.close()
        source.close()


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{folder} ist keine vollständige Sicherung: {MANIFEST} fehlt "
            "(wird als Letztes geschrieben; die Sicherung wurde wohl abgebrochen)."
        )
    data = json.loads(path.read_text())
    if data.get("format") != FORMAT:
        raise BackupError(f"Unbekanntes Sicherungsformat {data.get('format')!r} in {path}")
    return Manifest(data)


def verify_folder(folder: Path, progress: Progress = lambda _: None) -> Manifest:
    """Every file of the backup matches the manifest (database hash, each blob's hash)."""
    manifest = read_manifest(folder)
    database = folder / manifest.data["database"]["file"]
    if not database.is_file() or _file_sha256(database) != manifest.data["database"]["sha256"]:
        raise BackupError(f"{database.name}: fehlt oder weicht vom Manifest ab")
    progress(f"{len(manifest.blobs)} Originale der Sicherung prüfen ...")
    for sha, size in manifest.blobs.items():
        path = folder / "blobs" / sha[:2] / sha[2:4] / sha
        if not path.is_file():
            raise BackupError(f"Original {sha} fehlt in der Sicherung")
        data = path.read_bytes()
        if sha256_of(data) != sha or len(data) != size:
            raise BackupError(f"Original {sha} in der Sicherung ist beschädigt")
    return manifest


def _ensure_empty(engine: Engine, blobs: ManagedBlobStore) -> None:
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
    if tables:
        raise BackupError(
            "Die Zieldatenbank ist nicht leer (Tabellen: "
            f"{', '.join(sorted(tables)[:5])}...). Wiederherstellen nur in eine leere "
            "Installation: neue Datenbank anlegen bzw. leeren Datenordner angeben."
        )
    try:
        first = next(iter(blobs.digests()), None)
    except SQLAlchemyError:  # blob store in this (still empty) database: nothing there yet
        first = None
    if first is not None:
        raise BackupError(f"Der Blob-Speicher ({blobs.describe()}) ist nicht leer.")


def restore(
    folder: Path, url: str, blobs: ManagedBlobStore, progress: Progress = lambda _: None
) -> Manifest:
    """Restore a verified backup into an empty installation and compare all counts."""
    manifest = verify_folder(folder, progress)
    dialect = manifest.data["database"]["dialect"]
    engine = create_engine(url)
    try:
        if engine.dialect.name != dialect:
            raise BackupError(
                f"Die Sicherung enthält eine {dialect}-Datenbank, das Ziel ist "
                f"{engine.dialect.name}."
            )
        _ensure_empty(engine, blobs)
        database = folder / manifest.data["database"]["file"]
        progress("Datenbank wiederherstellen ...")
        if dialect == "postgresql":
            libpq, env = _libpq(url)
            done = subprocess.run(
                [
                    _tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={libpq}",
                    str(database),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_restore ist fehlgeschlagen: {done.stderr.strip()}")
        else:
            engine.dispose()
            _sqlite_restore(database, url)
        progress(f"{len(manifest.blobs)} Originale zurückschreiben ...")
        for sha in manifest.blobs:
            data = (folder / "blobs" / sha[:2] / sha[2:4] / sha).read_bytes()
            if blobs.put(data) != sha:
                raise BackupError(f"Original {sha}: Hash nach dem Zurückschreiben anders")
        with engine.connect() as connection:
            counts = table_counts(connection)
            counts.pop(BLOB_CONTENT_TABLE, None)
            wanted = referenced_blobs(connection)
    finally:
        engine.dispose()
    differing = {
        t: (manifest.counts.get(t), counts.get(t))
        for t in set(manifest.counts) | set(counts)
        if manifest.counts.get(t) != counts.get(t)
    }
    if differing:
        raise BackupError(f"Zeilenzahlen nach dem Wiederherstellen abweichend: {differing}")
    if wanted != manifest.blobs:
        raise BackupError("Die Liste der Originale weicht nach dem Wiederherstellen ab.")
    missing = [sha for sha in wanted if not blobs.exists(sha)]
    if missing:
        raise BackupError(f"{len(missing)} Originale fehlen im Blob-Speicher, z. B. {missing[0]}")
    return manifest


def _sqlite_restore(database: Path, url: str) -> None:
    path = make_url(url).database
    if not path:
        raise BackupError("SQLite-Ziel ohne Dateipfad")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(database)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def latest(root: Path) -> tuple[datetime, Path] | None:
    """The newest complete backup below ``root`` (a folder with its manifest, which is
    written last): when it finished and where; None if there is none."""
    newest: tuple[datetime, Path] | None = None
    try:
        folders = [entry for entry in root.iterdir() if entry.is_dir()]
    except OSError:
        return None
    for folder in folders:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            finished = datetime.fromisoformat(str(data["finished_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if newest is None or finished > newest[0]:
            newest = (finished, folder)
    return newest


def dated_folder(root: Path, now: datetime | None = None) -> Path:
    """A new folder below ``root`` named by the time (UTC), e.g. 2026-12-01T023000Z."""
    return root / (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H%M%SZ")
