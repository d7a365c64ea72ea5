"""The site's icon: ``/favicon.ico`` answers (it was a 404 on every page view), is cached,
is named in every page's head, and a browser can draw it."""

from __future__ import annotations

from pathlib import Path

from tests.integration.browser import chromium, live_server
from tests.integration.web import client, make_app

# draws /favicon.ico on a canvas: [width, height, [r, g, b, a] at the corner, edge, centre]
_DRAW = """() => new Promise(done => {
  const img = new Image();
  img.onerror = () => done(null);
  img.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const at = (x, y) => [...g.getImageData(x, y, 1, 1).data];
    done([img.naturalWidth, img.naturalHeight, at(0, 0), at(2, 16), at(15, 9)]);
  };
  img.src = '/favicon.ico';
})"""


def test_favicon_is_served_cached_and_linked(tmp_path: Path) -> None:
    # Tried on the demo: GET /favicon.ico answered 404 on every page.
    application, _ = make_app(tmp_path)
    anonymous = client(application)
    icon = anonymous.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:6] == b"\x00\x00\x01\x00\x01\x00"  # an ICO with one image
    assert "max-age=86400" in icon.headers["cache-control"]
    again = anonymous.get("/favicon.ico", headers={"if-none-match": icon.headers["etag"]})
    assert again.status_code == 304 and not again.content
    login_page = anonymous.get("/login").text
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in login_page

    with live_server(application) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/login")
        drawn = page.evaluate(_DRAW)
        assert drawn is not None, "the browser could not decode /favicon.ico"
        width, height, corner, edge, centre = drawn
        assert (width, height) == (32, 32)
        assert corner[3] == 0  # rounded: the corner is transparent
        assert edge == [0x0B, 0x4F, 0x8A, 255]  # the app's blue
        assert centre == [255, 255, 255, 255]  # the white sheet
        page.close()
