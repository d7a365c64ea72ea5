"""Pilot metrics, exit criteria and charts over hand-made records (pure, no database)."""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from einvoice.domain.pilot_exit import ExitThresholds, Light, Trend, evaluate
from einvoice.domain.pilot_metrics import (
    InvoiceRecord,
    Scope,
    SkontoOffer,
    compute,
    invoice_format,
    parse_trace_key,
    percentile,
    select,
    skonto_outcome,
    weeks_between,
)
from einvoice.presentation import charts

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 24)  # Tuesday of 2026-W48
D = Decimal


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def record(n: int, received: datetime, **kw: object) -> InvoiceRecord:
    fields: dict[str, object] = {
        "document_id": n,
        "invoice_id": 1000 + n,
        "received_at": received,
        "channel": "mail",
        "format": "XRechnung UBL",
        "accepted": True,
    }
    fields.update(kw)
    return InvoiceRecord(**fields)  # type: ignore[arg-type]


SCOPE = Scope(date(2026, 10, 26), TODAY, BERLIN)  # weeks W44 .. W48


# --- formats, weeks, percentiles ----------------------------------------------------------


@pytest.mark.parametrize(
    ("syntax", "scenario", "profile", "pdf", "expected"),
    [
        ("ubl-invoice", "standard", "XRechnung 3.0", False, "XRechnung UBL"),
        ("ubl-creditnote", "standard", "XRechnung 3.0", False, "XRechnung UBL"),
        ("cii", "standard", "XRechnung 3.0", False, "XRechnung CII"),
        ("cii", "en16931", "EN 16931", True, "ZUGFeRD EN 16931"),
        ("cii", "factur-x-basicwl", "BASIC WL", True, "ZUGFeRD BASIC WL"),
        ("cii", "standard", "XRechnung 3.0", True, "ZUGFeRD XRechnung"),
        ("cii", "none", "urn:odd", True, "ZUGFeRD urn:odd"),
        (None, None, None, True, "nicht lesbar"),
    ],
)
def test_invoice_format(
    syntax: str | None, scenario: str | None, profile: str | None, pdf: bool, expected: str
) -> None:
    assert invoice_format(syntax, scenario, profile, pdf) == expected


def test_percentile_matches_the_inclusive_method() -> None:
    values = [0.5, 9.0, 2.25, 7.0, 3.0, 11.5, 4.0]
    assert percentile(values, 0.5) == statistics.median(values)
    assert percentile(values, 0.9) == pytest.approx(
        statistics.quantiles(values, n=10, method="inclusive")[8]
    )
    assert percentile([], 0.9) is None
    assert percentile([4.0], 0.9) == 4.0


def test_weeks_are_iso_weeks_in_local_time() -> None:
    assert weeks_between(date(2026, 12, 28), date(2027, 1, 4)) == ("2026-W53", "2027-W01")
    assert SCOPE.weeks() == ("2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48")
    assert SCOPE.complete_weeks()[-1] == "2026-W47"
    # Monday 00:30 in Berlin is still Sunday in UTC: it belongs to the Monday's week
    monday_night = at(date(2026, 11, 16), 0, 30)
    assert monday_night.date() == date(2026, 11, 15)
    m = compute([record(1, monday_night)], SCOPE)
    assert m.week("2026-W47") is not None and m.week("2026-W47").received == 1  # type: ignore[union-attr]
    # before the scope's first local day: not counted
    assert compute([record(2, at(date(2026, 10, 25), 23, 59))], SCOPE).received == 0


# --- the figures --------------------------------------------------------------------------


