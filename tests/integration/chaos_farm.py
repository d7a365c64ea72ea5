"""What the chaos tests need: a private PostgreSQL server (it gets restarted), process
trees, a small file system for the blob folder, and the mail corpus of issue 15."""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import make_msgid
from pathlib import Path

from tests.integration.mail import email_with, invoice_xml
from tests.integration.services import Imap, free_port, missing, port_open

PG_BIN = Path("/usr/lib/postgresql")


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(PG_BIN.glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


@dataclass
class PrivatePostgres:
    folder: Path
    port: int
    as_user: list[str]

    @property
    def admin_url(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args: str) -> None:
        pg_ctl = _pg_bin("pg_ctl")
        assert pg_ctl is not None
        subprocess.run(
            [*self.as_user, pg_ctl, "-D", str(self.folder / "db"), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200"
        )
        self._ctl("-o", options, "-l", str(self.folder / "pg.log"), "-w", "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL server of its own on a free port (initdb in a temporary folder)."""
    initdb = _pg_bin("initdb")
    if initdb is None or _pg_bin("pg_ctl") is None:
        missing("PostgreSQL server binaries", "initdb/pg_ctl not found (postgresql package)")
    assert initdb is not None
    folder = Path(tempfile.mkdtemp(prefix="einvoice-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(
        [*as_user, initdb, "-D", str(folder / "db"), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        check=True,
        capture_output=True,
        timeout=180,
    )
    server = PrivatePostgres(folder, free_port(), as_user)
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def small_filesystem(path: Path, size: str) -> Iterator[None]:
    """A tmpfs of ``size`` mounted at ``path`` (a disk that fills up); unmounted after."""
    path.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        missing("tmpfs mount (a full disk)", result.stderr.strip() or "mount failed")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def grow_filesystem(path: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(path)], check=True)


# --- processes ------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    for child in children(pid):
        found.append(child)
        found += descendants(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill(pid: int, sig: signal.Signals = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


# --- the corpus -----------------------------------------------------------------------------

#: distinct invoices: 300 in the benchmark (bench/chaos.py), fewer in CI to keep it short
INVOICES = int(os.environ.get("EINVOICE_CHAOS_INVOICES", "100"))
REDELIVERED = 10  # the same e-mail (same Message-ID, same bytes) delivered again
RESENT = 10  # the same invoice in a new e-mail
NO_INVOICE = 10  # e-mails without any invoice

EXPECTED = {
    "invoices": INVOICES,
    "messages": INVOICES + RESENT + NO_INVOICE,
    "documents": INVOICES + RESENT,
    "no_invoice": NO_INVOICE,
    "failed": 0,
    "pending": 0,
    "unrouted": 0,
    "stuck": 0,
    "unreadable": 0,
}


def share(fraction: float) -> int:
    """A point in the run: ``fraction`` of the invoices recorded."""
    return max(1, int(INVOICES * fraction))


def corpus() -> list[bytes]:
    """INVOICES + 30 e-mails: the invoices, 10 re-deliveries, 10 re-sent, 10 without invoice."""
    assert INVOICES >= 7 * REDELIVERED + RESENT, "EINVOICE_CHAOS_INVOICES: at least 80"
    mails: list[bytes] = []
    for i in range(INVOICES):
        mails.append(
            email_with(
                [(f"rechnung-{i}.xml", invoice_xml(5000 + i, n_lines=2))],
                message_id=f"<chaos-{i}@lieferant.example>",
            )
        )
    for i in range(REDELIVERED):
        mails.append(mails[i * 7])
    for i in range(RESENT):
        mails.append(
            email_with(
                [(f"nochmal-{i}.xml", invoice_xml(5000 + INVOICES // 3 + i, n_lines=2))],
                message_id=make_msgid(domain="lieferant.example"),
            )
        )
    for i in range(NO_INVOICE):
        mails.append(email_with([], body=f"Guten Tag, bitte rufen Sie uns an ({i}).\n"))
    return mails


def append_all(imap: Imap, mails: list[bytes]) -> None:
    client = imaplib.IMAP4(imap.host, imap.port)
    client.login(imap.user, imap.password)
    for raw in mails:
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
    client.logout()


def inbox_count(imap: Imap) -> int:
    client = imaplib.IMAP4(imap.host, imap.port)
    try:
        client.login(imap.user, imap.password)
        _, data = client.select("INBOX", readonly=True)
        return int(data[0] or 0)
    finally:
        with contextlib.suppress(Exception):
            client.logout()


def wait_port_closed(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while port_open("127.0.0.1", port) and time.monotonic() < deadline:
        time.sleep(0.1)
