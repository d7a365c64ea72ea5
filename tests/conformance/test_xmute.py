"""XRechnung national rules against KoSIT's rule-test instances, through the real CLI.

The official harness ``../shared/tools/xmute.py`` expands the ``<?xmute?>``
instructions of the instances into mutants, runs
``einvoice validate --format json {dir}`` once over them and scores every
expectation. The test requires 100 %.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import IN_CI, einvoice_cmd

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CONFORMANCE = SHARED / "conformance"
HARNESS = SHARED / "tools" / "xmute.py"
INSTANCES = CONFORMANCE / "xrechnung-rule-tests"


def _require_material() -> None:
    missing = [
        p
        for p in (CONFORMANCE, HARNESS, INSTANCES / "cii", INSTANCES / "ubl-inv")
        if not p.exists()
    ]
    if missing:
        message = "official XRechnung rule tests not found: " + ", ".join(str(p) for p in missing)
        if IN_CI:
            pytest.fail(message + " (CI=true: this must not be skipped)")
        pytest.skip("SKIPPED LOUDLY: " + message)


def _run_harness(*folders: Path) -> tuple[str, subprocess.CompletedProcess[str]]:
    command = (
        " ".join(shlex.quote(part) for part in einvoice_cmd()) + " validate --format json {dir}"
    )
    result = subprocess.run(
        [sys.executable, str(HARNESS), "--cmd", command, *(str(f) for f in folders)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=1200,
    )
    lines = result.stdout.strip().splitlines()
    last = lines[-1] if lines else result.stderr.strip()
    print(last)
    return last, result


@pytest.mark.conformance
@pytest.mark.slow
@pytest.mark.parametrize("syntax", ["cii", "ubl-inv"])
def test_every_xmute_expectation_is_met(syntax: str) -> None:
    _require_material()
    last, result = _run_harness(INSTANCES / syntax)
    assert last.startswith("xmute:"), result.stdout[-5000:] + result.stderr[-3000:]
    assert "(100.0%)" in last, result.stdout[-5000:] + result.stderr[-3000:]
    assert result.returncode == 0
