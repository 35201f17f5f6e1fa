"""Worker threads step aside briefly after a key, and never for long."""

from __future__ import annotations

import time

from ossbrowse.ui import input_priority
from ossbrowse.ui.input_priority import InputActivity


def test_quiet_input_costs_nothing():
    activity = InputActivity()
    started = time.monotonic()
    activity.yield_to_input()
    assert time.monotonic() - started < 0.01
    assert not activity.recent()


def test_recent_input_waits_at_most_the_bound(monkeypatch):
    monkeypatch.setattr(input_priority, "RECENT", 5.0)  # input "just now" for the whole test
    activity = InputActivity()
    activity.touch()
    assert activity.recent()
    started = time.monotonic()
    activity.yield_to_input(most=0.05)
    waited = time.monotonic() - started
    assert 0.04 <= waited < 1.0
