from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from einvoice import bootstrap, config
from tests.integration.services import postgres_database


def make_container(tmp_path: Path, url: str | None, broker: str = "stub") -> bootstrap.Container:
    env = {"EINVOICE_DATA_DIR": str(tmp_path / "data"), "EINVOICE_BROKER_URL": broker}
    if url:
        env["EINVOICE_DATABASE_URL"] = url
    settings = config.load(env)
    from einvoice.storage import db

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db.upgrade(settings.database_url)
    return bootstrap.build(settings)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    with postgres_database() as url:
        yield url


@pytest.fixture
def container(tmp_path: Path, database_url: str | None) -> Iterator[bootstrap.Container]:
    built = make_container(tmp_path, database_url)
    yield built
    built.engine.dispose()
