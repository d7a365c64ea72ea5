"""A supplier's PDF shown as page images (PNG) rendered on the server - never run.

A PDF handed to the browser's own viewer runs the supplier's JavaScript
(``/OpenAction``: ``app.alert(...)`` appeared in the clerk's browser, issue 21, finding
2) and a Content-Security-Policy does not reach the viewer's scripts. So the invoice
page and the supplier portal show pictures of the pages instead: PDFium (the
``pypdfium2`` wheel, built without JavaScript and XFA) draws each page in a separate
process with limits - at most :data:`MAX_PAGES` pages, at most :data:`MAX_PIXELS` pixels
per page, :data:`TIMEOUT_SECONDS` of time and :data:`MEMORY_BYTES` of memory - so a
hostile PDF can neither run code in a browser nor stall or exhaust the web app.

The pictures are kept per original (its SHA-256) under ``EINVOICE_DATA_DIR/page-images``:
the worker renders them when the invoice arrives, so the page stays fast; a page whose
pictures are missing (another machine, a failure then) renders them on demand once. They
are derived data: deleting the folder only costs time. A picture is only shown while its
original is stored (an original that retention deleted takes its pictures along the next
time they are asked for, and the worker's sweep removes those of deleted originals:
:meth:`PageImages.sweep`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MAX_PAGES = 20
MAX_WIDTH = 1240  # pixels: A4 at 150 dpi, sharp on a normal screen
MAX_PIXELS = 4_000_000  # per page (a poster-sized page is drawn smaller)
TIMEOUT_SECONDS = 30.0
MEMORY_BYTES = 1 << 30
CPU_SECONDS = 30
_SHA = re.compile(r"^[0-9a-f]{64}$")


class PageRenderError(Exception):
    """The PDF could not be drawn (broken, too large, too slow); German text for people."""


@dataclass(frozen=True, slots=True)
class PageSet:
    """What is kept of one original: its page pictures and how many pages it has."""

    count: int  # pictures kept (at most MAX_PAGES)
    total: int  # pages of the PDF
    sizes: tuple[tuple[int, int], ...]  # (width, height) in pixels per picture
    problem: str | None = None  # why there are no (or not all) pictures, German

    @property
    def shortened(self) -> bool:
        return self.total > self.count


def is_pdf(data: bytes) -> bool:
    return data[:5] == b"%PDF-"


# --- rendering (in a child process) ---------------------------------------------------------


def render(data: bytes, max_pages: int = MAX_PAGES) -> tuple[int, list[bytes]]:
    """(pages of the PDF, PNG pictures of the first ``max_pages``), drawn by a child
    process with limits; PageRenderError when it fails or takes too long."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "einvoice.presentation.page_images", str(max_pages)],
            input=data,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PageRenderError(
            f"Das Zeichnen der PDF-Seiten dauerte länger als {TIMEOUT_SECONDS:.0f} s."
        ) from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        log.warning("PDF pages not rendered (exit %s): %s", done.returncode, reason[0][:300])
        raise PageRenderError("Die PDF-Datei lässt sich nicht als Bild darstellen.")
    return _unframe(done.stdout)


def _limits() -> None:  # pragma: no cover - the child limits itself before it reads
    if os.name != "posix":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _unframe(out: bytes) -> tuple[int, list[bytes]]:
    if len(out) < 8:
        raise PageRenderError("Die PDF-Datei lässt sich nicht als Bild darstellen.")
    total, count = struct.unpack(">II", out[:8])
    pictures, at = [], 8
    for _ in range(count):
        (size,) = struct.unpack(">I", out[at : at + 4])
        pictures.append(out[at + 4 : at + 4 + size])
        at += 4 + size
    return total, pictures


def _scale(width_pt: float, height_pt: float) -> float:
    scale = MAX_WIDTH / max(width_pt, 1.0)
    if width_pt * height_pt * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / max(width_pt * height_pt, 1.0)) ** 0.5
    return max(scale, 0.01)