def _sample() -> list[InvoiceRecord]:
    w45 = date(2026, 11, 2)
    w46 = date(2026, 11, 9)
    return [
        record(
            1,
            at(w45),
            channel="mail",
            seller="S1",
            seller_name="Stadtwerke",
            department="amt-65",
            amount=D("100.00"),
            status="exported",
            due_date=w45 + timedelta(days=30),
            ordered_at=at(w45 + timedelta(days=2)),
        ),
        record(
            2,
            at(w45, 11),
            channel="upload",
            format="ZUGFeRD EN 16931",
            seller="S2",
            department="amt-65",
            amount=D("50.00"),
            status="routed",
            due_date=date(2026, 11, 20),  # overdue today
            skonto=(SkontoOffer(date(2026, 11, 12), D("1.00")),),
        ),  # lost
        record(
            3, at(w45, 12), accepted=False, rejection_rules=("BR-DE-15", "BR-CO-15"), seller="S1"
        ),
        record(
            4,
            at(w46),
            accepted=False,
            rejection_rules=("BR-DE-15",),
            seller="S3",
            format="XRechnung CII",
        ),
        record(
            5,
            at(w46, 9),
            invoice_id=None,
            accepted=False,
            format="nicht lesbar",
            rejection_rules=("FX-PDF-NO-XML",),
        ),
        record(
            6,
            at(w46, 14),
            seller="S2",
            department="amt-20",
            amount=D("1000.00"),
            status="angeordnet",
            due_date=date(2026, 11, 12),
            ordered_at=at(date(2026, 11, 13)),  # late
            skonto=(
                SkontoOffer(date(2026, 11, 19), D("20.00")),
                SkontoOffer(date(2026, 11, 12), D("30.00")),
            ),
        ),
        record(
            7,
            at(w46, 15),
            department="rechnungseingang",
            status="sachlich_richtig",
            due_date=date(2026, 12, 30),
            skonto=(SkontoOffer(date(2026, 11, 30), D("5.00")),),
        ),  # still open
        record(
            8,
            at(w46, 16),
            department="amt-20",
            status="rejected",
            due_date=date(2026, 11, 1),
            skonto=(SkontoOffer(date(2026, 11, 1), D("9.00")),),
        ),  # no payment: ignored
    ]


def test_counts_by_week_channel_format() -> None:
    m = compute(
        _sample(),
        SCOPE,
        office_names={"amt-20": "Kämmerei"},
        not_offices=frozenset({"rechnungseingang"}),
    )
    assert (m.received, m.accepted, m.rejected) == (8, 5, 3)
    assert m.share_accepted == D(5) / D(8)
    w45, w46 = m.week("2026-W45"), m.week("2026-W46")
    assert w45 is not None and w46 is not None
    assert (w45.received, w45.accepted, w45.by_channel) == (3, 2, {"mail": 2, "upload": 1})
    assert w46.by_format == {"XRechnung CII": 1, "nicht lesbar": 1, "XRechnung UBL": 3}
    assert w46.share_accepted == D(3) / D(5)
    assert m.week("2026-W44").received == 0  # type: ignore[union-attr]
    assert [(c.key, c.count) for c in m.by_channel] == [("mail", 7), ("upload", 1)]
    assert [(c.key, c.count) for c in m.top_rules] == [
        ("BR-DE-15", 2),
        ("BR-CO-15", 1),
        ("FX-PDF-NO-XML", 1),
    ]
    assert m.suppliers == 3
    assert m.top_suppliers[0].label == "Stadtwerke" and m.top_suppliers[0].count == 2


def test_time_to_order_overdue_late_and_skonto() -> None:
    m = compute(_sample(), SCOPE)
    days = [2.0, (at(date(2026, 11, 13)) - at(date(2026, 11, 9), 14)).total_seconds() / 86400]
    assert m.ordered == 2
    assert m.median_days == pytest.approx(statistics.median(days))
    assert m.order_days == {"2026-W45": (2.0,), "2026-W46": (days[1],)}
    assert m.overdue == 1 and m.overdue_amount == D("50.00")
    assert m.ordered_late == 1
    # 6: ordered 13.11., offers 30 € (12.11.) and 20 € (19.11.): 20 taken, 10 lost
    # 2: open, its only offer expired: 1 lost; 7: open, offer until 30.11.: 5 still open
    assert (m.skonto_taken, m.skonto_lost, m.skonto_open) == (D("20.00"), D("11.00"), D("5.00"))
    assert m.skonto_invoices == 3


