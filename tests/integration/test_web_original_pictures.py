"""The supplier's PDF is shown as page pictures drawn on the server, never handed to the
browser's PDF viewer (issue 21, finding 2: a ZUGFeRD PDF with ``/OpenAction`` JavaScript
ran ``app.alert`` in the clerk's browser through the invoice page's ``<iframe>``).

The browser itself (zero dialogs) is in test_web_browser_pdf_pictures.py."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pypdf
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from einvoice.presentation.page_images import MAX_PAGES, PageImages
from einvoice.services.accounts import Role
from tests.helpers import ROOT
from tests.integration.web import account, csrf_of, login, make_app

SAMPLES = ROOT / "samples"
PNG = b"\x89PNG\r\n\x1a\n"


def javascript_pdf(extra_pages: int = 0) -> bytes:
    """The sample ZUGFeRD invoice with ``/OpenAction`` JavaScript (and blank pages)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(SAMPLES / "zugferd-en16931.pdf"))
    for _ in range(extra_pages):
        writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('pwned');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(c: Any, name: str, data: bytes) -> Any:
    page = c.get("/einreichen")
    return c.post(
        "/einreichen",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": (name, data, "application/octet-stream")},
    )


def _setup(tmp_path: Path, data: bytes) -> tuple[Any, Any, Any, int, Any]:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER)
    account(container, "weber", Role.SUPPLIER)
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    supplier = login(application, "hansen")
    answer = _upload(supplier, "rechnung.pdf", data)
    assert answer.status_code == 303, answer.text[:300]
    clerk = login(application, "a10.becker")
    queue = clerk.get("/api/invoices").json()
    assert len(queue) == 1, queue
    return application, container, clerk, queue[0]["invoice_id"], supplier


def test_invoice_page_shows_pictures_and_never_the_pdf(tmp_path: Path) -> None:
    data = javascript_pdf()
    application, container, clerk, invoice, _ = _setup(tmp_path, data)
    store = PageImages(container.settings.data_dir / "page-images")
    sha = hashlib.sha256(data).hexdigest()
    cached = store.cached(sha)
    assert cached is not None and cached.count == 1, "pictures not drawn when it arrived"
    page = clerk.get(f"/rechnungen/{invoice}")
    assert page.status_code == 200
    for tag in ("<iframe", "<embed", "<object"):
        assert tag not in page.text, tag
    pictures = re.findall(r'<img class="page-image" src="([^"]+)"', page.text)
    assert pictures == [f"/rechnungen/{invoice}/seiten/1"]
    picture = clerk.get(pictures[0])
    assert picture.status_code == 200 and picture.content.startswith(PNG)
    assert picture.headers["content-type"] == "image/png"
    assert picture.headers["x-content-type-options"] == "nosniff"
    assert clerk.get(f"/rechnungen/{invoice}/seiten/2").status_code == 404
    # the original stays downloadable, as an attachment only
    download = clerk.get(f"/rechnungen/{invoice}/pdf")
    assert download.status_code == 200 and download.content == data
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in download.headers["content-security-policy"]
    # another supplier's account cannot see the pictures
    weber = login(application, "weber")
    assert weber.get(pictures[0]).status_code in (403, 404)


def test_portal_shows_ones_own_pdf_as_pictures(tmp_path: Path) -> None:
    application, _, _, _, supplier = _setup(tmp_path, javascript_pdf())
    listing = supplier.get("/meine-rechnungen").text
    report = re.search(r'href="(/einreichungen/\d+)"', listing)
    assert report, listing[:2000]
    page = supplier.get(report.group(1))
    assert page.status_code == 200
    assert "<iframe" not in page.text and "<embed" not in page.text
    pictures = re.findall(r'<img class="page-image" src="([^"]+)"', page.text)
    assert len(pictures) == 1 and re.match(r"^/meine-rechnungen/\d+/seiten/1$", pictures[0])
    assert supplier.get(pictures[0]).content.startswith(PNG)
    weber = login(application, "weber")
    assert weber.get(pictures[0]).status_code == 404


def test_only_the_first_pages_are_drawn(tmp_path: Path) -> None:
    data = javascript_pdf(extra_pages=MAX_PAGES + 4)
    _, _, clerk, invoice, _ = _setup(tmp_path, data)
    page = clerk.get(f"/rechnungen/{invoice}").text
    assert len(re.findall(r'<img class="page-image"', page)) == MAX_PAGES
    assert f"die ersten {MAX_PAGES} von {MAX_PAGES + 5} Seiten" in page


def test_pictures_drawn_on_demand_and_gone_with_the_original(tmp_path: Path) -> None:
    data = javascript_pdf()
    _, container, clerk, invoice, _ = _setup(tmp_path, data)
    root = container.settings.data_dir / "page-images"
    shutil.rmtree(root)  # e.g. another machine: nothing drawn here yet
    page = clerk.get(f"/rechnungen/{invoice}").text
    assert 'class="page-image"' in page
    sha = hashlib.sha256(data).hexdigest()
    store = PageImages(root)
    assert store.cached(sha) is not None
    # an original that is no longer stored has no pictures, and they are removed
    assert store.ensure(sha, lambda: data, lambda: False) is None
    assert store.cached(sha) is None and not (root / sha[:2] / sha).exists()


def test_the_workers_sweep_removes_pictures_of_deleted_originals(tmp_path: Path) -> None:
    from einvoice.workers.actors import _sweep_page_images

    data = javascript_pdf()
    container = _setup(tmp_path, data)[1]
    sha = hashlib.sha256(data).hexdigest()
    store = PageImages(container.settings.data_dir / "page-images")
    _sweep_page_images(container)
    assert store.cached(sha) is not None  # the original is there: kept
    container.pipeline.blobs.delete(sha)  # as retention does
    (store.root / ".swept").unlink()  # (the sweep runs once an hour)
    _sweep_page_images(container)
    assert store.cached(sha) is None and not (store.root / sha[:2] / sha).exists()


def test_a_broken_pdf_is_said_in_german_not_a_500(tmp_path: Path) -> None:
    store = PageImages(tmp_path / "pages")
    broken = b"%PDF-1.7\n" + b"kaputt " * 200
    pages = store.prepare("a" * 64, broken)
    assert pages is not None and pages.count == 0
    assert pages.problem and "nicht als Bild" in pages.problem
    assert store.prepare("b" * 64, b"<xml/>") is None  # no PDF: nothing to draw
