"""The Stabsstelle's charts, each with its numbers as a table, over the weeks with data.

The metrics cover the last 52 weeks; a pilot ten weeks old would draw 42 empty
weeks. The weekly charts therefore start at the first week with data (a receipt
or an Anordnung) and end with the current week, which is marked as running;
the caption says which weeks are shown and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from einvoice.domain.channels import channel_label
from einvoice.domain.pilot_exit import ExitThresholds, days_text, percent
from einvoice.domain.pilot_metrics import PilotMetrics, WeekFigures
from einvoice.presentation import charts
from einvoice.presentation.chart_table import Chart, items_chart, series_chart


@dataclass(frozen=True, slots=True)
class Charts:
    weekly_volume: Chart  # receipts per week by channel
    weekly_formats: Chart  # receipts per week by format
    accepted_share: Chart  # weekly share with the threshold
    time_to_order: Chart  # weekly median and p90 with the threshold
    formats: Chart
    rejection_rules: Chart
    offices: Chart

    def all(self) -> tuple[Chart, ...]:
        """In the order the dashboard shows them."""
        return (
            self.weekly_volume,
            self.weekly_formats,
            self.accepted_share,
            self.time_to_order,
            self.formats,
            self.rejection_rules,
            self.offices,
        )


def shown_weeks(m: PilotMetrics) -> tuple[WeekFigures, ...]:
    """The weeks from the first with data (receipt or Anordnung) to the current week.

    Without any data only the current week (the last of the scope) is left.
    """
    first = next((i for i, w in enumerate(m.weeks) if w.received or w.ordered), None)
    if first is None:
        return m.weeks[-1:]
    return m.weeks[first:]


def week_de(week: str) -> str:
    """``2026-W45`` -> ``KW 45/2026``."""
    return f"KW {week[-2:]}/{week[:4]}"


@dataclass(frozen=True, slots=True)
class WeekAxis:
    """The weeks a weekly chart shows: axis labels, table rows and the caption."""

    weeks: tuple[WeekFigures, ...]
    axis: tuple[str, ...]  # "KW 45", the running week "KW 49 lfd."
    rows: tuple[str, ...]  # "KW 45/2026", "KW 49/2026 (laufend, bis 02.12.)"
    caption: str
    running: str  # added to the chart titles, "" when the last week is complete


def week_axis(m: PilotMetrics) -> WeekAxis:
    weeks = shown_weeks(m)
    complete = set(m.scope.complete_weeks())
    current = weeks[-1].week if weeks and weeks[-1].week not in complete else None
    until = f"{m.scope.today:%d.%m.}"
    axis = tuple(f"KW {w.week[-2:]}" + (" lfd." if w.week == current else "") for w in weeks)
    rows = tuple(
        week_de(w.week) + (f" (laufend, bis {until})" if w.week == current else "") for w in weeks
    )
    if not weeks:
        span = "keine Wochen"
    elif not any(w.received or w.ordered for w in weeks):
        span = f"{week_de(weeks[-1].week)}: noch keine Daten"
    else:
        first, last = week_de(weeks[0].week), week_de(weeks[-1].week)
        span = first if first == last else f"{first} bis {last}"
        if len(weeks) == len(m.weeks):
            span += f": die letzten {len(weeks)} Kalenderwochen"
        else:
            span += ": ab der ersten Woche mit Daten (vorher keine Eingänge)"
    if current is not None:
        span += f"; {week_de(current)} läuft noch (Stand {m.scope.today:%d.%m.%Y})"
    running = f" (laufende KW {current[-2:]} bis {until})" if current else ""
    return WeekAxis(weeks, axis, rows, f"Gezeigt: {span}.", running)


def make_charts(m: PilotMetrics, t: ExitThresholds) -> Charts:
    axis = week_axis(m)
    weeks = axis.weeks
    weekly = partial(
        series_chart,
        categories=axis.axis,
        row_labels=axis.rows,
        caption=axis.caption,
        row_header="Kalenderwoche",
    )
    whole = partial(items_chart, caption=_whole(m))
    return Charts(
        weekly_volume=weekly(
            "weekly-volume",
            charts.stacked_bars,
            series=[
                charts.Series(channel_label(c.key), [w.by_channel.get(c.key, 0) for w in weeks])
                for c in m.by_channel
            ],
            title="Eingang je Kalenderwoche nach Kanal" + axis.running,
            unit="Rechnungen",
        ),
        weekly_formats=weekly(
            "weekly-formats",
            charts.stacked_bars,
            series=[
                charts.Series(c.key, [w.by_format.get(c.key, 0) for w in weeks])
                for c in m.by_format
            ],
            title="Eingang je Kalenderwoche nach Format" + axis.running,
            unit="Rechnungen",
        ),
        accepted_share=weekly(
            "accepted-share",
            _share_drawing(weeks, t),
            series=[_share_series(weeks)],
            title="Annahmequote je Kalenderwoche" + axis.running,
            unit="%",
            digits=1,
        ),
        time_to_order=weekly(
            "time-to-order",
            partial(
                charts.line_chart,
                threshold=float(t.max_p90_days),
                threshold_label=f"Grenze 90. Perzentil: {days_text(t.max_p90_days)}",
                value_text=lambda v: charts.number(v, 1),
            ),
            series=[
                charts.Series("Median", [w.median_days for w in weeks], charts.PALETTE[0]),
                charts.Series("90. Perzentil", [w.p90_days for w in weeks], charts.PALETTE[1]),
            ],
            title="Tage vom Eingang bis zur Anordnung (Woche der Anordnung)" + axis.running,
            unit="Tage",
            digits=1,
        ),
        formats=whole(
            "formats",
            partial(charts.horizontal_bars, color=charts.PALETTE[4]),
            [(c.label, c.count) for c in m.by_format],
            title="Formate (gesamter Zeitraum)",
            row_header="Format",
            column="Rechnungen",
        ),
        rejection_rules=whole(
            "rejection-rules",
            partial(charts.horizontal_bars, color=charts.PALETTE[3]),
            [(c.label, c.count) for c in m.top_rules],
            title="Häufigste Ablehnungsgründe (Regeln)",
            row_header="Regel",
            column="Ablehnungen",
        ),
        offices=whole(
            "offices",
            partial(charts.horizontal_bars, color=charts.PALETTE[0], label_width=260),
            [(o.name, o.invoices) for o in m.offices],
            title="Rechnungen je Amt",
            row_header="Amt",
            column="Rechnungen",
        ),
    )


def _whole(m: PilotMetrics) -> str:
    return f"Gezeigt: gesamter Zeitraum {m.scope.start:%d.%m.%Y} bis {m.scope.today:%d.%m.%Y}."


def _share_series(weeks: Sequence[WeekFigures]) -> charts.Series:
    shares = [
        float(w.share_accepted) * 100 if w.share_accepted is not None else None for w in weeks
    ]
    return charts.Series("Annahmequote je Woche", shares, charts.PALETTE[2])


def _share_drawing(weeks: Sequence[WeekFigures], t: ExitThresholds) -> partial[str]:
    """The line chart of the share, its axis from a round value below the lowest week to 100."""
    target = float(t.min_accepted_share) * 100
    shares = [v for v in _share_series(weeks).values if v is not None]
    low = min([*shares, target])
    step = next((s for s in (1.0, 2.0, 2.5, 5.0, 10.0) if 100 - 4 * s <= low - 1), 25.0)
    return partial(
        charts.line_chart,
        y_min=100 - 4 * step,
        y_max=100.0,
        threshold=target,
        threshold_label=f"Ziel {percent(t.min_accepted_share, 0)}",
        value_text=lambda v: f"{charts.number(v, 1 if step < 2 else 0)} %",
    )
