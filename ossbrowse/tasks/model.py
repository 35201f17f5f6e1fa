"""The one task model: a copy, move, delete, restore or edit as the runner runs it.

A `Task` holds what any kind of work needs: its state, its control (cancel, stop, pause), its
progress (bytes on a `ProgressMeter`, throttled at the source; items as counts), the items
that failed and why, notes for the person, clean-ups to run when it fails or is cancelled, and
what lets it resume (a checkpoint id or a move journal id). Listeners get `TaskStateChanged`
and `TaskProgressed` events carrying a frozen `TaskSnapshot`, built on the working thread, so
a listener on another thread (the UI) reads a consistent picture without locks.

Attributes are read from any thread; the task's own threads change them under `lock`.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ossbrowse.tasks.control import Control
from ossbrowse.tasks.progress import ProgressMeter

if TYPE_CHECKING:
    from ossbrowse.tasks.plan import Plan

_ids = itertools.count(1)


class TaskState(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (TaskState.DONE, TaskState.FAILED, TaskState.CANCELLED)


@dataclass(frozen=True, slots=True)
class Failure:
    """One item of a task that did not make it, and why (a sentence a person can act on)."""

    src: str
    dst: str
    message: str


@dataclass(frozen=True, slots=True)
class TaskSnapshot:
    """A task as it stood at one instant. `bytes_total` and `files_total` grow while the
    enumeration is still going (`scanning` True): totals are never known before work starts.
    `unit` names what `files_*` count ("file" for copies, "object" for the operations)."""

    id: str
    src: str
    dst: str
    state: TaskState
    bytes_done: int = 0
    bytes_total: int = 0
    rate: float = 0.0  # bytes per second, over the last few seconds
    eta: float | None = None  # seconds left; None when unknown
    files_done: int = 0
    files_total: int = 0
    files_skipped: int = 0
    current: str | None = None  # the item being worked on (raw: escape before printing)
    error: str | None = None  # why the task failed, for FAILED
    failures: tuple[Failure, ...] = field(default=())
    scanning: bool = False
    notes: tuple[str, ...] = field(default=())  # e.g. "the source changed: started over"
    kind: str = "copy"  # copy, move, delete, restore, edit
    unit: str = "file"


@dataclass(frozen=True, slots=True)
class TaskProgressed:
    job: TaskSnapshot


@dataclass(frozen=True, slots=True)
class TaskStateChanged:
    job: TaskSnapshot
    previous: TaskState


Event = TaskProgressed | TaskStateChanged
Listener = Callable[[Event], None]


class Task:
    """One unit of work the runner runs. Build it, then `TaskRunner.submit(task, body)`."""

    MAX_SKIP_NOTES = 100  # a folder of a million FIFOs must not grow the task without bound

    def __init__(
        self,
        kind: str,
        src: str,
        dst: str = "",
        *,
        unit: str = "file",
        scanning: bool = False,
        plan: Plan | None = None,
        resume_ref: str | None = None,
    ) -> None:
        self.id = f"t{next(_ids)}"
        self.kind = kind
        self.src = src
        self.dst = dst
        self.unit = unit
        self.state = TaskState.QUEUED
        self.control = Control()
        self.meter = ProgressMeter(self._progressed)
        self.files_done = 0
        self.files_total = 0
        self.files_skipped = 0
        self.current: str | None = None
        self.error: str | None = None
        self.failures: list[Failure] = []
        self.notes: list[str] = []
        self.scanning = scanning
        self.started = False
        self.plan = plan  # the work as data, when the kind has one (tasks.plan)
        self.resume_ref = resume_ref  # a checkpoint id or a move journal id
        self.result: object = None  # what the body returned (a report), once finished
        self.exception: BaseException | None = None  # what ended it, when the body raised
        self.lock = threading.RLock()
        self.finished = threading.Event()
        self.ask_lock = threading.Lock()  # one question to the person at a time
        self._skips = 0
        self._cleanups: list[Callable[[], None]] = []
        self._listener: Listener | None = None

    # -- events --------------------------------------------------------------------------
    def listen(self, listener: Listener | None) -> None:
        """Where events go (the runner sets it on submit)."""
        self._listener = listener

    def _emit(self, event: Event) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):  # a listener's bug must not break the work
                self._listener(event)

    def _progressed(self) -> None:
        self._emit(TaskProgressed(self.snapshot()))

    def set_state(self, state: TaskState) -> None:
        """Change state and tell the listener; a finished task keeps its state."""
        with self.lock:
            previous = self.state
            if previous is state or previous.finished:
                return
            self.state = state
            snap = self.snapshot()
        self._emit(TaskStateChanged(snap, previous))

    def finish(self, state: TaskState, error: str | None = None) -> None:
        with self.lock:
            if self.state.finished:
                return
            self.error = error
            self.scanning = False
        self.set_state(state)
        self.finished.set()

    # -- controls (any thread) ------------------------------------------------------------
    def pause(self) -> None:
        with self.lock:
            if self.state.finished:
                return
            self.control.pause()
            self.set_state(TaskState.PAUSED)

    def resume(self) -> None:
        with self.lock:
            if self.state is not TaskState.PAUSED:
                return
            self.control.resume()
            self.set_state(TaskState.RUNNING if self.started else TaskState.QUEUED)

    def cancel(self) -> None:
        """Give it up: its threads stop at their next check; clean-ups run."""
        with self.lock:
            if self.state.finished:
                return
            self.control.cancel()
            started = self.started
        if not started:
            self.finish(TaskState.CANCELLED)

    def stop(self) -> None:
        """End it, keeping what lets it resume (checkpoints, journals)."""
        self.control.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the task is done, failed or cancelled; False on timeout."""
        return self.finished.wait(timeout)

    # -- progress (the task's threads) ----------------------------------------------------
    def report(
        self,
        items_done: int,
        items_total: int,
        bytes_done: int | None = None,
        bytes_total: int | None = None,
        *,
        scanning: bool = False,
    ) -> None:
        """Counts as a whole; an event goes out if one is due (throttled by the meter)."""
        with self.lock:
            self.files_done, self.files_total = items_done, items_total
            self.scanning = scanning
        if bytes_done is None:
            self.meter.poke()
        else:
            self.meter.set(bytes_done, self.meter.total if bytes_total is None else bytes_total)

    def progress(
        self, items_done: int, items_total: int, bytes_done: int = 0, bytes_total: int = 0
    ) -> None:
        """`report`, then wait here while paused (raises on cancel or stop): operations call
        it between requests, so a pause lets requests in flight finish and starts no more."""
        self.report(items_done, items_total, bytes_done, bytes_total)
        self.control.gate()

    def found(self, items: int) -> None:
        """Enumeration still going: `items` found so far, totals not known yet."""
        self.report(0, items, scanning=True)
        self.control.gate()

    def note(self, text: str) -> None:
        with self.lock:
            self.notes.append(text)

    def note_skipped(self, text: str) -> None:
        """Record an entry passed over; past the cap, count them in one last note."""
        with self.lock:
            self._skips += 1
            if self._skips <= self.MAX_SKIP_NOTES:
                self.notes.append(text)
                return
            more = f"... and {self._skips - self.MAX_SKIP_NOTES} more entries skipped"
            if self.notes and self.notes[-1].startswith("... and "):
                self.notes[-1] = more
            else:
                self.notes.append(more)

    def fail_item(self, src: str, dst: str, message: str) -> None:
        with self.lock:
            self.failures.append(Failure(src, dst, message))

    # -- clean-ups ------------------------------------------------------------------------
    def add_cleanup(self, fn: Callable[[], None]) -> Callable[[], None]:
        """Run `fn` if the task fails or is cancelled (not when stopped: it may resume).
        Returns a function that unregisters it, for work that finished on its own."""
        with self.lock:
            self._cleanups.append(fn)

        def remove() -> None:
            with self.lock, contextlib.suppress(ValueError):
                self._cleanups.remove(fn)

        return remove

    def run_cleanups(self) -> list[BaseException]:
        """The runner calls this once; each clean-up runs even if another fails."""
        with self.lock:
            cleanups, self._cleanups = self._cleanups[::-1], []
        errors: list[BaseException] = []
        for fn in cleanups:
            try:
                fn()
            except Exception as exc:
                errors.append(exc)
        return errors

    # -- reading --------------------------------------------------------------------------
    @property
    def bytes_done(self) -> int:
        return self.meter.done

    @property
    def bytes_total(self) -> int:
        return self.meter.total

    @property
    def rate(self) -> float:
        return self.meter.rate()

    @property
    def eta(self) -> float | None:
        return self.meter.eta()

    def snapshot(self) -> TaskSnapshot:
        with self.lock:
            rate = self.meter.rate()
            return TaskSnapshot(
                id=self.id,
                src=self.src,
                dst=self.dst,
                state=self.state,
                bytes_done=self.meter.done,
                bytes_total=self.meter.total,
                rate=rate,
                eta=None if self.scanning else self.meter.eta(rate),
                files_done=self.files_done,
                files_total=self.files_total,
                files_skipped=self.files_skipped,
                current=self.current,
                error=self.error,
                failures=tuple(self.failures),
                scanning=self.scanning and not self.state.finished,
                notes=tuple(self.notes),
                kind=self.kind,
                unit=self.unit,
            )

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.kind} {self.state.value} {self.src!r} -> {self.dst!r}>"
