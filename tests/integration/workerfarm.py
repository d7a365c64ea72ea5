"""Start real worker processes (`python -m einvoice.workers.launch einvoice.workers.entry`)."""

from __future__ import annotations

import contextlib
import mailbox
import os
import signal
import subprocess
import time
from pathlib import Path

from einvoice.workers import worker_command
from tests.helpers import ROOT, einvoice_cmd
from tests.integration.mail import email_with, invoice_xml


def fill_maildir(maildir: Path, count: int, first_seed: int = 1000) -> None:
    box = mailbox.Maildir(maildir, create=True)
    for i in range(count):
        box.add(email_with([(f"rechnung-{i}.xml", invoice_xml(first_seed + i, n_lines=2))]))
    box.close()


def env_for(database_url: str, broker_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "EINVOICE_DATABASE_URL": database_url,
        "EINVOICE_BROKER_URL": broker_url,
        "EINVOICE_DATA_DIR": str(data_dir),
        "EINVOICE_SWEEP_AFTER": "5",
        **extra,
    }


def start_worker(
    env: dict[str, str], threads: int = 2, log: Path | None = None
) -> subprocess.Popen[bytes]:
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - lives with the process
    return subprocess.Popen(
        worker_command(threads),
        env=env,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and its forked children (its whole process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        kill_hard(process)


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*einvoice_cmd(), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def wait_until(predicate, timeout: float, interval: float = 0.5) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
