"""The one task model and the one runner: copies, moves, deletes, restores and edits are all
`Task`s run by a `TaskRunner` (see `ossbrowse.tasks.runner` for how to submit one).

Plain Python: nothing here imports Textual, oss2 or the layers above (transfer and ops build
on it; the gateway's retry rule waits through a task's `Control`).
"""

from __future__ import annotations

from ossbrowse.tasks.control import INTERRUPTS, Cancelled, Control, Stopped
from ossbrowse.tasks.model import (
    Event,
    Failure,
    Task,
    TaskProgressed,
    TaskSnapshot,
    TaskState,
    TaskStateChanged,
)
from ossbrowse.tasks.plan import Plan, WorkItem
from ossbrowse.tasks.runner import TaskRunner

__all__ = [
    "INTERRUPTS",
    "Cancelled",
    "Control",
    "Event",
    "Failure",
    "Plan",
    "Stopped",
    "Task",
    "TaskProgressed",
    "TaskRunner",
    "TaskSnapshot",
    "TaskState",
    "TaskStateChanged",
    "WorkItem",
]
