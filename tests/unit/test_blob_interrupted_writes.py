"""Temporary files of a writer killed mid-write are recognised by who wrote them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from einvoice.storage.blobs import LocalBlobStore


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _tmp(store: LocalBlobStore, name: str) -> Path:
    folder = store.root / "ab" / "cd"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"half")
    return path


def test_a_killed_writers_file_is_swept_and_reported_whatever_its_age(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    host = socket.gethostname()
    dead = _tmp(store, f".tmp-{_dead_pid()}@{host}@x1")
    mine = _tmp(store, f".tmp-{os.getpid()}@{host}@x2")  # a write in progress
    elsewhere = _tmp(store, f".tmp-{_dead_pid()}@not-{host}@x3")  # only age decides there
    old_name = _tmp(store, ".tmp-abcdef")

    assert list(store.leftovers(older_than=3600)) == [dead]
    assert store.sweep_interrupted_writes() == 1
    assert not dead.exists()
    assert mine.exists() and elsewhere.exists() and old_name.exists()
    assert set(store.leftovers(older_than=0)) == {mine, elsewhere, old_name}


def test_put_names_its_temporary_file_after_the_writer(tmp_path: Path, monkeypatch) -> None:
    store = LocalBlobStore(tmp_path)
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    digest = store.put(b"<Invoice/>")
    assert store.get(digest) == b"<Invoice/>"
    assert seen and seen[0].startswith(f".tmp-{os.getpid()}@{socket.gethostname()}@")
    assert store.sweep_interrupted_writes() == 0
