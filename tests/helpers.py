"""Shared test helpers: where things are, how to run the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CONFORMANCE = SHARED / "conformance"
TOOLS = SHARED / "tools"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_conformance() -> Path:
    """The official test material; skip loudly when ../shared is absent (fail in CI)."""
    if not (CONFORMANCE / "EXPECTED.tsv").is_file():
        message = f"official conformance material not found at {CONFORMANCE}"
        if IN_CI:
            pytest.fail(message + " (CI=true: this must not be skipped)")
        pytest.skip("SKIPPED LOUDLY: " + message)
    return CONFORMANCE


def einvoice_cmd() -> list[str]:
    """How to call the installed `einvoice` command of this environment."""
    exe = Path(sys.executable).with_name("einvoice")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("einvoice")
    if found:
        return [found]
    return [sys.executable, "-m", "einvoice.cli"]


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*einvoice_cmd(), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def run_bounded(
    argv: list[str], *, limit: float, what: str, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run`` (text, output captured) with a time limit that, when hit, says what
    was waited for and what the process had printed (a busy machine is no reason to guess)."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=limit, **kwargs)
    except subprocess.TimeoutExpired as exc:

        def tail(data: bytes | str | None) -> str:
            text = data.decode(errors="replace") if isinstance(data, bytes) else (data or "")
            return text[-1500:]

        raise AssertionError(
            f"waited {limit:g} s for {what} ({' '.join(argv[:6])} ...) to finish; "
            f"stdout so far: {tail(exc.stdout)!r}; stderr so far: {tail(exc.stderr)!r}"
        ) from exc


def wait_for(condition: Callable[[], bool], *, limit: float, what: str) -> None:
    """Poll ``condition`` until it holds; after ``limit`` seconds fail saying ``what``."""
    import time

    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit:g} s for {what}")
        time.sleep(0.05)
