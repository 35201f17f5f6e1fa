"""The transfer panel's sparklines: each running transfer's rate and the total (pure logic with
a fixed clock, and the panel in the real app at 80x24 in --ascii and 120x36)."""

from __future__ import annotations

import pytest

from ossbrowse.tasks import TaskSnapshot, TaskState
from ossbrowse.ui.throughput import RateHistory, sparkline
from tests.ui.conftest import loaded, wait_for


def job(job_id: str, rate: float, state: TaskState = TaskState.RUNNING) -> TaskSnapshot:
    return TaskSnapshot(job_id, f"/data/{job_id}.bin", "oss://b/", state, 10, 100, rate=rate)


def test_sparkline_scales_to_the_largest():
    assert sparkline([0, 4, 8]) == "▁▅█"
    assert sparkline([0, 4, 8], ascii_only=True) == "_=#"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([]) == ""


def test_one_sample_a_second_per_job_and_the_total():
    now = [100.0]
    history = RateHistory(clock=lambda: now[0])
    history.record(job("a", 1000))
    history.record(job("a", 2000))  # the same second: replaces
    history.record(job("b", 500))
    now[0] = 101.2
    history.record(job("a", 4000))
    assert list(history.samples["a"]) == [2000, 4000]
    assert list(history.samples["b"]) == [500]
    assert list(history.totals) == [2500, 4500]
    line = history.describe(200)
    assert line.startswith("total ") and "a.bin ▅█ 3.9 KiB/s" in line and "b.bin" in line
    history.record(job("a", 0, TaskState.DONE))  # finished: gone from the line
    assert "a.bin" not in history.describe(200)
    assert len(history.describe(30)) <= 30


@pytest.mark.parametrize(("size", "ascii_only"), [((80, 24), True), ((120, 36), False)])
async def test_the_panel_shows_the_line_while_something_runs(
    make_app, local_dir, size, ascii_only, monkeypatch
):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(str(local_dir), str(local_dir), ascii_only=ascii_only)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        panel = app.main.transfers
        await pilot.press("t")
        app.main.handle_transfer(job("one", 2 * 1024 * 1024), True)
        app.main.handle_transfer(job("two", 1024 * 1024), True)
        await pilot.pause()
        line = panel.throughput
        assert line.display and line.region.height == 1
        assert line.region.width <= size[0]
        text = line.text.plain
        assert "total" in text and "3.0 MiB/s" in text and "one.bin" in text
        assert ("#" in text) if ascii_only else ("█" in text)
        for job_id in ("one", "two"):
            app.main.handle_transfer(job(job_id, 0, TaskState.DONE), True)
        await pilot.pause()
        assert not line.display  # nothing running: the line goes


def test_a_task_that_counts_objects_draws_no_rate():
    history = RateHistory(clock=lambda: 0.0)
    task = TaskSnapshot("t1", "oss://b/x/", "", TaskState.RUNNING, files_total=5, kind="delete")
    history.record(task)
    assert history.describe(100) == ""
