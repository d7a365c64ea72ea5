"""Retention of the Weberfassung's drafts: what must never be deleted, and what does go.

A draft is the supplier's own copy (personal data); the invoice the city received stays as
its original XML. Retention never deletes what is still needed: the correction of a
returned invoice that is still open, a submission that is not recorded, a draft changed
within its period.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from einvoice.domain.retention import (
    OPEN_CORRECTION,
    SUBMITTED,
    UNRECORDED,
    UNTOUCHED,
    DraftFacts,
    DraftPeriods,
    decide_draft,
)

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
times = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
periods = st.builds(
    DraftPeriods, st.integers(min_value=1, max_value=3650), st.integers(min_value=1, max_value=3650)
)


@st.composite
def facts(draw: st.DrawFn) -> DraftFacts:
    changed = draw(times)
    submitted = draw(st.booleans())
    submitted_at = draw(st.one_of(st.none(), times)) if submitted else None
    return DraftFacts(
        changed_at=changed,
        submitted=submitted,
        submitted_at=submitted_at,
        submission_recorded=draw(st.booleans()),
        corrects_open_invoice=draw(st.booleans()),
    )


@given(facts(), times, periods)
def test_the_correction_of_an_open_returned_invoice_is_never_deleted(
    draft: DraftFacts, now: datetime, kept: DraftPeriods
) -> None:
    needed = DraftFacts(
        draft.changed_at, draft.submitted, draft.submitted_at, draft.submission_recorded, True
    )
    decision = decide_draft(needed, now, kept)
    assert not decision.delete
    assert decision.kind == OPEN_CORRECTION and decision.needed and decision.until is None


@given(facts(), periods, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=1)))
def test_a_draft_changed_recently_is_never_deleted(
    draft: DraftFacts, kept: DraftPeriods, within: timedelta
) -> None:
    """Changed within the shorter of the two periods (or, clocks apart, in the future)."""
    shorter = timedelta(days=min(kept.untouched_days, kept.submitted_days))
    recent = DraftFacts(
        NOW - min(within * shorter.days, shorter),
        draft.submitted,
        draft.submitted_at,
        draft.submission_recorded,
        draft.corrects_open_invoice,
    )
    assert not decide_draft(recent, NOW, kept).delete
    future = DraftFacts(
        NOW + within, draft.submitted, draft.submitted_at, draft.submission_recorded, False
    )
    assert not decide_draft(future, NOW, kept).delete


@given(facts(), times, periods)
def test_a_submission_that_is_not_recorded_keeps_its_draft(
    draft: DraftFacts, now: datetime, kept: DraftPeriods
) -> None:
    unrecorded = DraftFacts(draft.changed_at, True, draft.submitted_at, False, False)
    decision = decide_draft(unrecorded, now, kept)
    assert not decision.delete and decision.kind == UNRECORDED and decision.needed


@given(facts(), times, periods)
def test_a_submitted_draft_stays_for_its_grace_time_after_submitting(
    draft: DraftFacts, now: datetime, kept: DraftPeriods
) -> None:
    submitted_at = draft.submitted_at or draft.changed_at
    recorded = DraftFacts(draft.changed_at, True, submitted_at, True, False)
    decision = decide_draft(recorded, now, kept)
    grace = timedelta(days=kept.submitted_days)
    assert decision.kind == SUBMITTED
    assert decision.delete == (now > max(draft.changed_at, submitted_at) + grace)
    if decision.delete:  # never before the grace time after submitting nor after a change
        assert now - submitted_at > grace and now - draft.changed_at > grace


@given(times, times, periods)
def test_an_unsubmitted_draft_goes_after_its_period_untouched(
    changed: datetime, now: datetime, kept: DraftPeriods
) -> None:
    draft = DraftFacts(changed, False, None, False, False)
    decision = decide_draft(draft, now, kept)
    assert decision.kind == UNTOUCHED
    assert decision.until == changed + timedelta(days=kept.untouched_days)
    assert decision.delete == (now - changed > timedelta(days=kept.untouched_days))


@given(
    facts(), times, periods, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9999))
)
def test_once_due_a_draft_stays_due(
    draft: DraftFacts, now: datetime, kept: DraftPeriods, later: timedelta
) -> None:
    """Deciding later never brings a deleted draft back (a run that was skipped is no harm)."""
    if decide_draft(draft, now, kept).delete:
        assert decide_draft(draft, now + later, kept).delete


@given(facts(), times, periods)
def test_the_decision_does_not_depend_on_the_time_zone(
    draft: DraftFacts, now: datetime, kept: DraftPeriods
) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    moved = DraftFacts(
        draft.changed_at.astimezone(berlin),
        draft.submitted,
        draft.submitted_at.astimezone(berlin) if draft.submitted_at else None,
        draft.submission_recorded,
        draft.corrects_open_invoice,
    )
    assert decide_draft(moved, now.astimezone(berlin), kept).delete == (
        decide_draft(draft, now, kept).delete
    )


def test_the_boundaries_and_the_german_reasons() -> None:
    kept = DraftPeriods()
    assert (kept.untouched_days, kept.submitted_days) == (180, 30)
    changed = NOW - timedelta(days=180)
    at_the_end = decide_draft(DraftFacts(changed, False, None, False, False), NOW, kept)
    assert not at_the_end.delete and at_the_end.reason_de == "in den letzten 180 Tagen geändert"
    later = decide_draft(
        DraftFacts(changed, False, None, False, False), NOW + timedelta(seconds=1), kept
    )
    assert later.delete and later.reason_de == "seit mehr als 180 Tagen nicht geändert"
    submitted = NOW - timedelta(days=31)
    gone = decide_draft(DraftFacts(submitted, True, submitted, True, False), NOW, kept)
    assert gone.delete and gone.reason_de == "eingereicht vor mehr als 30 Tagen"
    one = decide_draft(DraftFacts(submitted, True, submitted, True, False), NOW, DraftPeriods(1, 1))
    assert one.reason_de == "eingereicht vor mehr als 1 Tag"
    needed = decide_draft(
        DraftFacts(NOW - timedelta(days=999), False, None, False, True), NOW, kept
    )
    assert not needed.delete and "noch offen" in needed.reason_de


@pytest.mark.parametrize(("untouched", "submitted"), [(0, 30), (180, 0), (-1, -1)])
def test_a_period_is_at_least_one_day(untouched: int, submitted: int) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        DraftPeriods(untouched, submitted)
