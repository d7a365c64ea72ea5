"""CEN EN 16931 unit tests through the official VEFA harness and the real CLI."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from tests.helpers import ROOT, TOOLS, einvoice_cmd, require_conformance


@pytest.mark.conformance
def test_cen_unit_tests_meet_every_expectation() -> None:
    conformance = require_conformance()
    folders = sorted(str(p) for p in (conformance / "cen-unit").iterdir() if p.is_dir())
    command = " ".join(shlex.quote(c) for c in einvoice_cmd()) + " validate --format json {dir}"
    result = subprocess.run(
        [sys.executable, str(TOOLS / "vefa.py"), "--cmd", command, *folders],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=1200,
    )
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    print(last)
    assert "(100.0%)" in last, result.stdout[-5000:] + result.stderr[-2000:]
    assert result.returncode == 0
