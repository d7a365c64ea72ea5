"""Wrong calls of ``einvoice`` are answered in German with exit code 2 (issue 22, finding
7: Click's "Missing option '--as'.", "[y/N]" and "Aborted." were English)."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.helpers import ROOT, einvoice_cmd

ENGLISH = ("Missing", "No such", "Invalid value", "Usage:", "Error", "Try '", "Aborted")


def _einvoice(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_")}
    return subprocess.run(
        [*einvoice_cmd(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )


@pytest.mark.parametrize(
    ("args", "german"),
    [
        (("retention", "apply"), "Fehler: Die Option '--as' fehlt."),
        (("retention", "hold", "abc", "--reason", "x", "--as", "y"), "keine ganze Zahl"),
        (("retention", "apply", "--bla"), "Unbekannte Option --bla"),
        (("gibtsnicht",), "Den Befehl 'gibtsnicht' gibt es nicht."),
        (("validate", "--format", "xml", "x.xml"), "'xml' ist nicht erlaubt; möglich: 'text'"),
    ],
)
def test_a_wrong_call_is_said_in_german(args: tuple[str, ...], german: str) -> None:
    done = _einvoice(*args)
    assert done.returncode == 2, done
    assert german in done.stderr, done.stderr
    assert "Hilfe: einvoice" in done.stderr and "--help" in done.stderr
    assert not [word for word in ENGLISH if word in done.stderr], done.stderr
    assert "Traceback" not in done.stderr


def test_help_still_works() -> None:
    done = _einvoice("retention", "--help")
    assert done.returncode == 0 and "Aufbewahrungsfristen" in done.stdout