def test_offices_exclude_the_central_inbox() -> None:
    m = compute(
        _sample(),
        SCOPE,
        office_names={"amt-20": "Kämmerei"},
        not_offices=frozenset({"rechnungseingang"}),
    )
    assert [(o.key, o.name, o.invoices, o.amount) for o in m.offices] == [
        ("amt-20", "Kämmerei", 2, D("1000.00")),
        ("amt-65", "amt-65", 2, D("150.00")),
    ]
    assert m.offices[0].first_received == date(2026, 11, 9)
    assert m.offices[0].recent == 2


def test_skonto_outcome_of_a_paid_invoice_in_time() -> None:
    r = record(
        1,
        at(date(2026, 11, 2)),
        status="exported",
        ordered_at=at(date(2026, 11, 5)),
        skonto=(SkontoOffer(date(2026, 11, 5), D("3.00")),),
    )
    outcome = skonto_outcome(r, SCOPE)
    assert outcome is not None and (outcome.taken, outcome.lost) == (D("3.00"), D(0))


# --- tracing ------------------------------------------------------------------------------


def test_every_figure_traces_to_exactly_its_records() -> None:
    records = _sample()
    m = compute(records, SCOPE)

    def ids(key: str) -> set[int]:
        return {r.document_id for r in select(records, key, SCOPE)}

    assert len(ids("received")) == m.received
    assert len(ids("rejected")) == m.rejected
    assert ids("rule:BR-DE-15") == {3, 4}
    assert ids("format:nicht lesbar") == {5}
    assert ids("overdue") == {2}
    assert ids("late") == {6}
    assert ids("skonto_lost") == {2, 6}
    assert ids("skonto_taken") == {6}
    assert ids("skonto_open") == {7}
    assert ids("supplier:S2") == {2, 6}
    assert ids("ordered@2026-W46") == {6}
    assert ids("received@2026-W45..2026-W46") == set(range(1, 9))
    assert ids("channel:upload@2026-W45") == {2}
    for week in m.weeks:
        assert len(ids(f"received@{week.week}")) == week.received
        assert len(ids(f"accepted@{week.week}")) == week.accepted
        assert len(ids(f"ordered@{week.week}")) == week.ordered
    for count in (*m.by_format, *m.by_channel, *m.top_rules, *m.top_suppliers):
        assert len(ids(count.trace)) == count.count
    for office in m.offices:
        assert len(ids(office.trace)) == office.invoices
    with pytest.raises(KeyError):
        select(records, "nonsense", SCOPE)


def test_trace_keys_parse_weeks_and_keys_with_colons() -> None:
    assert parse_trace_key("supplier:BT-31:DE123") == ("supplier", "BT-31:DE123", None)
    assert parse_trace_key("ordered@2026-W10..2026-W13") == (
        "ordered",
        "",
        ("2026-W10", "2026-W13"),
    )
    assert parse_trace_key("supplier:a@b") == ("supplier", "a@b", None)


# --- exit criteria ------------------------------------------------------------------------


def _weeks_of(shares: list[tuple[int, int]], p90_days: float = 5.0) -> list[InvoiceRecord]:
    """Receipts in W44..W47 with (accepted, received) per week; orders after p90_days."""
    records = []
    n = 0
    for i, (ok, total) in enumerate(shares):
        monday = date(2026, 10, 26) + timedelta(weeks=i)
        for k in range(total):
            n += 1
            received = at(monday, 8)
            ordered = received + timedelta(days=p90_days) if k < ok else None
            records.append(
                record(
                    n,
                    received,
                    accepted=k < ok,
                    ordered_at=ordered,
                    rejection_rules=() if k < ok else ("BR-DE-15",),
                )
            )
    return records


