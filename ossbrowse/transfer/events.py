"""What a copy does when its destination already exists.

The job states, snapshots and events a copy reports are the one task model's
(`ossbrowse.tasks`): a copy is a task like a move or a delete.
"""

from __future__ import annotations

import enum


class ConflictPolicy(enum.Enum):
    """What to do when the destination already exists."""

    ASK = "ask"  # call resolve_conflict (the UI asks the person)
    OVERWRITE = "overwrite"
    SKIP = "skip"
    SAME = "same"  # skip when the same (size and CRC64, or mtime where no CRC), else overwrite
    KEEP_BOTH = "keep-both"  # write beside it as `name (1).ext`
