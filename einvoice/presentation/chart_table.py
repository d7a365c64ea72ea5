"""A chart together with its data table (WCAG 1.1.1: the numbers without sight).

An SVG with ``role=img`` gives a screen reader its title and nothing more. Every
chart of the Stabsstelle therefore comes as a :class:`Chart`: the SVG and a
:class:`DataTable` built by the same call from the same categories and series,
so the table can never show other numbers than the picture. The page renders
the table below the chart (``<details>``, German numbers by the template filter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from einvoice.presentation import charts


@dataclass(frozen=True, slots=True)
class DataTable:
    """Rows of numbers: one row per category (week, office, rule), one column per series."""

    caption: str
    row_header: str  # heading of the first column, e.g. "Kalenderwoche"
    columns: tuple[str, ...]  # the series' labels, with the unit, e.g. "Median (Tage)"
    rows: tuple[tuple[str, tuple[float | None, ...]], ...]  # (row label, one value per column)
    digits: int = 0  # decimals shown

    @property
    def points(self) -> int:
        """How many values the table shows (None is a gap: no value that week)."""
        return sum(v is not None for _, values in self.rows for v in values)


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart as the page shows it: the SVG, a caption, and its numbers as a table."""

    key: str  # stem of the HTML ids (letters, digits, hyphens)
    title: str  # as drawn in the SVG
    svg: str
    caption: str  # what the chart covers, e.g. the weeks shown
    table: DataTable

    def __str__(self) -> str:
        return self.svg


def _with_unit(label: str, unit: str) -> str:
    return f"{label} ({unit})" if unit else label


def series_chart(
    key: str,
    draw: Callable[..., str],
    categories: Sequence[str],
    series: Sequence[charts.Series],
    *,
    title: str,
    caption: str,
    row_header: str,
    row_labels: Sequence[str] | None = None,
    unit: str = "",
    digits: int = 0,
) -> Chart:
    """``draw(categories, series, title=title)`` and the table of the same values
    (one row per category, one column per series).

    ``row_labels`` name the rows more fully than the axis can (``KW 49/2026 (laufend)``).
    """
    labels = list(row_labels) if row_labels is not None else list(categories)
    if len(labels) != len(categories):
        raise ValueError("one row label per category")
    table = DataTable(
        caption=f"{title}: Werte",
        row_header=row_header,
        columns=tuple(_with_unit(s.label, unit) for s in series),
        rows=tuple(
            (label, tuple(_value(s.values[i]) for s in series)) for i, label in enumerate(labels)
        ),
        digits=digits,
    )
    return Chart(key, title, draw(categories, series, title=title), caption, table)


def items_chart(
    key: str,
    draw: Callable[..., str],
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    caption: str,
    row_header: str,
    column: str,
    digits: int = 0,
) -> Chart:
    """``draw(items, title=title)`` (one bar per item) and the table of the same items."""
    table = DataTable(
        caption=f"{title}: Werte",
        row_header=row_header,
        columns=(column,),
        rows=tuple((label, (_value(value),)) for label, value in items),
        digits=digits,
    )
    return Chart(key, title, draw(items, title=title), caption, table)


def _value(value: float | None) -> float | None:
    return None if value is None else float(value)
