"""Every blob store behind one interface: folder, database (SQLite, PostgreSQL), S3 (moto)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from einvoice import bootstrap, config
from einvoice.errors import ConfigurationError
from einvoice.storage import db
from einvoice.storage.blobs import BlobCorrupted, ManagedBlobStore
from tests.integration.s3server import s3_server
from tests.integration.services import postgres_database


@pytest.fixture(params=["local", "database-sqlite", "database-postgresql", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ManagedBlobStore]:
    env = {"EINVOICE_DATA_DIR": str(tmp_path / "data")}
    kind: str = request.param
    if kind == "local":
        yield bootstrap.make_blob_store(config.load(env))
    elif kind == "database-sqlite":
        settings = config.load({**env, "EINVOICE_BLOB_STORE": "database"})
        settings.data_dir.mkdir(parents=True)
        db.upgrade(settings.database_url)
        yield bootstrap.make_blob_store(settings)
    elif kind == "database-postgresql":
        with postgres_database() as url:
            settings = config.load(
                {**env, "EINVOICE_BLOB_STORE": "database", "EINVOICE_DATABASE_URL": url}
            )
            db.upgrade(url)
            built = bootstrap.make_blob_store(settings)
            yield built
            built.engine.dispose()  # type: ignore[attr-defined]
    else:
        with s3_server() as s3:
            yield bootstrap.make_blob_store(config.load({**env, **s3}))


def test_put_get_exists_delete(store: ManagedBlobStore) -> None:
    data = b"<Invoice>\x00\xff original bytes</Invoice>"
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.put(data) == digest  # content-addressed: a second put changes nothing
    assert store.exists(digest) and store.get(digest) == data
    other = store.put(b"zweites Original")
    assert sorted(store.digests()) == sorted([digest, other])
    assert store.delete(digest) is True
    assert store.delete(digest) is False
    assert not store.exists(digest)
    with pytest.raises(BlobCorrupted):
        store.get(digest)
    with pytest.raises(ValueError):
        store.get("../../etc/passwd")
    assert store.describe()


def test_concurrent_puts_of_the_same_bytes(store: ManagedBlobStore) -> None:
    data = b"x" * 100_000
    errors: list[BaseException] = []

    def put() -> None:
        try:
            store.put(data)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(store.digests()) == [hashlib.sha256(data).hexdigest()]


def test_bad_blob_store_setting_is_explained() -> None:
    with pytest.raises(ConfigurationError, match="EINVOICE_BLOB_STORE"):
        config.load({"EINVOICE_BLOB_STORE": "nfs:/mnt/x"})
    with pytest.raises(ConfigurationError, match="nur zusammen"):
        config.load({"EINVOICE_BLOB_STORE": "s3://b/p", "EINVOICE_S3_ACCESS_KEY": "k"})
