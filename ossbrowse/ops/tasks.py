"""Long operations (move, delete, restore) run as background tasks with progress and controls.

The UI lists them in its transfer panel beside the engine's copies, so a task speaks the same
language as a transfer job: `TaskSnapshot`s in `TaskStateChanged` / `TaskProgressed` events, and
pause, resume and cancel by id. A task's body is a plain function of its `TaskContext`; it
reports progress through it, and a paused task waits inside `progress()` (the operations call it
between requests, so pausing stops new requests and lets those in flight finish).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ossbrowse.ops.cancel import Cancelled, CancelToken
from ossbrowse.tasks import (
    Event,
    Failure,
    TaskProgressed,
    TaskSnapshot,
    TaskState,
    TaskStateChanged,
)

_ids = itertools.count(1)
TASK_PREFIX = "op"  # task ids ("op1") never clash with the engine's job ids ("j1")


def is_task_id(job_id: str) -> bool:
    return job_id.startswith(TASK_PREFIX)


@dataclass
class TaskOutcome:
    """What a body hands back: lines for the person, and the items that did not make it."""

    lines: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    cancelled: bool = False


class TaskContext:
    """Given to a task's body: the cancel token, progress reports (which honour pause)."""

    def __init__(self, task: OpTask) -> None:
        self._task = task
        self.cancel: CancelToken = task.token

    def progress(
        self, items_done: int, items_total: int, bytes_done: int = 0, bytes_total: int = 0
    ) -> None:
        """Record progress; blocks while the task is paused (and wakes at once on cancel)."""
        self._task.report(items_done, items_total, bytes_done, bytes_total)
        self._task.wait_if_paused()

    def scanning(self, items_found: int) -> None:
        """Enumeration is still going: totals are not known yet."""
        self._task.report(0, items_found, 0, 0, scanning=True)
        self._task.wait_if_paused()


Body = Callable[[TaskContext], TaskOutcome]