def test_exit_criteria_green_yellow_red() -> None:
    t = ExitThresholds()  # >= 95 % in 4 weeks, p90 <= 10 days
    green = evaluate(compute(_weeks_of([(19, 20), (20, 20), (96, 100), (95, 100)]), SCOPE), t)
    assert green.light is Light.GRUEN and green.met
    assert green.weeks == ("2026-W44", "2026-W45", "2026-W46", "2026-W47")
    yellow = evaluate(compute(_weeks_of([(19, 20), (18, 20), (96, 100), (95, 100)]), SCOPE), t)
    share = yellow.criteria[0]
    assert share.light is Light.GELB and "3 von 4 Wochen" in share.reason
    # weeks as German readers write them, as in the line above the table ("KW 45/2026")
    assert "KW 45: 90,0 %" in share.reason and "W45" not in share.reason, share.reason
    red = evaluate(compute(_weeks_of([(15, 20), (15, 20), (80, 100), (80, 100)]), SCOPE), t)
    assert red.criteria[0].light is Light.ROT and red.light is Light.ROT
    slow = evaluate(compute(_weeks_of([(20, 20)] * 4, p90_days=11.5), SCOPE), t)
    assert slow.criteria[1].light is Light.GELB  # within 20 % above 10 days
    slower = evaluate(compute(_weeks_of([(20, 20)] * 4, p90_days=13), SCOPE), t)
    assert slower.criteria[1].light is Light.ROT


def test_exit_criteria_need_enough_weeks_and_show_the_trend() -> None:
    scope = Scope(date(2026, 11, 9), TODAY, BERLIN)  # only W46, W47 complete
    few = evaluate(compute(_weeks_of([(0, 0), (0, 0), (20, 20), (20, 20)]), scope))
    assert few.criteria[0].light is Light.ROT and "erst 2" in few.criteria[0].reason
    long_scope = Scope(date(2026, 9, 28), TODAY, BERLIN)  # W40 .. W48
    records = _weeks_of([(20, 20)] * 4)
    earlier = [
        r._replace(
            document_id=r.document_id + 500,
            received_at=r.received_at - timedelta(weeks=4),
            accepted=r.document_id % 5 != 0,
        )
        for r in records
    ]
    status = evaluate(compute(records + earlier, long_scope))
    assert status.criteria[0].trend is Trend.BESSER


def test_optional_criteria() -> None:
    t = ExitThresholds(min_offices_live=4, max_overdue=0)
    status = evaluate(compute(_sample(), SCOPE), t)
    keys = {c.key: c for c in status.criteria}
    assert keys["offices_live"].light is Light.GELB  # 3 of 4 (incl. the inbox: no names given)
    assert keys["overdue"].light is Light.ROT  # 1 overdue, none allowed (twice 0 is 0)
    lenient = evaluate(compute(_sample(), SCOPE), ExitThresholds(max_overdue=1))
    assert lenient.criteria[-1].light is Light.GRUEN


# --- charts -------------------------------------------------------------------------------


def test_charts_are_valid_svg_and_escape_text() -> None:
    svgs = [
        charts.stacked_bars(["KW 1", "KW 2"], [charts.Series("<E-Mail>", [3, 4])], title="A&B"),
        charts.line_chart(
            ["KW 1", "KW 2"],
            [charts.Series("Quote", [90.0, None])],
            title="Q",
            threshold=95,
            threshold_label="Ziel",
        ),
        charts.horizontal_bars([("Regel <script>", 5)], title="R"),
        charts.horizontal_bars([], title="leer"),
        charts.capacity_bars([charts.CapacityRow("Amt 12", 120, 100)], title="K"),
        charts.stacked_hbars([("P", [10.0, 20.5])], ["a", "b"], title="S"),
    ]
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg") and root.get("role") == "img"
    assert "&lt;script&gt;" in svgs[2] and "<script>" not in svgs[2]
    assert "keine Daten" in svgs[3]
    assert "120 / 100 PT" in svgs[4]
    assert charts.number(1234567.891, 2) == "1.234.567,89"