def png(width: int, height: int, rows: Iterator[bytes]) -> bytes:
    """A PNG of RGB rows (8 bit per channel, filter 0)."""
    raw = b"".join(b"\x00" + row for row in rows)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def _draw(data: bytes, max_pages: int) -> bytes:  # pragma: no cover - runs in the child
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)  # never init_forms(): no form scripts, no XFA
    total = len(document)
    frames = []
    for index in range(min(total, max_pages)):
        page = document[index]
        width_pt, height_pt = page.get_size()
        bitmap = page.render(
            scale=_scale(width_pt, height_pt),
            rev_byteorder=True,  # RGB
            may_draw_forms=False,
            fill_color=(255, 255, 255, 255),
        )
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        buffer = bytes(bitmap.buffer)
        rows = (buffer[y * stride : y * stride + width * 3] for y in range(height))
        picture = png(width, height, rows)
        frames.append(struct.pack(">I", len(picture)) + picture)
        bitmap.close()
        page.close()
    document.close()
    return struct.pack(">II", total, len(frames)) + b"".join(frames)


def png_size(picture: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", picture[16:24])
    return int(width), int(height)


# --- the cache per original -----------------------------------------------------------------


class PageImages:
    """Page pictures per original SHA-256 in a folder (``DATA_DIR/page-images``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _folder(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256

    def cached(self, sha256: str) -> PageSet | None:
        try:
            meta = json.loads((self._folder(sha256) / "pages.json").read_text("utf-8"))
            return PageSet(
                int(meta["count"]),
                int(meta["total"]),
                tuple((int(w), int(h)) for w, h in meta["sizes"]),
                meta.get("problem"),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def prepare(self, sha256: str, data: bytes, source: str | None = None) -> PageSet | None:
        """Render and keep the pictures of a PDF (None for anything else); idempotent.
        ``source``: the stored original they come from (a PDF attachment's invoice; by
        default the PDF itself), whose deletion takes them along (:meth:`sweep`)."""
        if not is_pdf(data):
            return None
        found = self.cached(sha256)
        if found is not None:
            return found
        try:
            total, pictures = render(data)
            pages = PageSet(len(pictures), total, tuple(png_size(p) for p in pictures))
        except PageRenderError as exc:
            pictures, pages = [], PageSet(0, 0, (), str(exc))
        self._store(sha256, pages, pictures, source or sha256)
        return pages

    def ensure(
        self,
        sha256: str,
        read: Callable[[], bytes],
        stored: Callable[[], bool],
        source: str | None = None,
    ) -> PageSet | None:
        """The pictures of the original (rendered now if missing); None when it is no PDF.
        An original that is no longer stored has no pictures (and they are removed)."""
        if not stored():
            self.forget(sha256)
            return None
        return self.cached(sha256) or self.prepare(sha256, read(), source)

    def sweep(self, stored: Callable[[str], bool]) -> int:
        """Remove the pictures whose original is no longer stored (retention deleted it);
        how many sets went."""
        removed = 0
        for meta in self.root.glob("??/*/pages.json"):
            if meta.parent.name.startswith("."):  # being written just now
                continue
            try:
                source = str(json.loads(meta.read_text("utf-8")).get("source") or "")
            except (OSError, ValueError):
                source = ""
            if not _SHA.match(source):
                source = meta.parent.name
            if not stored(source):
                shutil.rmtree(meta.parent, ignore_errors=True)
                removed += 1
        return removed

    def picture(self, sha256: str, page: int) -> bytes | None:
        try:
            return (self._folder(sha256) / f"{page:04d}.png").read_bytes()
        except OSError:
            return None

    def forget(self, sha256: str) -> None:
        shutil.rmtree(self._folder(sha256), ignore_errors=True)

    def _store(self, sha256: str, pages: PageSet, pictures: list[bytes], source: str) -> None:
        folder = self._folder(sha256)
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
        try:
            for number, picture in enumerate(pictures, 1):
                (work / f"{number:04d}.png").write_bytes(picture)
            meta = {
                "count": pages.count,
                "total": pages.total,
                "sizes": [list(s) for s in pages.sizes],
                "problem": pages.problem,
                "source": source,
            }
            (work / "pages.json").write_text(json.dumps(meta), "utf-8")
            # atomic: readers see all pictures or none; when another process was first, its
            # pictures are the same
            with contextlib.suppress(OSError):
                work.rename(folder)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:  # pragma: no cover - the child process
    _limits()
    max_pages = int(sys.argv[1]) if len(sys.argv) > 1 else MAX_PAGES
    data = sys.stdin.buffer.read()
    try:
        out = _draw(data, max(1, min(max_pages, MAX_PAGES)))
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
