"""Bodies written as `body(ctx) -> TaskOutcome` (lines and failures handed back at the end),
run as tasks of the one model (`ossbrowse.tasks`) on the one runner.

New code may write `body(task)` against `ossbrowse.tasks.Task` directly (see
`ossbrowse.tasks.runner`); this is the same task seen through the context such bodies expect:
`ctx.cancel` is the task's `Control`, `ctx.progress` waits while the task is paused.

    task = start_task(runner, "undelete", src, dst, body)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ossbrowse.tasks.control import Control
from ossbrowse.tasks.model import Task
from ossbrowse.tasks.runner import TaskRunner


@dataclass
class TaskOutcome:
    """What a body hands back: lines for the person, and the items that did not make it."""

    lines: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    cancelled: bool = False


class TaskContext:
    """Given to an outcome-style body: the task's control, progress reports (which honour
    pause and raise on cancel)."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.cancel: Control = task.control

    def progress(
        self, items_done: int, items_total: int, bytes_done: int = 0, bytes_total: int = 0
    ) -> None:
        self.task.progress(items_done, items_total, bytes_done, bytes_total)

    def scanning(self, items_found: int) -> None:
        """Enumeration is still going: totals are not known yet."""
        self.task.found(items_found)


Body = Callable[[TaskContext], TaskOutcome]


def outcome_body(body: Body) -> Callable[[Task], TaskOutcome]:
    """`body` as the runner calls it: its outcome's lines become the task's notes, its failures
    the task's failures; a cancelled outcome leaves the task cancelled."""

    def run(task: Task) -> TaskOutcome:
        outcome = body(TaskContext(task))
        for line in outcome.lines:
            task.note(line)
        for name, why in outcome.failures:
            task.fail_item(name, "", why)
        if outcome.cancelled:
            task.control.cancel()
        return outcome

    return run


def start_task(runner: TaskRunner, kind: str, src: str, dst: str, body: Body) -> Task:
    """Submit an outcome-style body as a task of `kind` (it counts objects)."""
    return runner.submit(Task(kind, src, dst, unit="object"), outcome_body(body))
