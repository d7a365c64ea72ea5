"""The Chromium call behind render_pdf, with stand-ins for Chromium (no browser needed)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from einvoice.presentation.render import ChromiumNotFoundError, RenderError
from einvoice.presentation.render.pdf import html_to_pdf

PAGE = "<!doctype html><title>t</title><p>Rechnung</p>"


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "fake-chromium"
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_missing_chromium_is_a_clear_german_error(tmp_path: Path) -> None:
    with pytest.raises(ChromiumNotFoundError, match=r"Chromium benötigt.*nicht gefunden"):
        html_to_pdf(PAGE, chromium=tmp_path / "nichts")


def test_the_flags_and_the_file_that_chromium_gets(tmp_path: Path) -> None:
    log = tmp_path / "args"
    fake = _script(
        tmp_path,
        f'printf "%s\\n" "$@" > {log}\n'
        'for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done\n'
        'printf "%%PDF-1.4 fake" > "$out"\n',
    )
    assert html_to_pdf(PAGE, chromium=fake) == b"%PDF-1.4 fake"
    args = log.read_text(encoding="utf-8").splitlines()
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ):
        assert flag in args
    assert any(a.startswith("--user-data-dir=") for a in args)
    assert args[-1].startswith("file://") and args[-1].endswith(".html")
    assert not Path(args[-1].removeprefix("file://")).exists()  # temporary files are gone


def test_failing_chromium_is_a_render_error(tmp_path: Path) -> None:
    fake = _script(tmp_path, "echo kaputt >&2\nexit 3\n")
    with pytest.raises(RenderError, match="Exit-Code 3"):
        html_to_pdf(PAGE, chromium=fake)


def test_no_output_is_a_render_error(tmp_path: Path) -> None:
    fake = _script(tmp_path, "exit 0\n")
    with pytest.raises(RenderError, match="keine PDF-Datei"):
        html_to_pdf(PAGE, chromium=fake)


#: Bounded waits of the hanging-Chromium test (generous: it must pass on a busy machine too).
HANG_LIMIT_S = 5  # the render's time limit: long enough for sh to start its child under load
GONE_WITHIN_S = 20  # how long the killed child may take to be gone


def test_a_hanging_chromium_is_killed_with_its_children(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    fake = _script(tmp_path, f"sleep 600 &\necho $! > {pid_file}\nwait\n")
    started = time.monotonic()
    with pytest.raises(RenderError, match=rf"nicht in der erlaubten Zeit \({HANG_LIMIT_S} s\)"):
        html_to_pdf(PAGE, chromium=fake, timeout=HANG_LIMIT_S)
    took = time.monotonic() - started
    assert took < 300, f"html_to_pdf returned after {took:.0f} s, not at its {HANG_LIMIT_S} s limit"
    assert pid_file.exists(), (
        f"the fake Chromium had not started its child within {HANG_LIMIT_S} s "
        "(nothing to check: the machine was too slow to start /bin/sh)"
    )
    child = int(pid_file.read_text().strip())
    _wait_until_gone(child, GONE_WITHIN_S)


def _wait_until_gone(pid: int, limit: float) -> None:
    """A killed process is gone a moment later, not at once: wait for it, bounded."""
    deadline = time.monotonic() + limit
    while _alive(pid):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"waited {limit:g} s for the hanging Chromium's child {pid} to be gone "
                "after the time limit: it still runs (the process group was not killed)"
            )
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    try:  # a killed child that nobody has reaped yet is a zombie: dead
        return status.read_text().split()[2] != "Z"
    except OSError:
        return False


def test_a_render_beyond_the_bound_is_refused_at_once_and_starts_no_chromium(
    tmp_path: Path,
) -> None:
    """Every PDF (invoice, report, payment order, decision paper) goes through html_to_pdf:
    with every slot taken, the next one is RenderBusy (German) and no Chromium starts."""
    from einvoice.presentation.render import pdf

    log = tmp_path / "started"
    fake = _script(
        tmp_path,
        f"echo x >> {log}\n"
        'for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done\n'
        'printf "%%PDF-1.4 fake" > "$out"\n',
    )
    before = pdf.SLOTS.limit
    pdf.SLOTS.resize(2)
    try:
        with pdf.SLOTS.slot(), pdf.SLOTS.slot():
            with pytest.raises(pdf.RenderBusy, match="gerade ausgelastet"):
                html_to_pdf(PAGE, chromium=fake)
            assert not log.exists()
        assert html_to_pdf(PAGE, chromium=fake) == b"%PDF-1.4 fake"  # slots given back
        assert log.read_text().count("x") == 1
        with pytest.raises(ValueError):
            pdf.SLOTS.resize(0)
    finally:
        pdf.SLOTS.resize(before)


def test_every_web_route_printing_a_pdf_counts_it_against_the_account() -> None:
    """A PDF route without spend_pdf_budget would let one account start Chromium unbounded
    in time (the slots bound only how many at once)."""
    import ast

    from tests.helpers import ROOT

    printing = {"render_pdf", "html_to_pdf"}
    found = []
    for path in sorted((ROOT / "einvoice" / "web").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            called = {
                n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
                for n in ast.walk(node)
                if isinstance(n, ast.Call)
            }
            if called & printing:
                found.append(node.name)
                assert "spend_pdf_budget" in called, f"{path.name}:{node.name}"
    assert len(found) >= 4, found  # invoice entry, supplier report, payment order, paper


def test_the_bound_is_a_setting_with_a_default_of_two() -> None:
    from einvoice import config
    from einvoice.errors import ConfigurationError

    assert config.load({}).max_pdf_renders == 2
    assert config.load({"EINVOICE_MAX_PDF_RENDERS": "4"}).max_pdf_renders == 4
    with pytest.raises(ConfigurationError, match="EINVOICE_MAX_PDF_RENDERS muss positiv"):
        config.load({"EINVOICE_MAX_PDF_RENDERS": "0"})
