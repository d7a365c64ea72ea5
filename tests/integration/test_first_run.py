"""First run: the embedded default creates itself; other databases say what to do.

The demo's printed hints work exactly as printed (each run in a shell).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from tests.helpers import ROOT, einvoice_cmd
from tests.integration.services import postgres_database


def run(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_")}
    full.update(env)
    return subprocess.run(
        [*einvoice_cmd(), *args], env=full, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def test_embedded_sqlite_is_created_and_upgraded_on_first_use(tmp_path: Path) -> None:
    env = {"EINVOICE_DATA_DIR": str(tmp_path / "fresh")}
    done = run(["status"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Rechnungen: 0" in done.stdout
    assert (tmp_path / "fresh" / "einvoice.db").is_file()
    again = run(["queue", "list", "amt-10"], env, tmp_path)
    assert again.returncode == 0, again.stderr


def test_database_never_upgraded_gets_a_german_instruction(tmp_path: Path) -> None:
    with postgres_database() as url:
        env = {"EINVOICE_DATA_DIR": str(tmp_path / "d"), "EINVOICE_DATABASE_URL": url}
        done = run(["status"], env, tmp_path)
        assert done.returncode == 2
        assert "ist leer" in done.stderr and "einvoice db upgrade" in done.stderr
        assert "Unerwarteter Fehler" not in done.stderr and "no such table" not in done.stderr
        doctor = run(["doctor"], env, tmp_path)
        assert doctor.returncode == 1
        assert any(
            line.startswith("FEHLER") and "Datenbank" in line for line in doctor.stdout.splitlines()
        ), doctor.stdout
        assert run(["db", "upgrade"], env, tmp_path).returncode == 0
        done = run(["status"], env, tmp_path)
        assert done.returncode == 0, done.stderr


def test_unreachable_database_is_named_without_traceback(tmp_path: Path) -> None:
    env = {
        "EINVOICE_DATA_DIR": str(tmp_path / "d"),
        "EINVOICE_DATABASE_URL": "postgresql+psycopg://einvoice:geheim@127.0.0.1:1/einvoice",
    }
    done = run(["status"], env, tmp_path)
    assert done.returncode == 3  # database unreachable (docs/operations.md, Exit-Codes)
    assert "nicht erreichbar" in done.stderr
    assert "geheim" not in done.stderr  # the password is never printed
    assert "Traceback" not in done.stderr


def test_demo_hints_work_as_printed(tmp_path: Path) -> None:
    """Every 'Weiter' line of the demo, run in a shell from the same folder, succeeds."""
    # the demo replays weeks of pilot history: give it time on a loaded machine
    demo = run(["demo", "--folder", str(tmp_path / "demo")], {}, ROOT, timeout=900)
    assert demo.returncode == 0, demo.stderr
    lines = demo.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Weiter"))
    hints = [line.strip() for line in lines[start + 1 :] if line.startswith("  ")]
    assert len(hints) >= 6, hints
    names = [h for h in hints if " web" not in h]  # the web server runs until stopped
    assert any("invoice show" in h for h in names) and any("doctor" in h for h in names)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_")}
    for hint in names:
        assert "EINVOICE_DATA_DIR=" in hint
        argv = shlex.split(hint)
        exe = argv[1]
        # the printed program is this environment's einvoice (relative to ROOT when inside it)
        assert Path(exe).name == "einvoice", hint
        done = subprocess.run(
            ["/bin/sh", "-c", hint.replace(exe, shlex.quote(einvoice_cmd()[0]), 1)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        allowed = (0, 1) if " validate " in hint else (0,)
        assert done.returncode in allowed, (hint, done.stdout[-2000:], done.stderr[-2000:])
        assert "Unerwarteter Fehler" not in done.stderr, hint
    status = next(h for h in names if h.endswith(" status"))
    assert status
