"""The command line shows moments in the city's time, not in the server's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from einvoice.cli.common import city_time


def test_moments_are_shown_in_berlin_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EINVOICE_TIMEZONE", raising=False)
    assert city_time(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == "02.12.2026 00:30"
    assert city_time(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == "02.07.2026 01:30"
    assert city_time(datetime(2026, 12, 1, 23, 30)) == "02.12.2026 00:30"  # naive: UTC
    monkeypatch.setenv("EINVOICE_TIMEZONE", "UTC")
    assert city_time(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == "01.12.2026 23:30"


def test_status_shows_the_last_poll_in_city_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from einvoice.cli.pipeline import _moment

    monkeypatch.delenv("EINVOICE_TIMEZONE", raising=False)
    assert _moment("2026-12-02T07:55:45.426633") == "02.12.2026 08:55"  # naive: UTC
    assert _moment("2026-12-02T07:55:45+00:00") == "02.12.2026 08:55"
    assert _moment(None) == "–"
