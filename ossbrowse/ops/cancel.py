"""The operations' names for a task's cancellation: the one task model's (`ossbrowse.tasks`).

An operation (`plan_*`, `run_*`) takes `cancel=`, a task's `Control` (or None), and checks it
between requests; a verb run without a runner makes one `Control` for Ctrl+C. Kept so that the
operations read `cancel: CancelToken`; there is no second implementation here.
"""

from __future__ import annotations

from ossbrowse.tasks.control import Cancelled, check
from ossbrowse.tasks.control import Control as CancelToken

__all__ = ["CancelToken", "Cancelled", "check"]
