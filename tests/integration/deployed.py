"""Run the shipped commands as real processes: start, health checks, metrics, logs."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import ROOT


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output().splitlines()[-lines:])

    def assert_running(self) -> None:
        code = self.popen.poll()
        assert code is None, f"{self.name} ended with exit code {code}:\n{self.tail()}"


@contextmanager
def started(
    name: str,
    command: Sequence[str],
    env: Mapping[str, str],
    log: Path,
    cwd: Path = ROOT,
) -> Iterator[Process]:
    """The command as its own process group; SIGTERM (then SIGKILL) to the group at the end."""
    with log.open("wb") as out:
        popen = subprocess.Popen(
            list(command),
            env=dict(env),
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    process = Process(name, popen, log)
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(popen.pid, signal.SIGTERM)
        try:
            popen.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(popen.pid, signal.SIGKILL)
            popen.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # forked children left behind
            os.killpg(popen.pid, signal.SIGKILL)


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")


def wait_for(process: Process, url: str, timeout: float = 120, status: int = 200) -> str:
    """The body of ``url`` once it answers ``status``; fails early (with the log) if the
    process ends, and names what it waited for when the time is up."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        process.assert_running()
        try:
            code, body = get(url, timeout=5)
        except OSError as exc:
            last = f"{type(exc).__name__}: {exc}"
        else:
            if code == status:
                return body
            last = f"HTTP {code}: {body[:200]}"
        time.sleep(0.5)
    raise AssertionError(
        f"{process.name}: {url} did not answer {status} within {timeout:.0f} s ({last})\n"
        + process.tail()
    )


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Prometheus text format → {(sample name, sorted labels): value}."""
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def total(text: str, name: str, **labels: str) -> float:
    """The sum of every sample ``name`` whose labels include ``labels``."""
    return sum(
        value
        for (sample, sample_labels), value in samples(text).items()
        if sample == name and set(labels.items()) <= set(sample_labels)
    )


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
