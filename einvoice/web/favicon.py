"""The site's icon (``/favicon.ico``): a white invoice sheet on the app's blue, drawn here.

Browsers ask for ``/favicon.ico`` on every page; without it each page view logged a 404.
The icon is a 32 x 32 pixel ICO (one 32-bit BMP image with alpha), built once from a few
shapes, served with long caching and an ETag.
"""

from __future__ import annotations

import hashlib
import struct
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)

SIZE = 32
Pixel = tuple[int, int, int, int]  # red, green, blue, alpha
CLEAR: Pixel = (0, 0, 0, 0)
BLUE: Pixel = (0x0B, 0x4F, 0x8A, 255)  # --brand of app.css
WHITE: Pixel = (255, 255, 255, 255)
FOLD: Pixel = (0xC9, 0xD7, 0xE8, 255)
#: a day in browsers, a week in shared caches; the ETag makes a changed icon cheap to check
CACHE_CONTROL = "public, max-age=86400, s-maxage=604800"


def _pixel(x: int, y: int) -> Pixel:
    """The colour at ``(x, y)``, y counted from the top."""
    radius = 6
    cx = min(max(x, radius), SIZE - 1 - radius)
    cy = min(max(y, radius), SIZE - 1 - radius)
    if (x - cx) ** 2 + (y - cy) ** 2 > radius**2:
        return CLEAR  # outside the rounded square
    left, right, top, bottom, fold = 8, 23, 4, 27, 6
    if not (left <= x <= right and top <= y <= bottom):
        return BLUE
    corner = x - (right - fold)  # the folded top right corner of the sheet
    if corner > 0 and y - top < corner:
        return BLUE
    if corner > 0 and y - top < fold:
        return FOLD
    if y in (12, 16, 20) and left + 3 <= x <= right - 3:  # lines of text on the sheet
        return BLUE
    if y == 23 and right - 8 <= x <= right - 3:  # the total
        return BLUE
    return WHITE


@cache
def favicon_ico() -> bytes:
    """The icon as an ICO file."""
    rows = []
    for y in reversed(range(SIZE)):  # BMP rows run bottom-up
        rows.append(
            b"".join(bytes((b, g, r, a)) for r, g, b, a in map(_pixel, range(SIZE), [y] * SIZE))
        )
    pixels = b"".join(rows)
    mask = bytes(SIZE * SIZE // 8)  # the AND mask: all drawn, the alpha channel decides
    header = struct.pack("<IiiHHIIiiII", 40, SIZE, SIZE * 2, 1, 32, 0, len(pixels), 0, 0, 0, 0)
    image = header + pixels + mask
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


@router.get("/favicon.ico")
def favicon(request: Request) -> Response:
    data = favicon_ico()
    etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="image/x-icon", headers=headers)
