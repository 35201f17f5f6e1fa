"""A job as the engine keeps it: live counters guarded by a lock, turned into frozen
`JobSnapshot`s for listeners."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ossbrowse.tasks.progress import ProgressMeter
from ossbrowse.transfer.control import JobControl
from ossbrowse.transfer.events import ConflictPolicy, Failure, JobSnapshot, JobState
from ossbrowse.transfer.locations import Location
from ossbrowse.transfer.walk import Select, WalkItem

if TYPE_CHECKING:
    from ossbrowse.fs.base import Entry

_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class JobSpec:
    src: Location
    dst: Location
    recursive: bool
    if_exists: ConflictPolicy
    resolve_conflict: Callable[[Entry, Entry], ConflictPolicy] | None
    # The files to move, when a caller chose them (a sync's copies) instead of a walk of `src`.
    items: Callable[[], Iterable[WalkItem]] | None = None
    select: Select | None = None  # a filter on a recursive copy's walk (see walk.Select)


class Job:
    """One submitted copy (a file or a folder). Read its attributes from any thread; the
    engine changes them. `snapshot()` gives a consistent, immutable picture."""

    def __init__(
        self, spec: JobSpec, src_text: str, dst_text: str, emit_progress: Callable[[Job], None]
    ) -> None:
        self.id = f"j{next(_ids)}"
        self.src = src_text
        self.dst = dst_text
        self.spec = spec
        self.state = JobState.QUEUED
        self.control = JobControl()
        self.meter = ProgressMeter(lambda: emit_progress(self))
        self.files_done = 0
        self.files_total = 0
        self.files_skipped = 0
        self.current: str | None = None
        self.error: str | None = None
        self.failures: list[Failure] = []
        self.notes: list[str] = []
        self._skips = 0
        self.scanning = spec.recursive
        self.started = False
        self.lock = threading.RLock()
        self.finished = threading.Event()
        self.conflict_lock = threading.Lock()  # one question to the person at a time

    MAX_SKIP_NOTES = 100  # a folder of a million FIFOs must not grow the job without bound

    def note_skipped(self, text: str) -> None:
        """Record an entry the walk passed over; past the cap, count them in one last note."""
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

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job is done, failed or cancelled; False on timeout."""
        return self.finished.wait(timeout)

    def snapshot(self) -> JobSnapshot:
        with self.lock:
            rate = self.meter.rate()
            return JobSnapshot(
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
                scanning=self.scanning,
                notes=tuple(self.notes),
            )

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.state.value} {self.src!r} -> {self.dst!r}>"
