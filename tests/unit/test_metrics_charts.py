"""The Stabsstelle's charts: each with a table of the same values, weeks from the first data."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from einvoice.domain.pilot_exit import ExitThresholds
from einvoice.domain.pilot_metrics import InvoiceRecord, compute
from einvoice.presentation.chart_table import Chart
from einvoice.services.metrics import scope_for
from einvoice.services.metrics_charts import make_charts, shown_weeks, week_axis

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 24)  # Tuesday of 2026-W48
SCOPE = scope_for(TODAY, 52, BERLIN)  # 2025-W49 .. 2026-W48


def record(n: int, day: date, **kw: object) -> InvoiceRecord:
    received = datetime(day.year, day.month, day.day, 10, tzinfo=BERLIN).astimezone(UTC)
    fields: dict[str, object] = {
        "document_id": n,
        "invoice_id": 1000 + n,
        "received_at": received,
        "channel": "upload" if n % 3 else "mail",
        "format": "XRechnung UBL" if n % 2 else "XRechnung CII",
        "accepted": n % 5 != 0,
        "rejection_rules": () if n % 5 else (("BR-DE-15", "BR-CO-10")[n % 2],),
        "department": "amt-10" if n % 2 else "amt-12",
        "ordered_at": received + timedelta(days=n % 7) if n % 4 else None,
    }
    fields.update(kw)
    return InvoiceRecord(**fields)  # type: ignore[arg-type]


def ten_weeks() -> list[InvoiceRecord]:
    """A pilot that began on Monday of 2026-W39 (21.09.2026), a few invoices each working day."""
    first = date(2026, 9, 21)
    days = [first + timedelta(days=d) for d in range((TODAY - first).days + 1)]
    workdays = [d for d in days if d.weekday() < 5]
    return [record(n, day) for n, day in enumerate(workdays, start=1)]


def drawn_points(chart: Chart) -> int:
    """Values the SVG draws: bar parts and points carry a <title>, horizontal bars a label."""
    svg = chart.svg
    parts = re.findall(r"<(?:rect|circle)[^>]*><title>[^<]*: [^<]*</title>", svg)
    bars = re.findall(r"<title>[^<]*</title></text><rect", svg)
    return len(parts) + len(bars)


def table_points(chart: Chart) -> int:
    """Values of the table the SVG draws a mark for (a stacked bar draws no part for 0)."""
    stacked = "<circle" not in chart.svg and "</title></text><rect" not in chart.svg
    return sum(
        v is not None and not (stacked and v == 0) for _, values in chart.table.rows for v in values
    )


def test_weekly_charts_show_the_weeks_from_the_first_with_data() -> None:
    # Tried on the demo: 52 weeks drawn for 10 weeks of data, about 80 % of the chart empty.
    m = compute(ten_weeks(), SCOPE)
    assert len(m.weeks) == 52
    board = make_charts(m, ExitThresholds())
    for chart in (
        board.weekly_volume,
        board.weekly_formats,
        board.accepted_share,
        board.time_to_order,
    ):
        rows = [label for label, _ in chart.table.rows]
        assert len(rows) == 10, rows
        assert rows[0] == "KW 39/2026"
        assert rows[-1] == "KW 48/2026 (laufend, bis 24.11.)"
        assert "KW 38" not in chart.svg and "KW 49" not in chart.svg
        assert "KW 48 lfd." in chart.svg  # the running week is marked on the axis
        assert chart.caption == (
            "Gezeigt: KW 39/2026 bis KW 48/2026: ab der ersten Woche mit Daten "
            "(vorher keine Eingänge); KW 48/2026 läuft noch (Stand 24.11.2026)."
        )


def test_each_chart_has_a_table_with_the_values_it_draws() -> None:
    m = compute(ten_weeks(), SCOPE)
    board = make_charts(m, ExitThresholds())
    assert len(board.all()) == 7
    for chart in board.all():
        assert chart.table.points > 0, chart.key
        assert drawn_points(chart) == table_points(chart), chart.key
    volume = board.weekly_volume.table
    assert volume.columns == ("Upload-Portal (Rechnungen)", "E-Mail (Rechnungen)")
    assert sum(v or 0 for _, values in volume.rows for v in values) == m.received
    assert [label for label, _ in board.offices.table.rows] == [o.name for o in m.offices]
    share = board.accepted_share.table
    first = m.week("2026-W39")
    assert first is not None and first.share_accepted is not None
    assert share.rows[0][1] == (float(first.share_accepted) * 100,)
    assert share.digits == 1 and share.columns == ("Annahmequote je Woche (%)",)


def test_a_full_window_and_no_data_say_so() -> None:
    full = compute([record(1, SCOPE.start), record(2, TODAY)], SCOPE)
    assert len(shown_weeks(full)) == 52
    assert week_axis(full).caption.startswith(
        "Gezeigt: KW 49/2025 bis KW 48/2026: die letzten 52 Kalenderwochen;"
    )
    empty = compute([], SCOPE)
    axis = week_axis(empty)
    assert [w.week for w in axis.weeks] == ["2026-W48"]
    assert axis.caption == (
        "Gezeigt: KW 48/2026: noch keine Daten; KW 48/2026 läuft noch (Stand 24.11.2026)."
    )
    assert make_charts(empty, ExitThresholds()).formats.table.rows == ()


def test_a_long_legend_wraps_inside_the_chart() -> None:
    # Seen with a year of data: the weekly chart by format drew its seventh legend entry
    # ('nicht lesbar') beyond the right edge, so it could not be seen.
    from einvoice.presentation import charts

    formats = [
        "XRechnung UBL",
        "XRechnung CII",
        "ZUGFeRD EN 16931",
        "ZUGFeRD BASIC",
        "ZUGFeRD XRechnung",
        "ZUGFeRD EXTENDED",
        "nicht lesbar",
    ]
    svg = charts.stacked_bars(
        ["KW 47", "KW 48"], [charts.Series(f, [1, 2]) for f in formats], title="Format"
    )
    legend = re.findall(r"<text x='([\d.]+)' y='([\d.]+)' font-size='11'[^>]*>([^<]*)</text>", svg)
    assert [label for _, _, label in legend] == formats
    for x, _, label in legend:
        assert float(x) + 6.6 * len(label) <= 720, (label, x)  # 6.6: a character at 11 px
    assert {y for _, y, _ in legend} == {"30.0", "45.0"}  # two lines
    box = re.search(r"viewBox='0 0 720 ([\d.]+)'", svg)
    assert box and float(box.group(1)) == 265  # the plot keeps its height below the 2nd line
    grid = [float(y) for y in re.findall(r"<line x1='48.0' y1='([\d.]+)'", svg)]
    assert min(grid) >= 55, grid  # the plot begins below the legend
