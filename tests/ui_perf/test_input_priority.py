"""Worker threads step aside briefly after a key, and never for long.

Time here is a virtual clock: what is checked is how long the code decides to wait, not how
long this machine took (benchmarks/latency.py prints the real figures)."""

from __future__ import annotations

from ossbrowse.ui import input_priority
from ossbrowse.ui.input_priority import InputActivity


class VirtualClock:
    """`time` for input_priority: monotonic() reads a number, sleep() advances it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_quiet_input_costs_nothing(monkeypatch):
    clock = VirtualClock()
    monkeypatch.setattr(input_priority, "time", clock)
    activity = InputActivity()
    activity.yield_to_input()
    assert clock.slept == []  # no input lately: no wait at all
    assert not activity.recent()


def test_recent_input_waits_at_most_the_bound(monkeypatch):
    clock = VirtualClock()
    monkeypatch.setattr(input_priority, "time", clock)
    monkeypatch.setattr(input_priority, "RECENT", 5.0)  # input "just now" for the whole test
    activity = InputActivity()
    activity.touch()
    assert activity.recent()
    activity.yield_to_input(most=0.05)
    assert clock.slept and abs(sum(clock.slept) - 0.05) < 1e-9  # waited, up to the bound


def test_input_going_quiet_ends_the_wait_early(monkeypatch):
    clock = VirtualClock()
    monkeypatch.setattr(input_priority, "time", clock)
    activity = InputActivity()
    activity.touch()
    clock.now += input_priority.RECENT / 2  # half of the "recent" window has passed
    activity.yield_to_input(most=10.0)
    assert abs(sum(clock.slept) - input_priority.RECENT / 2) < 1e-9  # only the rest of it
