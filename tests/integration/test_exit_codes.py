"""Every exit code of docs/operations.md ("Exit-Codes"), each shown by a real command.

The table in the documentation and the codes tested here are the same set: a code
added to one without the other fails ``test_the_documented_codes_are_the_tested_ones``.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT, einvoice_cmd
from tests.integration.mail import email_with, invoice_xml
from tests.integration.services import free_port, missing, postgres_database

TESTED = {0, 1, 2, 3, 4, 5, 70}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*einvoice_cmd(), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def sqlite_env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_")}
    return env | {"EINVOICE_DATA_DIR": str(data), "EINVOICE_BROKER_URL": "stub", **extra}


def unreachable_env(data: Path) -> dict[str, str]:
    port = free_port()  # nothing listens there
    url = f"postgresql+psycopg://einvoice@127.0.0.1:{port}/einvoice"
    return sqlite_env(data, EINVOICE_DATABASE_URL=url)


def maildir_with_invoice(folder: Path) -> Path:
    import mailbox

    box = mailbox.Maildir(folder, create=True)
    box.add(email_with([("rechnung.xml", invoice_xml(4711))]))
    box.close()
    return folder


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` not writable, also for root (a read-only bind mount)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if bind.returncode != 0:
        missing("read-only bind mount", bind.stderr.decode(errors="replace").strip())
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_the_documented_codes_are_the_tested_ones() -> None:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    table = text.split("### Exit-Codes", 1)[1].split("\n#", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| `?(\d+)`? \|", table, re.MULTILINE)}
    assert documented == TESTED


def test_0_everything_in_order(tmp_path: Path) -> None:
    done = run(sqlite_env(tmp_path / "data"), "status")
    assert done.returncode == 0, done.stderr
    assert "Offen (noch in keinem Arbeitskorb): 0" in done.stdout


def test_1_a_finding(tmp_path: Path) -> None:
    rejected = run(sqlite_env(tmp_path / "data"), "validate", str(ROOT / "samples" / "invalid"))
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("status", "--gibt-es-nicht"), {}),  # a wrong call
        (("status",), {"EINVOICE_POLL_INTERVAL": "oft"}),  # a wrong setting
    ],
)
def test_2_wrong_call_or_setting(
    tmp_path: Path, args: tuple[str, ...], extra: dict[str, str]
) -> None:
    done = run(sqlite_env(tmp_path / "data", **extra), *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_2_database_not_upgraded(tmp_path: Path) -> None:
    with postgres_database() as url:
        done = run(sqlite_env(tmp_path / "data", EINVOICE_DATABASE_URL=url), "status")
    assert done.returncode == 2, done.stderr
    assert "einvoice db upgrade" in done.stderr


@pytest.mark.parametrize(
    "args",
    [("status",), ("fsck",), ("ingest", "--source", "maildir:MAILDIR", "--once")],
)
def test_3_database_unreachable(tmp_path: Path, args: tuple[str, ...]) -> None:
    box = maildir_with_invoice(tmp_path / "Maildir")
    args = tuple(a.replace("MAILDIR", str(box)) for a in args)
    done = run(unreachable_env(tmp_path / "data"), *args)
    assert done.returncode == 3, (done.returncode, done.stderr)
    assert "Datenbank" in done.stderr and "nicht erreichbar" in done.stderr
    assert len(list((box / "new").iterdir())) == 1  # nothing taken from the mailbox


def test_4_sqlite_in_a_data_folder_that_is_not_writable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    box = maildir_with_invoice(tmp_path / "Maildir")
    with read_only(data):
        done = run(sqlite_env(data), "ingest", "--source", f"maildir:{box}", "--once")
    assert done.returncode == 4, (done.returncode, done.stderr)
    assert f"Datenordner {data} ist nicht beschreibbar" in done.stderr
    assert "Datenbankserver" not in done.stderr  # not the database server's fault
    assert len(list((box / "new").iterdir())) == 1


def test_4_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "eine-datei"
    blocker.write_text("kein Ordner")
    box = maildir_with_invoice(tmp_path / "Maildir")
    done = run(sqlite_env(blocker / "data"), "ingest", "--source", f"maildir:{box}", "--once")
    assert done.returncode == 4, (done.returncode, done.stderr)
    assert "nicht beschreibbar" in done.stderr


def test_4_blob_store_full_after_the_database_was_written(tmp_path: Path) -> None:
    """An existing installation whose data folder became read-only: still 4, never 3."""
    data = tmp_path / "data"
    assert run(sqlite_env(data), "status").returncode == 0  # the database exists
    box = maildir_with_invoice(tmp_path / "Maildir")
    with read_only(data):
        done = run(sqlite_env(data), "ingest", "--source", f"maildir:{box}", "--once")
    assert done.returncode == 4, (done.returncode, done.stderr)
    assert len(list((box / "new").iterdir())) == 1


@pytest.mark.parametrize("kind", ["maildir", "drop"])
def test_5_a_source_that_does_not_exist_is_an_error_not_created(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "no" / "such" / "folder"
    done = run(sqlite_env(tmp_path / "data"), "ingest", "--source", f"{kind}:{folder}", "--once")
    assert done.returncode == 5, (done.returncode, done.stdout, done.stderr)
    assert "gibt es nicht" in done.stderr
    assert not folder.exists() and not folder.parent.exists()


def test_5_a_source_folder_whose_parent_exists_is_not_created_either(tmp_path: Path) -> None:
    folder = tmp_path / "Maildir"
    done = run(sqlite_env(tmp_path / "data"), "ingest", "--source", f"maildir:{folder}", "--once")
    assert done.returncode == 5, done.stderr
    assert not folder.exists()


def test_70_an_unexpected_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program error is one German line and 70, never a traceback, never 3 or 4."""
    import einvoice.cli as cli

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("Programmfehler")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv("EINVOICE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 70


def test_3_and_4_when_the_error_surfaces_late(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lost connection or a full disk in the middle of a command: 3 and 4, not 70."""
    import errno

    from sqlalchemy.exc import OperationalError

    import einvoice.cli as cli

    monkeypatch.delenv("EINVOICE_DEBUG", raising=False)
    for error, code in [
        (OperationalError("select 1", {}, Exception("server closed the connection")), 3),
        (OSError(errno.ENOSPC, "No space left on device"), 4),
    ]:

        def broken(*_: object, error: Exception = error, **__: object) -> None:
            raise error  # called as app(standalone_mode=False)

        monkeypatch.setattr(cli, "app", broken)
        with pytest.raises(SystemExit) as exited:
            cli.main()
        assert exited.value.code == code
