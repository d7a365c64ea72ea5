"""Blob store in the database (PostgreSQL in production): no shared folder, one backup.

Each ``put`` commits on its own connection before the pipeline's transaction
commits (like the file store's fsync + rename): an original is durable before
anything refers to it. Content-addressed, so a second ``put`` is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from einvoice.errors import TransientError
from einvoice.storage.blobs import BlobCorrupted, FolderlessFsck, check_digest, sha256_of
from einvoice.storage.ops_tables import BlobContent
from einvoice.storage.schema_state import safe_url


class DatabaseBlobStore(FolderlessFsck):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def describe(self) -> str:
        return f"Datenbank {safe_url(str(self.engine.url))} (Tabelle blob_contents)"

    def exists(self, sha256: str) -> bool:
        check_digest(sha256)
        try:
            with self.engine.connect() as connection:
                found = connection.execute(
                    select(BlobContent.sha256).where(BlobContent.sha256 == sha256)
                ).first()
        except SQLAlchemyError as exc:
            raise TransientError(f"blob store: {exc}") from exc
        return found is not None

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        if self.exists(digest):
            return digest
        row = {
            "sha256": digest,
            "size": len(data),
            "data": data,
            "stored_at": datetime.now(UTC),
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(BlobContent), [row])
        except IntegrityError:
            if not self.exists(digest):  # a racing writer stored it: fine; else a real error
                raise
        except SQLAlchemyError as exc:
            raise TransientError(f"cannot store blob {digest}: {exc}") from exc
        return digest

    def get(self, sha256: str) -> bytes:
        check_digest(sha256)
        try:
            with self.engine.connect() as connection:
                data = connection.execute(
                    select(BlobContent.data).where(BlobContent.sha256 == sha256)
                ).scalar()
        except SQLAlchemyError as exc:
            raise TransientError(f"cannot read blob {sha256}: {exc}") from exc
        if data is None:
            raise BlobCorrupted(f"blob {sha256} is missing from the database")
        data = bytes(data)
        if sha256_of(data) != sha256:
            raise BlobCorrupted(f"blob {sha256} does not match its hash")
        return data

    def digests(self) -> Iterator[str]:
        with self.engine.connect() as connection:
            yield from connection.execute(
                select(BlobContent.sha256).order_by(BlobContent.sha256)
            ).scalars()

    def delete(self, sha256: str) -> bool:
        check_digest(sha256)
        with self.engine.begin() as connection:
            result = connection.execute(delete(BlobContent).where(BlobContent.sha256 == sha256))
        return bool(result.rowcount)
