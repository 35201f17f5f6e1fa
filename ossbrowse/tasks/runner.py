"""The one runner: every task (copy, move, delete, restore, edit) is submitted here.

How to submit a task (from a verb, the UI, or a new feature such as sync):

    from ossbrowse.tasks import Task, TaskRunner

    runner = TaskRunner(on_event=listener)        # one per session; the UI has one
    task = Task("sync", "oss://b/src/", "/local/dst", unit="object")

    def body(task: Task) -> SyncReport:           # runs on a runner thread
        for n, item in enumerate(items):
            task.progress(n, len(items), done_bytes, total_bytes)  # waits while paused,
            ...                                                    # raises on cancel/stop
            task.fail_item(item.src, item.dst, "why")  # an item that did not make it
        return report                                  # kept as task.result

    runner.submit(task, body)                     # lane=None: a thread of its own
    task.wait(); task.state, task.result

`body(task)` ends the task: returning is DONE (FAILED when `task.failures` is not empty,
CANCELLED when the task was cancelled or stopped meanwhile); raising `Cancelled`/`Stopped` is
CANCELLED; raising an `OssBrowseError` is FAILED with its message; anything else is FAILED as
an internal error (never a traceback on a screen). Clean-ups registered with
`task.add_cleanup` run when it fails or is cancelled. Pause, resume and cancel go by id
(`runner.pause(task.id)`), whatever the kind. A lane (`set_lane("transfer", 2)`) bounds how many
of its tasks run at once (the transfer engine's `jobs`); the others wait QUEUED, in order.

Events (`TaskStateChanged`, `TaskProgressed`) reach `on_event` on the working threads.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable

from ossbrowse.errors import OssBrowseError
from ossbrowse.tasks.control import Cancelled, Stopped
from ossbrowse.tasks.model import Event, Task, TaskState, TaskStateChanged

Body = Callable[[Task], object]
STOPPED = "stopped: it can be resumed"


def failure_summary(task: Task) -> str:
    """Why a task whose body returned still failed: how many of its items did not make it."""
    failed = len(task.failures)
    total = max(task.files_total, failed)
    unit = task.unit if total == 1 else task.unit + "s"
    return f"{failed} of {total} {unit} failed"


class _Lane:
    """A bounded set of worker threads taking tasks from one queue, in order."""

    def __init__(self, runner: TaskRunner, name: str, workers: int) -> None:
        self.queue: queue.Queue[tuple[Task, Body] | None] = queue.Queue()
        self.threads = [
            threading.Thread(target=self._work, args=(runner,), name=f"ossbrowse-{name}-{i}")
            for i in range(max(1, workers))
        ]
        for thread in self.threads:
            thread.daemon = True  # a stuck request must not keep the process alive at exit
            thread.start()

    def _work(self, runner: TaskRunner) -> None:
        while True:
            entry = self.queue.get()
            if entry is None:
                return
            runner.run(*entry)

    def close(self) -> None:
        for _ in self.threads:
            self.queue.put(None)


class TaskRunner:
    """Runs tasks on threads, keeps them by id, and hands every event to one listener."""

    def __init__(self, on_event: Callable[[Event], None] | None = None) -> None:
        self.on_event = on_event
        self._tasks: dict[str, Task] = {}
        self._lanes: dict[str, _Lane] = {}
        self._lock = threading.Lock()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def _emit(self, event: Event) -> None:
        listener = self.on_event
        if listener is not None:
            with contextlib.suppress(Exception):  # a listener's bug must not break the work
                listener(event)

    def set_lane(self, name: str, workers: int) -> None:
        """Tasks submitted with `lane=name` run at most `workers` at a time (first set wins)."""
        with self._lock:
            if name not in self._lanes:
                self._lanes[name] = _Lane(self, name, workers)

    def submit(self, task: Task, body: Body, *, lane: str | None = None) -> Task:
        """Queue `task`; `body(task)` does its work on a runner thread (see the module doc)."""
        if self._closed:
            raise OssBrowseError("ossbrowse is shutting down: nothing new is started.")
        task.listen(self._emit)
        with self._lock:
            self._tasks[task.id] = task
            chosen = self._lanes.get(lane) if lane is not None else None
            if lane is not None and chosen is None:
                raise ValueError(f"no lane {lane!r}: call set_lane first")
        self._emit(TaskStateChanged(task.snapshot(), TaskState.QUEUED))
        if chosen is not None:
            chosen.queue.put((task, body))
        else:
            name = f"ossbrowse-{task.kind}-{task.id}"
            threading.Thread(target=self.run, args=(task, body), name=name, daemon=True).start()
        return task

    def run(self, task: Task, body: Body) -> None:
        """Run one task to its end on this thread (lanes and threads call it)."""
        with task.lock:
            if task.state.finished:
                return
            task.started = True
            if task.state is TaskState.QUEUED:
                task.set_state(TaskState.RUNNING)
        state, error = TaskState.DONE, None
        try:
            task.result = body(task)
        except Cancelled as exc:
            state, task.exception = TaskState.CANCELLED, exc
        except Stopped as exc:
            state, error, task.exception = TaskState.CANCELLED, STOPPED, exc
        except OssBrowseError as exc:
            state, error, task.exception = TaskState.FAILED, str(exc), exc
        except Exception as exc:  # a bug: still never a traceback on the person's screen
            state, task.exception = TaskState.FAILED, exc
            error = f"internal error: {type(exc).__name__}: {exc}"
        else:
            if task.control.cancel_requested:
                state = TaskState.CANCELLED
            elif task.control.stopped:
                state, error = TaskState.CANCELLED, STOPPED
            elif task.failures:
                state, error = TaskState.FAILED, task.error or failure_summary(task)
        if state is TaskState.FAILED or task.control.cancel_requested:
            for problem in task.run_cleanups():
                task.note(f"a clean-up failed: {problem}")
        task.finish(state, error)

    # -- by id ----------------------------------------------------------------------------
    def tasks(self) -> list[Task]:
        with self._lock:
            return list(self._tasks.values())

    def task(self, task_id: str) -> Task:
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

    def unfinished(self) -> list[Task]:
        return [t for t in self.tasks() if not t.state.finished]

    def run_to_end(self, task: Task, body: Body) -> Task:
        """Submit `task` and wait for its end on this thread (a verb). Ctrl+C stops it (what
        lets it resume is kept) and is raised again once it has stopped."""
        self.submit(task, body)
        try:
            while not task.wait(0.5):  # a timed wait: Ctrl+C is seen between two
                pass
        except KeyboardInterrupt:
            self.shutdown(wait=True, timeout=30)
            raise
        return task

    def shutdown(self, wait: bool = True, timeout: float | None = None) -> None:
        """Take no more tasks; stop the running ones (checkpoints and journals are kept, so
        they resume later, as after a kill). With `wait`, until they ended (or `timeout`)."""
        self._closed = True
        for task in self.tasks():
            if not task.started:
                task.finish(TaskState.CANCELLED, STOPPED)
            task.stop()
        with self._lock:
            lanes = list(self._lanes.values())
        for lane in lanes:
            lane.close()
        if wait:
            deadline = None if timeout is None else time.monotonic() + timeout
            for task in self.tasks():
                left = None if deadline is None else max(0.0, deadline - time.monotonic())
                task.wait(left)
