"""Small server-side SVG charts (no JavaScript): bars, stacked bars, lines, capacity.

Every function returns a standalone ``<svg>`` string that scales to its
container (``viewBox``, ``width=100%``), carries a ``<title>`` and an
``aria-label`` for screen readers, and escapes every text it draws. Numbers
are written the German way (``1.234,5``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

#: Colours that stay distinguishable in print and for colour-blind readers.
PALETTE = ("#1f5fa8", "#e08a1e", "#3a9a5b", "#b8433f", "#7a5aa6", "#6b7b8c", "#c9a227", "#2b9aa8")
GRID = "#d9dde3"
TEXT = "#1d2733"
MUTED = "#5b6673"
FONT = "font-family='Helvetica, Arial, sans-serif'"


def number(value: float, digits: int = 0) -> str:
    """German number: thousands with '.', decimals with ','."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: Sequence[float | None]
    color: str = ""


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _ticks(top: float) -> list[float]:
    """Grid lines at round values: 4 steps (0, 250, 500, ...) or 5 (0, 50, ..., 250)."""
    step = top / 4
    exponent = 10.0 ** math.floor(math.log10(step)) if step > 0 else 1.0
    count = 4 if round(step / exponent, 6) in (1.0, 2.0, 5.0) else 5
    return [top * i / count for i in range(count + 1)]


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='100%' role='img' aria-label={quoteattr(title)} {FONT}>",
        f"<title>{escape(title)}</title>",
        f"<text x='0' y='14' font-size='13' font-weight='bold' fill='{TEXT}'>"
        f"{escape(title)}</text>",
    ]


LEGEND_CHAR = 6.6  # about the width of a legend character at font-size 11 (DejaVu, Helvetica)
LEGEND_LINE = 15.0


def _legend_items(
    series: Sequence[Series], extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str, str]]:
    items = [(s.label, s.color or PALETTE[i % len(PALETTE)], "box") for i, s in enumerate(series)]
    return items + [(label, color, "line") for label, color in extra]


def _legend_places(
    series: Sequence[Series],
    x: float,
    y: float,
    right: float | None,
    extra: Sequence[tuple[str, str]] = (),
) -> list[tuple[float, float]]:
    """Where each legend item begins: on one line, or wrapped before ``right``."""
    places = []
    start = x
    for label, _, _ in _legend_items(series, extra):
        wide = 15 + LEGEND_CHAR * len(label)
        if right is not None and x > start and x + wide > right:
            x, y = start, y + LEGEND_LINE
        places.append((x, y))
        x += wide + 7
    return places


def _legend(
    series: Sequence[Series],
    x: float,
    y: float,
    extra: Sequence[tuple[str, str]] = (),
    right: float | None = None,
) -> list[str]:
    parts = []
    places = _legend_places(series, x, y, right, extra)
    for (label, color, kind), (x, y) in zip(_legend_items(series, extra), places, strict=True):
        if kind == "box":
            parts.append(
                f"<rect x='{x:.1f}' y='{y - 9:.1f}' width='10' height='10' fill='{color}'/>"
            )
        else:
            parts.append(
                f"<line x1='{x:.1f}' y1='{y - 4:.1f}' x2='{x + 12:.1f}' y2='{y - 4:.1f}' "
                f"stroke='{color}' stroke-width='2' stroke-dasharray='5 3'/>"
            )
        parts.append(
            f"<text x='{x + 15:.1f}' y='{y:.1f}' font-size='11' fill='{TEXT}'>"
            f"{escape(label)}</text>"
        )
    return parts


def _axes(
    left: float,
    top: float,
    plot_w: float,
    plot_h: float,
    y_top: float,
    y_text: Callable[[float], str],
    categories: Sequence[str],
    every: int,
) -> list[str]:
    parts = []
    for tick in _ticks(y_top):
        y = top + plot_h - plot_h * tick / y_top
        parts.append(
            f"<line x1='{left:.1f}' y1='{y:.1f}' x2='{left + plot_w:.1f}' y2='{y:.1f}' "
            f"stroke='{GRID}' stroke-width='1'/>"
        )
        parts.append(
            f"<text x='{left - 6:.1f}' y='{y + 4:.1f}' font-size='10' text-anchor='end' "
            f"fill='{MUTED}'>{escape(y_text(tick))}</text>"
        )
    step = plot_w / max(len(categories), 1)
    for i, label in enumerate(categories):
        if i % every == 0:
            x = left + step * (i + 0.5)
            parts.append(
                f"<text x='{x:.1f}' y='{top + plot_h + 14:.1f}' font-size='10' "
                f"text-anchor='middle' fill='{MUTED}'>{escape(label)}</text>"
            )
    return parts


def _fit(label: str, width: float, char: float = 5.6) -> str:
    """The label shortened with an ellipsis to fit ``width`` (approximate glyph width)."""
    room = max(int(width / char), 4)
    return label if len(label) <= room else label[: room - 1] + "…"