class OpTask:
    """One background operation. Read its attributes from any thread; `snapshot()` for a view."""

    def __init__(self, kind: str, src: str, dst: str, emit: Callable[[Event], None]) -> None:
        self.id = f"{TASK_PREFIX}{next(_ids)}"
        self.kind = kind
        self.src = src
        self.dst = dst
        self.state = TaskState.QUEUED
        self.token = CancelToken()
        self.outcome: TaskOutcome | None = None
        self.error: str | None = None
        self.finished = threading.Event()
        self._emit = emit
        self._lock = threading.Lock()
        self._running = threading.Event()  # clear while paused
        self._running.set()
        self._counts = (0, 0, 0, 0)
        self._scanning = True
        self._started = time.monotonic()
        self._last_emit = 0.0

    # -- controls ------------------------------------------------------------------------
    def pause(self) -> None:
        with self._lock:
            if self.state.finished:
                return
            self._running.clear()
            previous, self.state = self.state, TaskState.PAUSED
        self._emit(TaskStateChanged(self.snapshot(), previous))

    def resume(self) -> None:
        with self._lock:
            if self.state is not TaskState.PAUSED:
                return
            self._running.set()
            self.state = TaskState.RUNNING
        self._emit(TaskStateChanged(self.snapshot(), TaskState.PAUSED))

    def cancel(self) -> None:
        self.token.cancel()
        self._running.set()  # a paused task must wake up to notice

    def wait_if_paused(self) -> None:
        while not self._running.wait(0.1):
            if self.token.cancelled:
                break
        self.token.check()

    def wait(self, timeout: float | None = None) -> bool:
        return self.finished.wait(timeout)

    # -- progress ------------------------------------------------------------------------
    def report(
        self,
        items_done: int,
        items_total: int,
        bytes_done: int,
        bytes_total: int,
        scanning: bool = False,
    ) -> None:
        with self._lock:
            self._counts = (items_done, items_total, bytes_done, bytes_total)
            self._scanning = scanning
        now = time.monotonic()
        if now - self._last_emit >= 0.1:  # throttled at the source, like the engine
            self._last_emit = now
            self._emit(TaskProgressed(self.snapshot()))

    def snapshot(self) -> TaskSnapshot:
        with self._lock:
            items_done, items_total, bytes_done, bytes_total = self._counts
            elapsed = max(time.monotonic() - self._started, 1e-6)
            running = self.state is TaskState.RUNNING
            rate = bytes_done / elapsed if running else 0.0
            eta = None
            if running and not self._scanning and rate > 0 and bytes_total:
                eta = max(0.0, (bytes_total - bytes_done) / rate)
            failures: tuple[Failure, ...] = ()
            if self.outcome is not None:
                failures = tuple(Failure(n, "", why) for n, why in self.outcome.failures)
            return TaskSnapshot(
                id=self.id,
                src=self.src,
                dst=self.dst,
                state=self.state,
                bytes_done=bytes_done,
                bytes_total=bytes_total,
                rate=rate,
                eta=eta,
                files_done=items_done,
                files_total=items_total,
                current=self.kind,
                error=self.error,
                failures=failures,
                scanning=self._scanning and not self.state.finished,
                notes=tuple(self.outcome.lines) if self.outcome else (),
            )

    def _set(self, state: TaskState) -> None:
        with self._lock:
            previous, self.state = self.state, state
        if state.finished:
            self.finished.set()
        self._emit(TaskStateChanged(self.snapshot(), previous))

    def run(self, body: Body) -> None:
        if self.token.cancelled:
            self._set(TaskState.CANCELLED)
            return
        self._set(TaskState.RUNNING)
        try:
            outcome = body(TaskContext(self))
        except Cancelled:
            self.outcome = TaskOutcome(cancelled=True)
            self._set(TaskState.CANCELLED)
            return
        except Exception as exc:  # shown in the panel and as a notification, never raised
            self.error = str(exc) or type(exc).__name__
            self._set(TaskState.FAILED)
            return
        self.outcome = outcome
        if outcome.cancelled or self.token.cancelled:
            self._set(TaskState.CANCELLED)
        elif outcome.failures:
            first, why = outcome.failures[0]
            more = len(outcome.failures) - 1
            self.error = f"{first}: {why}" + (f" (and {more} more)" if more else "")
            self._set(TaskState.FAILED)
        else:
            self._set(TaskState.DONE)


class TaskRunner:
    """Starts tasks on their own threads; one listener gets every task's events."""

    def __init__(self, on_event: Callable[[Event], None] | None = None) -> None:
        self.on_event = on_event
        self._tasks: dict[str, OpTask] = {}
        self._lock = threading.Lock()

    def _emit(self, event: Event) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def start(self, kind: str, src: str, dst: str, body: Body) -> OpTask:
        task = OpTask(kind, src, dst, self._emit)
        with self._lock:
            self._tasks[task.id] = task
        self._emit(TaskStateChanged(task.snapshot(), TaskState.QUEUED))
        threading.Thread(
            target=task.run, args=(body,), name=f"ossbrowse-{kind}-{task.id}", daemon=True
        ).start()
        return task

    def tasks(self) -> list[OpTask]:
        with self._lock:
            return list(self._tasks.values())

    def task(self, task_id: str) -> OpTask:
        with self._lock:
            return self._tasks[task_id]

    def pause(self, task_id: str) -> None:
        self.task(task_id).pause()

    def resume(self, task_id: str) -> None:
        self.task(task_id).resume()

    def cancel(self, task_id: str) -> None:
        self.task(task_id).cancel()

    def pause_all(self) -> None:
        for task in self.tasks():
            task.pause()

    def resume_all(self) -> None:
        for task in self.tasks():
            task.resume()

    def cancel_all(self) -> None:
        for task in self.tasks():
            task.cancel()

    def unfinished(self) -> list[OpTask]:
        return [t for t in self.tasks() if not t.state.finished]

    def shutdown(self, wait: bool = False, timeout: float = 5.0) -> None:
        """Cancel what runs; a move stops between copies and its journal lets it resume."""
        self.cancel_all()
        if wait:
            deadline = time.monotonic() + timeout
            for task in self.tasks():
                task.wait(max(0.0, deadline - time.monotonic()))
