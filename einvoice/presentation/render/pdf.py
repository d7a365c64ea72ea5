"""The invoice as PDF: the HTML rendering printed by the system's headless Chromium.

No Python dependency: Chromium runs as a separate process with a throw-away
profile, no network services and a time limit; its whole process group is
killed when the limit is reached.

Every PDF goes through :func:`html_to_pdf`, which lets at most :data:`SLOTS` Chromium
processes run at once in this process (the web app sets the number from
``EINVOICE_MAX_PDF_RENDERS``). One more is refused at once with :class:`RenderBusy`,
never queued: a Chromium takes a few hundred MB and a CPU core for seconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from einvoice.domain.invoice import Invoice
from einvoice.errors import PermanentError, TransientError
from einvoice.presentation.render.html import render_html

log = logging.getLogger(__name__)

CHROMIUM_CANDIDATES = (
    "/usr/bin/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pdf-header-footer",
)
DEFAULT_TIMEOUT = 60.0
DEFAULT_RENDERS = 2  # Chromium processes at once per server process
BUSY_DE = "Die PDF-Erzeugung ist gerade ausgelastet; bitte in einigen Sekunden noch einmal."


class RenderError(PermanentError):
    """The invoice could not be rendered (German message)."""


class ChromiumNotFoundError(RenderError):
    """No Chromium to print the PDF with."""


class RenderBusy(TransientError):
    """As many PDFs as allowed are being printed right now; try again in a few seconds."""

    def __init__(self) -> None:
        super().__init__(BUSY_DE)


class RenderSlots:
    """How many Chromium processes may run at once; a further render is refused, not queued."""

    def __init__(self, limit: int = DEFAULT_RENDERS) -> None:
        self._semaphore = threading.BoundedSemaphore(limit)
        self.limit = limit

    def resize(self, limit: int) -> None:
        """A new bound for renders starting from now (running ones finish on the old one)."""
        if limit < 1:
            raise ValueError(f"at least one PDF render at once, not {limit}")
        self._semaphore = threading.BoundedSemaphore(limit)
        self.limit = limit

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        semaphore = self._semaphore
        if not semaphore.acquire(blocking=False):
            log.warning("PDF render refused: %d already running", self.limit)
            raise RenderBusy()
        try:
            yield
        finally:
            semaphore.release()


#: The one bound of this process, shared by every caller of :func:`html_to_pdf`.
SLOTS = RenderSlots()


def find_chromium(explicit: str | os.PathLike[str] | None = None) -> str:
    """The Chromium executable: ``explicit`` if given, else the first one installed."""
    candidates = (os.fspath(explicit),) if explicit is not None else CHROMIUM_CANDIDATES
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    raise ChromiumNotFoundError(
        "Für die PDF-Ausgabe wird der Browser Chromium benötigt, er wurde aber nicht gefunden "
        f"(gesucht: {', '.join(candidates)}). Bitte Chromium installieren (Debian/Ubuntu: "
        "apt-get install chromium) oder die Rechnung als HTML ausgeben (--format html)."
    )


def render_pdf(
    invoice: Invoice,
    *,
    title: str | None = None,
    chromium: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """The rendered invoice printed to PDF (A4) by headless Chromium."""
    return html_to_pdf(render_html(invoice, title=title), chromium=chromium, timeout=timeout)


def html_to_pdf(
    html: str,
    *,
    chromium: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """Print a standalone HTML page to PDF with headless Chromium (RenderBusy when as many
    renders as :data:`SLOTS` allows are running)."""
    executable = find_chromium(chromium)
    with SLOTS.slot():
        return _print(html, executable, timeout)


def _print(html: str, executable: str, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="einvoice-render-") as tmp:
        folder = Path(tmp)
        page = folder / "rechnung.html"
        target = folder / "rechnung.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            executable,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        _run(command, timeout)
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise RenderError("Chromium hat keine PDF-Datei erzeugt (Ausgabe fehlt).") from exc
    if not data.startswith(b"%PDF-"):
        raise RenderError("Chromium hat keine gültige PDF-Datei erzeugt.")
    return data


def _run(command: list[str], timeout: float) -> None:
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so a timeout ends all of Chromium
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise RenderError(
            f"Chromium hat die PDF-Datei nicht in der erlaubten Zeit ({timeout:g} s) erzeugt."
        ) from exc
    finally:
        if process.poll() is None:
            _kill_group(process)
    if process.returncode != 0:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        log.warning("chromium exited with %s: %s", process.returncode, " | ".join(tail))
        raise RenderError(
            f"Chromium konnte die PDF-Datei nicht erzeugen (Exit-Code {process.returncode})."
        )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
