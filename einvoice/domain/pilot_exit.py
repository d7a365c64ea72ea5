"""Exit criteria of the E-Rechnung test phase: thresholds, traffic lights, trend (pure).

The criteria look at the last ``weeks`` *complete* ISO weeks (the running week
is left out) and compare them with the ``weeks`` before for the trend:

* **Accepted share**: grün when every one of the weeks reaches the threshold
  (e.g. >= 95 % in 4 consecutive weeks); gelb when not, but the share over the
  whole window is at most ``share_margin`` below it; rot otherwise (also when a
  week has no receipts at all).
* **90th percentile time to order** (Anordnungen in the window): grün at or
  below ``max_p90_days``; gelb up to ``p90_margin`` (relative) above; rot beyond
  or without any Anordnung.
* **Offices live** (optional, ``min_offices_live`` > 0): grün when reached,
  gelb from half of it, rot below.
* **Overdue invoices** (optional, ``max_overdue`` set): grün at or below, gelb
  up to twice, rot beyond.

The overall light is the worst of all criteria. The trend compares the window
with the one before: ``besser``, ``schlechter``, ``gleich`` or ``unbekannt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from einvoice.domain.pilot_metrics import PilotMetrics, WeekFigures, percentile, week_range


class Light(StrEnum):
    GRUEN = "grün"
    GELB = "gelb"
    ROT = "rot"

    @property
    def rank(self) -> int:
        return {Light.GRUEN: 0, Light.GELB: 1, Light.ROT: 2}[self]


class Trend(StrEnum):
    BESSER = "besser"
    SCHLECHTER = "schlechter"
    GLEICH = "gleich"
    UNBEKANNT = "unbekannt"

    @property
    def arrow(self) -> str:
        return {
            Trend.BESSER: "↗",
            Trend.SCHLECHTER: "↘",
            Trend.GLEICH: "→",
            Trend.UNBEKANNT: "–",
        }[self]


@dataclass(frozen=True, slots=True)
class ExitThresholds:
    min_accepted_share: Decimal = Decimal("0.95")
    weeks: int = 4  # consecutive complete weeks
    share_margin: Decimal = Decimal("0.03")  # gelb band below the share threshold
    max_p90_days: Decimal = Decimal(10)
    p90_margin: Decimal = Decimal("0.2")  # gelb band above the p90 threshold (relative)
    min_offices_live: int = 0  # 0: not a criterion
    max_overdue: int | None = None  # None: not a criterion

    def __post_init__(self) -> None:
        if self.weeks < 1:
            raise ValueError("weeks must be at least 1")
        if not Decimal(0) <= self.min_accepted_share <= Decimal(1):
            raise ValueError("min_accepted_share must be between 0 and 1")


@dataclass(frozen=True, slots=True)
class CriterionStatus:
    key: str  # accepted_share, p90_days, offices_live, overdue
    label: str
    threshold: str  # as shown, German
    actual: str  # as shown, German
    light: Light
    trend: Trend
    reason: str  # German: why this light
    trace: str  # trace key of the records behind it


@dataclass(frozen=True, slots=True)
class ExitStatus:
    weeks: tuple[str, ...]  # the window (complete weeks)
    criteria: tuple[CriterionStatus, ...]

    @property
    def light(self) -> Light:
        return max(
            (c.light for c in self.criteria), key=lambda light: light.rank, default=Light.ROT
        )

    @property
    def window_de(self) -> str:
        """The weeks the criteria look at (``KW 45/2026 bis KW 48/2026``)."""
        return window_de(self.weeks)

    @property
    def met(self) -> bool:
        return bool(self.criteria) and all(c.light is Light.GRUEN for c in self.criteria)


def percent(value: Decimal | None, digits: int = 1) -> str:
    """A share as German percent, rounded down: 94,97 % shows as 94,9 %, never as 95,0 %."""
    if value is None:
        return "–"
    shown = (Decimal(value) * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_FLOOR)
    return f"{shown:.{digits}f} %".replace(".", ",")


def window_de(weeks: Sequence[str]) -> str:
    """ISO weeks as readers name them: ``KW 45/2026 bis KW 48/2026`` (one: ``KW 48/2026``)."""
    if not weeks:
        return "noch keine vollständige Woche"

    def named(week: str) -> str:
        return f"KW {week[-2:]}/{week[:4]}"

    first, last = named(weeks[0]), named(weeks[-1])
    return first if first == last else f"{first} bis {last}"


def days_text(value: float | Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{float(value):.1f} Tage".replace(".", ",")


def _trend(
    current: Decimal | float | None, previous: Decimal | float | None, higher_is_better: bool
) -> Trend:
    if current is None or previous is None:
        return Trend.UNBEKANNT
    delta = Decimal(str(current)) - Decimal(str(previous))
    if abs(delta) < Decimal("0.001"):
        return Trend.GLEICH
    return Trend.BESSER if (delta > 0) == higher_is_better else Trend.SCHLECHTER


def _share(weeks: list[WeekFigures]) -> Decimal | None:
    received = sum(w.received for w in weeks)
    accepted = sum(w.accepted for w in weeks)
    return None if received == 0 else Decimal(accepted) / Decimal(received)


def _accepted_share(
    metrics: PilotMetrics,
    window: list[WeekFigures],
    before: list[WeekFigures],
    t: ExitThresholds,
) -> CriterionStatus:
    threshold = t.min_accepted_share
    pooled = _share(window)
    meeting = [w for w in window if w.share_accepted is not None and w.share_accepted >= threshold]
    weekly = ", ".join(f"KW {w.week[-2:]}: {percent(w.share_accepted)}" for w in window)
    if len(window) < t.weeks:
        light = Light.ROT
        full = "vollständige Woche" if len(window) == 1 else "vollständige Wochen"
        reason = f"erst {len(window)} {full} mit Daten, {t.weeks} nötig"
    elif pooled is None:
        light = Light.ROT
        reason = f"keine Rechnungen in den letzten {t.weeks} Wochen"
    elif len(meeting) == len(window):
        light = Light.GRUEN
        reason = f"in allen {t.weeks} Wochen erreicht ({weekly})"
    elif pooled is not None and pooled >= threshold - t.share_margin:
        light = Light.GELB
        reason = f"in {len(meeting)} von {t.weeks} Wochen erreicht ({weekly})"
    else:
        light = Light.ROT
        reason = f"in {len(meeting)} von {t.weeks} Wochen erreicht ({weekly})"
    return CriterionStatus(
        key="accepted_share",
        label="Annahmequote",
        threshold=f"≥ {percent(threshold)} in {t.weeks} aufeinanderfolgenden Wochen",
        actual=percent(pooled),
        light=light,
        trend=_trend(pooled, _share(before), higher_is_better=True),
        reason=reason,
        trace="rejected" + (f"@{week_range(window[0].week, window[-1].week)}" if window else ""),
    )


def _pooled_p90(weeks: list[WeekFigures], durations: dict[str, tuple[float, ...]]) -> float | None:
    return percentile([d for w in weeks for d in durations.get(w.week, ())], 0.9)


def _p90(
    window: list[WeekFigures],
    before: list[WeekFigures],
    durations: dict[str, tuple[float, ...]],
    t: ExitThresholds,
) -> CriterionStatus:
    current = _pooled_p90(window, durations)
    ordered = sum(len(durations.get(w.week, [])) for w in window)
    limit = t.max_p90_days
    span = window_de([w.week for w in window])
    if not window:
        light, reason = Light.ROT, "noch keine vollständige Woche mit Daten"
    elif current is None:
        light, reason = Light.ROT, f"keine Anordnungen in {span}"
    elif Decimal(str(current)) <= limit:
        light, reason = Light.GRUEN, f"{ordered} Anordnungen in {span}"
    elif Decimal(str(current)) <= limit * (1 + t.p90_margin):
        light, reason = Light.GELB, f"knapp über der Grenze ({ordered} Anordnungen in {span})"
    else:
        light, reason = Light.ROT, f"deutlich über der Grenze ({ordered} Anordnungen in {span})"
    return CriterionStatus(
        key="p90_days",
        label="Durchlaufzeit bis zur Anordnung (90. Perzentil)",
        threshold=f"≤ {days_text(limit)}",
        actual=days_text(current),
        light=light,
        trend=_trend(current, _pooled_p90(before, durations), higher_is_better=False),
        reason=reason,
        trace="ordered" + (f"@{week_range(window[0].week, window[-1].week)}" if window else ""),
    )


def evaluate(metrics: PilotMetrics, thresholds: ExitThresholds | None = None) -> ExitStatus:
    """The exit criteria of the test phase for ``metrics`` (see the module text)."""
    t = thresholds or ExitThresholds()
    complete = set(metrics.scope.complete_weeks())
    weeks = [w for w in metrics.weeks if w.week in complete]
    window = weeks[-t.weeks :]
    before = weeks[-2 * t.weeks : -t.weeks] if len(weeks) > t.weeks else []
    durations = metrics.order_days
    criteria = [_accepted_share(metrics, window, before, t), _p90(window, before, durations, t)]
    if t.min_offices_live > 0:
        live = metrics.offices_live
        light = (
            Light.GRUEN
            if live >= t.min_offices_live
            else Light.GELB
            if live * 2 >= t.min_offices_live
            else Light.ROT
        )
        criteria.append(
            CriterionStatus(
                "offices_live",
                "Ämter im Echtbetrieb",
                f"≥ {t.min_offices_live}",
                str(live),
                light,
                Trend.UNBEKANNT,
                f"{live} Ämter erhalten Rechnungen über die Plattform",
                "received",
            )
        )
    if t.max_overdue is not None:
        overdue = metrics.overdue
        light = (
            Light.GRUEN
            if overdue <= t.max_overdue
            else Light.GELB
            if overdue <= 2 * t.max_overdue
            else Light.ROT
        )
        criteria.append(
            CriterionStatus(
                "overdue",
                "Überfällige Rechnungen",
                f"≤ {t.max_overdue}",
                str(overdue),
                light,
                Trend.UNBEKANNT,
                f"{overdue} offene Rechnungen nach dem Fälligkeitstag",
                "overdue",
            )
        )
    return ExitStatus(tuple(w.week for w in window), tuple(criteria))
