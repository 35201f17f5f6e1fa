"""One copy's answers to name clashes: asked once with "all" choices, not file after file.

A `ClashResolver` is the `resolve_conflict` of every job of one copy request. It runs on the
engine's threads and blocks while the person answers; a lock keeps it to one question at a
time across the request's jobs, and an "all" answer decides every later clash without asking.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ossbrowse.fs.base import Entry
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui.dialogs.clash import CANCEL, ClashDialog

_FIXED = {
    "overwrite": ConflictPolicy.OVERWRITE,
    "overwrite-all": ConflictPolicy.OVERWRITE,
    "skip": ConflictPolicy.SKIP,
    "skip-all": ConflictPolicy.SKIP,
    "keep-both": ConflictPolicy.KEEP_BOTH,
    "same": ConflictPolicy.SAME,  # the engine compares size and CRC64 (else mtime)
}


def decide(answer: str, src: Entry | None, dst: Entry | None) -> ConflictPolicy:
    """The policy an answer gives for this pair; "older" overwrites only an older existing one."""
    if answer == "older":
        if src is None or dst is None or src.mtime is None or dst.mtime is None:
            return ConflictPolicy.SKIP  # cannot tell which is older: keep what is there
        return ConflictPolicy.OVERWRITE if int(dst.mtime) < int(src.mtime) else ConflictPolicy.SKIP
    return _FIXED.get(answer, ConflictPolicy.SKIP)


class ClashResolver:
    def __init__(self, ask: Callable[[Any], str | None], cancel_jobs: Callable[[list[str]], None]):
        self._ask = ask  # (dialog) -> answer, blocking; None when dismissed without one
        self._cancel_jobs = cancel_jobs
        self._lock = threading.Lock()
        self.for_all: str | None = None  # set by an "all" answer or a cancel
        self.job_ids: list[str] = []  # filled by the UI right after submitting
        self.asked = 0

    def __call__(self, src: Entry | None, dst: Entry | None) -> ConflictPolicy:
        with self._lock:
            if self.for_all is None:
                self.asked += 1
                answer = self._ask(ClashDialog(src, dst)) or "skip"
                if answer == CANCEL:
                    self.for_all = "skip-all"
                    self._cancel_jobs(list(self.job_ids))
                elif answer not in _FIXED or answer in ("overwrite-all", "skip-all", "same"):
                    self.for_all = answer
                else:
                    return decide(answer, src, dst)
            return decide(self.for_all, src, dst)