def _every(count: int, plot_w: float) -> int:
    return max(1, math.ceil(count * 34 / max(plot_w, 1)))


def stacked_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 720,
    height: int = 250,
    unit: str = "",
) -> str:
    """Vertical bars per category, the series stacked (e.g. receipts per week by channel)."""
    left, top, right, bottom = 48.0, 40.0, 10.0, 24.0
    wrapped = _legend_places(series, left, 30, width - right)[-1:]
    more = wrapped[0][1] - 30 if wrapped else 0  # a legend wrapped onto more lines
    top, height = top + more, int(height + more)
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    y_top = _nice_max(max(totals, default=0))
    parts = _open(width, height, title)
    parts += _legend(series, left, 30, right=width - right)
    parts += _axes(
        left,
        top,
        plot_w,
        plot_h,
        y_top,
        lambda v: number(v),
        categories,
        _every(len(categories), plot_w),
    )
    step = plot_w / max(len(categories), 1)
    bar = max(step * 0.75, 1)
    for i, category in enumerate(categories):
        base = top + plot_h
        x = left + step * i + (step - bar) / 2
        for n, s in enumerate(series):
            value = s.values[i] or 0
            if value <= 0:
                continue
            h = plot_h * value / y_top
            base -= h
            color = s.color or PALETTE[n % len(PALETTE)]
            parts.append(
                f"<rect x='{x:.1f}' y='{base:.1f}' width='{bar:.1f}' height='{h:.1f}' "
                f"fill='{color}'><title>{escape(category)} – {escape(s.label)}: "
                f"{number(value)}{escape(unit)}</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    y_max: float | None = None,
    y_min: float = 0.0,
    threshold: float | None = None,
    threshold_label: str = "",
    value_text: Callable[[float], str] = number,
    width: int = 720,
    height: int = 230,
) -> str:
    """Lines over the categories (gaps where a value is None), with a dashed threshold."""
    left, top, right, bottom = 52.0, 40.0, 10.0, 24.0
    extra = [(threshold_label, "#b8433f")] if threshold is not None and threshold_label else []
    wrapped = _legend_places(series, left, 30, width - right, extra)[-1:]
    more = wrapped[0][1] - 30 if wrapped else 0  # a legend wrapped onto more lines
    top, height = top + more, int(height + more)
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    if threshold is not None:
        values.append(threshold)
    top_value = y_max if y_max is not None else _nice_max(max(values, default=1.0) * 1.05)
    span = max(top_value - y_min, 1e-9)
    parts = _open(width, height, title)
    parts += _legend(series, left, 30, extra, right=width - right)
    for offset in _ticks(span):
        tick_value = y_min + offset
        y = top + plot_h - plot_h * offset / span
        parts.append(
            f"<line x1='{left:.1f}' y1='{y:.1f}' x2='{left + plot_w:.1f}' y2='{y:.1f}' "
            f"stroke='{GRID}' stroke-width='1'/>"
            f"<text x='{left - 6:.1f}' y='{y + 4:.1f}' font-size='10' text-anchor='end' "
            f"fill='{MUTED}'>{escape(value_text(tick_value))}</text>"
        )
    every = _every(len(categories), plot_w)
    step = plot_w / max(len(categories), 1)
    for i, label in enumerate(categories):
        if i % every == 0:
            parts.append(
                f"<text x='{left + step * (i + 0.5):.1f}' y='{top + plot_h + 14:.1f}' "
                f"font-size='10' text-anchor='middle' fill='{MUTED}'>{escape(label)}</text>"
            )

    def y_of(value: float) -> float:
        clipped = min(max(value, y_min), y_min + span)
        return top + plot_h - plot_h * (clipped - y_min) / span

    if threshold is not None:
        y = y_of(threshold)
        parts.append(
            f"<line x1='{left:.1f}' y1='{y:.1f}' x2='{left + plot_w:.1f}' y2='{y:.1f}' "
            "stroke='#b8433f' stroke-width='1.5' stroke-dasharray='5 3'/>"
        )
    for n, s in enumerate(series):
        color = s.color or PALETTE[n % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x = left + step * (i + 0.5)
            runs[-1].append(f"{x:.1f},{y_of(value):.1f}")
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y_of(value):.1f}' r='2' fill='{color}'>"
                f"<title>{escape(categories[i])} – {escape(s.label)}: "
                f"{escape(value_text(value))}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f"<polyline points='{' '.join(run)}' fill='none' stroke='{color}' "
                    "stroke-width='2'/>"
                )
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    color: str = PALETTE[0],
    value_text: Callable[[float], str] = number,
    width: int = 720,
    label_width: int = 230,
    row: int = 20,
) -> str:
    """One bar per item (e.g. top rejection rules, volume per office)."""
    top = 26.0
    height = int(top + row * max(len(items), 1) + 6)
    plot_w = width - label_width - 70
    high = max((v for _, v in items), default=0) or 1
    parts = _open(width, height, title)
    if not items:
        parts.append(
            f"<text x='0' y='{top + 14:.1f}' font-size='11' fill='{MUTED}'>keine Daten</text>"
        )
    for i, (label, value) in enumerate(items):
        y = top + row * i
        shown = _fit(label, label_width - 8, 6.3)
        w = plot_w * value / high
        parts.append(
            f"<text x='{label_width - 6}' y='{y + row * 0.65:.1f}' font-size='11' "
            f"text-anchor='end' fill='{TEXT}'>{escape(shown)}<title>{escape(label)}</title></text>"
            f"<rect x='{label_width}' y='{y + 3:.1f}' width='{max(w, 1):.1f}' "
            f"height='{row - 6}' fill='{color}'/>"
            f"<text x='{label_width + w + 5:.1f}' y='{y + row * 0.65:.1f}' font-size='11' "
            f"fill='{TEXT}'>{escape(value_text(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class CapacityRow:
    label: str  # office and quarter, e.g. "Amt 12 – 1. Quartal 2027"
    planned: float
    capacity: float


def capacity_bars(
    rows: Sequence[CapacityRow],
    *,
    title: str,
    width: int = 720,
    label_width: int = 250,
    row: int = 18,
) -> str:
    """Planned person-days against capacity: grey = capacity, blue = planned, red = over."""
    top = 40.0
    height = int(top + row * max(len(rows), 1) + 6)
    plot_w = width - label_width - 110
    high = max((max(r.planned, r.capacity) for r in rows), default=0) or 1
    parts = _open(width, height, title)
    parts += _legend(
        [
            Series("Kapazität", [], "#cfd6de"),
            Series("eingeplant", [], PALETTE[0]),
            Series("Überbuchung", [], "#b8433f"),
        ],
        label_width,
        30,
    )
    for i, r in enumerate(rows):
        y = top + row * i
        cap_w = plot_w * r.capacity / high
        plan_w = plot_w * min(r.planned, r.capacity) / high
        over_w = plot_w * max(r.planned - r.capacity, 0) / high
        share = f"{number(100 * r.planned / r.capacity)} %" if r.capacity else "keine Kapazität"
        parts.append(
            f"<text x='{label_width - 6}' y='{y + row * 0.68:.1f}' font-size='10.5' "
            f"text-anchor='end' fill='{TEXT}'>{escape(_fit(r.label, label_width - 8))}"
            f"<title>{escape(r.label)}</title></text>"
            f"<rect x='{label_width}' y='{y + 3:.1f}' width='{max(cap_w, 0):.1f}' "
            f"height='{row - 6}' fill='#cfd6de'/>"
            f"<rect x='{label_width}' y='{y + 3:.1f}' width='{plan_w:.1f}' height='{row - 6}' "
            f"fill='{PALETTE[0]}'/>"
        )
        if over_w > 0:
            parts.append(
                f"<rect x='{label_width + plan_w:.1f}' y='{y + 3:.1f}' width='{over_w:.1f}' "
                f"height='{row - 6}' fill='#b8433f'/>"
            )
        end = label_width + max(cap_w, plan_w + over_w) + 5
        parts.append(
            f"<text x='{end:.1f}' y='{y + row * 0.68:.1f}' font-size='10' fill='{MUTED}'>"
            f"{number(r.planned)} / {number(r.capacity)} PT ({escape(share)})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_hbars(
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[str],
    *,
    title: str,
    width: int = 720,
    label_width: int = 250,
    row: int = 20,
    total_text: Callable[[float], str] = lambda v: number(v, 1),
) -> str:
    """One horizontal bar per row, its parts stacked (e.g. points per criterion)."""
    top = 44.0
    height = int(top + row * max(len(rows), 1) + 6)
    plot_w = width - label_width - 60
    high = max((sum(values) for _, values in rows), default=0) or 1
    parts = _open(width, height, title)
    parts += _legend([Series(s, []) for s in series], 0, 32)
    for i, (label, values) in enumerate(rows):
        y = top + row * i
        shown = _fit(label, label_width - 8, 6.3)
        parts.append(
            f"<text x='{label_width - 6}' y='{y + row * 0.65:.1f}' font-size='11' "
            f"text-anchor='end' fill='{TEXT}'>{escape(shown)}<title>{escape(label)}</title></text>"
        )
        x = float(label_width)
        for n, value in enumerate(values):
            w = plot_w * value / high
            if w > 0:
                parts.append(
                    f"<rect x='{x:.1f}' y='{y + 3:.1f}' width='{w:.1f}' height='{row - 6}' "
                    f"fill='{PALETTE[n % len(PALETTE)]}'><title>{escape(series[n])}: "
                    f"{number(value, 1)}</title></rect>"
                )
            x += w
        parts.append(
            f"<text x='{x + 5:.1f}' y='{y + row * 0.65:.1f}' font-size='11' fill='{TEXT}'>"
            f"{escape(total_text(sum(values)))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
