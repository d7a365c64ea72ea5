"""Real services for integration tests: PostgreSQL, Redis, Dovecot (IMAP).

Locally a missing service skips with a loud reason; with CI=true it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import IN_CI

PG_HOST = os.environ.get("EINVOICE_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("EINVOICE_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("EINVOICE_TEST_PG_USER", "postgres")
REDIS_URL = os.environ.get("EINVOICE_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def missing(service: str, why: str) -> None:
    message = f"{service} not available: {why}"
    if IN_CI:
        pytest.fail(message + " (CI=true: a missing service fails the run)")
    pytest.skip("SKIPPED LOUDLY - " + message)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the shared server, dropped afterwards."""
    if not port_open(PG_HOST, PG_PORT):
        missing("PostgreSQL", f"nothing listens on {PG_HOST}:{PG_PORT}")
    import psycopg

    name = f"einvoice_test_{uuid.uuid4().hex[:10]}"
    admin = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url() -> str:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        client.ping()
        client.flushdb()
    except Exception as exc:
        missing("Redis", f"{REDIS_URL}: {exc}")
    return REDIS_URL


@dataclass(frozen=True)
class PrivateRedis:
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("private redis did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        deadline = time.monotonic() + 10
        while port_open("127.0.0.1", self.port) and time.monotonic() < deadline:
            time.sleep(0.05)


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        missing("redis-server", "binary not installed")
    server = PrivateRedis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Imap:
    host: str
    port: int
    user: str
    password: str
    maildir: Path

    @property
    def url(self) -> str:
        return f"imap+plain://{self.user}@{self.host}:{self.port}/INBOX"


DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{base}/mail/%u
first_valid_uid = 8
mail_uid = mail
mail_gid = mail
default_internal_user = mail
default_login_user = mail
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/passwd
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={base}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""


def dovecot_folder(prefix: str) -> tuple[str, Path]:
    """The Dovecot binary and a fresh folder for one private server (run, state, mail)."""
    binary = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if binary is None:
        missing("Dovecot (IMAP)", "apt-get install dovecot-imapd (done by .ci/run)")
    assert binary is not None
    # Dovecot's auth and mail processes run as the user "mail": its folder must be
    # reachable for them (pytest's tmp folders are private to root).
    base = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(base, 0o755)
    for sub in ("run", "state", "mail"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    return binary, base


@contextmanager
def running_dovecot(binary: str, base: Path, conf: Path, ports: tuple[int, ...]) -> Iterator[None]:
    """Start Dovecot with ``conf``, wait until it listens on ``ports``; stop it and remove
    its folder afterwards."""
    subprocess.run(["chown", "-R", "mail:mail", str(base / "mail")], check=False)
    # dovecot daemonises: its output must not be a pipe we wait on
    with (base / "start.log").open("wb") as out:
        result = subprocess.run(
            [binary, "-c", str(conf)], stdout=out, stderr=subprocess.STDOUT, timeout=30
        )
    try:
        if result.returncode != 0:
            log = (base / "dovecot.log").read_text() if (base / "dovecot.log").exists() else ""
            start_log = (base / "start.log").read_text()
            raise RuntimeError(f"dovecot did not start: {start_log}\n{log}")
        deadline = time.monotonic() + 15
        while not all(port_open("127.0.0.1", port) for port in ports):
            if time.monotonic() > deadline:
                raise RuntimeError("dovecot did not listen")
            time.sleep(0.1)
        yield
    finally:
        subprocess.run(
            [binary, "-c", str(conf), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def dovecot(tmp: Path) -> Iterator[Imap]:
    binary, base = dovecot_folder("einvoice-dovecot-")
    port = free_port()
    user, password = "rechnung", "geheim-" + uuid.uuid4().hex[:8]
    (base / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    conf = base / "dovecot.conf"
    conf.write_text(DOVECOT_CONF.format(base=base, port=port))
    with running_dovecot(binary, base, conf, (port,)):
        yield Imap("127.0.0.1", port, user, password, base / "mail" / user)
