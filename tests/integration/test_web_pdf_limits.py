"""PDF downloads start Chromium: at most a few at once per server process (the next one is a
quick German 503 with Retry-After, never a queue), and one account has a budget of them.

Chromium is replaced by a stand-in that holds the first renders until the test lets them go,
so the test counts answers, never times."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from einvoice.presentation.render import pdf
from tests.integration.test_web_invoice_entry import _filled, _new, _post, _world
from tests.integration.web import login

BUSY = "Die PDF-Erzeugung ist gerade ausgelastet; bitte in einigen Sekunden noch einmal."


class SlowChromium:
    """Stands in for Chromium: the first ``hold`` renders wait until :meth:`release`, later
    ones print at once; counts how many ran and the most that ran at the same time."""

    def __init__(self, hold: int) -> None:
        self.hold = hold
        self.lock = threading.Lock()
        self.started = 0
        self.running = 0
        self.most = 0
        self.entered = threading.Semaphore(0)
        self.go = threading.Event()

    def run(self, command: list[str], timeout: float) -> None:
        with self.lock:
            self.started += 1
            self.running += 1
            self.most = max(self.most, self.running)
            held = self.started <= self.hold
        try:
            if held:
                self.entered.release()
                assert self.go.wait(timeout=120), "the test never released the render"
            target = next(a for a in command if a.startswith("--print-to-pdf="))
            Path(target.split("=", 1)[1]).write_bytes(b"%PDF-1.4 stand-in")
        finally:
            with self.lock:
                self.running -= 1

    def wait_entered(self, count: int) -> None:
        for _ in range(count):
            assert self.entered.acquire(timeout=120), "a render did not start"

    def release(self) -> None:
        self.go.set()


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowChromium]:
    fake = SlowChromium(hold=2)
    monkeypatch.setattr(pdf, "find_chromium", lambda explicit=None: "chromium")
    monkeypatch.setattr(pdf, "_run", fake.run)
    yield fake
    fake.release()  # a failed test leaves no render waiting


def _draft_pdf(application: Any) -> tuple[Any, str]:
    c = login(application, "hansen")
    location = _new(c)
    assert _post(c, location, _filled(c, location), "speichern").status_code == 303
    return c, location + "/rechnung.pdf"


def test_at_most_two_pdfs_render_at_once_the_next_is_a_quick_503(
    tmp_path: Path, chromium: SlowChromium
) -> None:
    application, _ = _world(tmp_path)
    c, url = _draft_pdf(application)
    held: list[Any] = []
    first = [threading.Thread(target=lambda: held.append(c.get(url))) for _ in range(2)]
    for thread in first:
        thread.start()
    chromium.wait_entered(2)  # both slots taken, their Chromium still printing

    busy = [c.get(url) for _ in range(3)]
    assert [b.status_code for b in busy] == [503, 503, 503]
    assert all(BUSY in b.text and b.headers["retry-after"].isdigit() for b in busy)
    api_like = c.get(url, headers={"accept": "application/json"})
    assert api_like.status_code == 503 and api_like.json() == {"detail": BUSY}

    chromium.release()
    for thread in first:
        thread.join(timeout=120)
    assert sorted(h.status_code for h in held) == [200, 200]
    assert all(h.content.startswith(b"%PDF-") for h in held)
    assert chromium.started == 2 and chromium.most == 2  # the refused ones never started one
    again = c.get(url)  # the slots are free again
    assert again.status_code == 200 and chromium.started == 3


def test_the_bound_comes_from_the_settings(tmp_path: Path, chromium: SlowChromium) -> None:
    application, _ = _world(tmp_path)
    settings = dataclasses.replace(application.state.settings, max_pdf_renders=1)
    from einvoice.web.app import create_app

    narrow = create_app(application.state.container, settings, application.state.on_invoice)
    narrow.state.mailer = application.state.mailer
    c, url = _draft_pdf(narrow)
    held: list[Any] = []
    thread = threading.Thread(target=lambda: held.append(c.get(url)))
    thread.start()
    chromium.wait_entered(1)
    assert c.get(url).status_code == 503
    chromium.release()
    thread.join(timeout=120)
    assert [h.status_code for h in held] == [200]


def test_one_account_has_a_budget_of_pdfs_others_keep_theirs(
    tmp_path: Path, chromium: SlowChromium
) -> None:
    chromium.release()  # nothing held: this is about counts, not concurrency
    application, _ = _world(tmp_path)
    application.state.settings = dataclasses.replace(application.state.settings, pdf_budget=3)
    c, url = _draft_pdf(application)
    assert [c.get(url).status_code for _ in range(3)] == [200, 200, 200]
    over = c.get(url)
    assert over.status_code == 429 and over.headers["retry-after"].isdigit()
    assert "PDF" in over.text and "Minuten" in over.text
    assert chromium.started == 3  # the refused one started no Chromium
    other = login(application, "weber")
    location = _new(other)
    assert _post(other, location, _filled(other, location), "speichern").status_code == 303
    assert other.get(location + "/rechnung.pdf").status_code == 200
