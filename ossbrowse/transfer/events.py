"""What the engine tells its listener: job states, job snapshots and the two event types.

Events are built in worker threads and handed to `on_event` there; they carry a frozen
snapshot, so a listener on another thread (the UI) reads a consistent picture without locks.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class JobState(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class ConflictPolicy(enum.Enum):
    """What to do when the destination already exists."""

    ASK = "ask"  # call resolve_conflict (the UI asks the person)
    OVERWRITE = "overwrite"
    SKIP = "skip"
    SAME = "same"  # skip when the same (size and CRC64, or mtime where no CRC), else overwrite
    KEEP_BOTH = "keep-both"  # write beside it as `name (1).ext`


@dataclass(frozen=True, slots=True)
class Failure:
    """One file of a job that did not make it, and why (a sentence a person can act on)."""

    src: str
    dst: str
    message: str


@dataclass(frozen=True, slots=True)
class JobSnapshot:
    """A job as it stood at one instant. `bytes_total` and `files_total` grow while the folder
    walk is still going (`scanning` True): totals are never known before moving starts."""

    id: str
    src: str
    dst: str
    state: JobState
    bytes_done: int = 0
    bytes_total: int = 0
    rate: float = 0.0  # bytes per second, over the last few seconds
    eta: float | None = None  # seconds left; None when unknown
    files_done: int = 0
    files_total: int = 0
    files_skipped: int = 0
    current: str | None = None  # the file being moved (raw: escape before printing)
    error: str | None = None  # why the job failed, for FAILED
    failures: tuple[Failure, ...] = field(default=())
    scanning: bool = False
    notes: tuple[str, ...] = field(default=())  # e.g. "the source changed: started over"


@dataclass(frozen=True, slots=True)
class JobProgressed:
    job: JobSnapshot


@dataclass(frozen=True, slots=True)
class JobStateChanged:
    job: JobSnapshot
    previous: JobState


Event = JobProgressed | JobStateChanged
