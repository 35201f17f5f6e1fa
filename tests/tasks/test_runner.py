"""The one runner: states, pause and cancel by id, clean-ups, lanes, events; no sleeps."""

from __future__ import annotations

import threading

import pytest

from ossbrowse.errors import OssBrowseError
from ossbrowse.tasks import Cancelled, Task, TaskRunner, TaskState, TaskStateChanged
from ossbrowse.tasks.runner import STOPPED


def _events() -> tuple[list[object], TaskRunner]:
    seen: list[object] = []
    return seen, TaskRunner(on_event=seen.append)


def test_a_body_that_returns_is_done_and_keeps_its_result() -> None:
    seen, runner = _events()
    task = runner.submit(Task("copy", "a", "b"), lambda t: "report")
    assert task.wait(10)
    assert task.state is TaskState.DONE and task.result == "report"
    states = [e.job.state for e in seen if isinstance(e, TaskStateChanged)]
    assert states == [TaskState.QUEUED, TaskState.RUNNING, TaskState.DONE]


def test_failures_errors_and_bugs_end_failed_with_a_sentence() -> None:
    runner = TaskRunner()

    def some_failed(task: Task) -> None:
        task.report(3, 3)
        task.fail_item("x", "y", "Access denied.")

    def refused(task: Task) -> None:
        raise OssBrowseError("The bucket does not exist.")

    def bug(task: Task) -> None:
        raise KeyError("k")

    a = runner.submit(Task("delete", "x", unit="object"), some_failed)
    b = runner.submit(Task("copy", "x"), refused)
    c = runner.submit(Task("copy", "x"), bug)
    for task in (a, b, c):
        assert task.wait(10) and task.state is TaskState.FAILED
    assert a.error == "1 of 3 objects failed"
    assert b.error == "The bucket does not exist."
    assert c.error is not None and c.error.startswith("internal error: KeyError")


def test_pause_holds_the_body_and_cancel_by_id_runs_the_cleanups() -> None:
    runner = TaskRunner()
    entered, cleaned = threading.Event(), []

    def body(task: Task) -> None:
        task.add_cleanup(lambda: cleaned.append("abort upload"))
        entered.set()
        task.progress(0, 1)  # waits here while paused; raises once cancelled
        raise AssertionError("never reached")

    task = Task("copy", "a", "b")
    task.pause()
    runner.submit(task, body)
    assert entered.wait(10)
    assert task.state is TaskState.PAUSED
    runner.cancel(task.id)
    assert task.wait(10)
    assert task.state is TaskState.CANCELLED and cleaned == ["abort upload"]


def test_stop_keeps_what_resumes_and_says_so() -> None:
    runner = TaskRunner()
    entered = threading.Event()
    cleaned: list[str] = []

    def body(task: Task) -> None:
        task.add_cleanup(lambda: cleaned.append("x"))
        entered.set()
        while True:
            task.control.gate()
            task.control.wait(5)

    task = runner.submit(Task("move", "a", "b"), body)
    assert entered.wait(10)
    runner.shutdown(wait=True, timeout=10)
    assert task.state is TaskState.CANCELLED and task.error == STOPPED
    assert cleaned == []  # stopped, not cancelled: the clean-ups are not run
    with pytest.raises(OssBrowseError):
        runner.submit(Task("copy", "a"), lambda t: None)


def test_a_lane_runs_its_tasks_in_order_at_most_n_at_once() -> None:
    runner = TaskRunner()
    runner.set_lane("transfer", 1)
    release = threading.Event()
    order: list[str] = []

    def body(task: Task) -> None:
        order.append(task.src)
        if task.src == "first":
            release.wait(10)

    first = runner.submit(Task("copy", "first"), body, lane="transfer")
    second = runner.submit(Task("copy", "second"), body, lane="transfer")
    assert second.state is TaskState.QUEUED  # the lane's one worker is busy with `first`
    runner.cancel(second.id)  # not started: cancelled at once, never runs
    assert second.state is TaskState.CANCELLED
    release.set()
    assert first.wait(10) and first.state is TaskState.DONE
    runner.shutdown(wait=True, timeout=10)
    assert order == ["first"]


def test_cancelled_raised_by_the_body_is_cancelled() -> None:
    runner = TaskRunner()

    def body(task: Task) -> None:
        raise Cancelled()

    task = runner.submit(Task("restore", "a"), body)
    assert task.wait(10) and task.state is TaskState.CANCELLED
