"""Shared test helpers: where things are, how to run the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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
