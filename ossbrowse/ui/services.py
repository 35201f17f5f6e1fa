"""What the UI's widgets and screens use from the session, typed, in one object.

The app builds one `Services` at start and hands it to the main screen, the panes and every
screen that needs it (in their constructors), so a widget reads `self.services.tasks`
instead of reaching through `self.app.<attribute>` (untyped, and invisible to mypy). Nothing
here imports Textual, oss2 or the transfer engine at run time: the first frame does not wait
for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ossbrowse.ui.sides import Sides

if TYPE_CHECKING:
    from ossbrowse.ops.restore import RestoreWatcher
    from ossbrowse.tasks import TaskRunner
    from ossbrowse.transfer.engine import TransferEngine
    from ossbrowse.transfer.events import ConflictPolicy
    from ossbrowse.ui.asking import Questions
    from ossbrowse.ui.input_priority import InputActivity
    from ossbrowse.ui.write_gate import MountGate

BucketFor = Callable[[str], Any]  # bucket name -> the SDK's bucket, for ops and the engine
Presigner = Callable[[str, int], str]  # (oss:// URL, seconds) -> a presigned GET URL


@dataclass
class JobBook:
    """What the UI remembers about the jobs and tasks it submitted (by job or task id)."""

    targets: dict[str, list[str] | str] = field(default_factory=dict)  # folders to reload
    temp_files: dict[str, str] = field(default_factory=dict)  # temp file to remove when done
    # (recursive, clash policy, folder to reload) a job was submitted with: "retry failed"
    requests: dict[str, tuple[bool, ConflictPolicy, Any]] = field(default_factory=dict)


@dataclass
class Services:
    """The session as the UI sees it. Built once by `OssBrowseApp`; shared, never copied."""

    sides: Sides
    questions: Questions  # dialogs asked from worker and engine threads (ui/asking.py)
    write_gate: MountGate  # the mount answer per destination, computed off the UI thread
    tasks: TaskRunner  # the one runner: copies, moves, deletes, restores, edits
    input_activity: InputActivity  # worker threads step aside while keys come
    show_error: Callable[[BaseException], None]  # the one way an error reaches the user
    restore_watcher: Callable[[], RestoreWatcher]  # started the first time it is asked for
    engine: TransferEngine | None = None  # copies; None when the session has no engine
    bucket_for: BucketFor | None = None  # None when there is no OSS connection
    presigner: Presigner | None = None
    read_only: bool = False  # every write action asks ui/write_gate.py first
    ascii_only: bool = False
    jobs: JobBook = field(default_factory=JobBook)
    clock: Callable[[], float] = time.monotonic
