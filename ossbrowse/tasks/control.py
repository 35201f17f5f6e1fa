"""Cancel, stop and pause of one task, checked by every thread that works for it.

Cancel means "give it up": in-flight parts stop at their next chunk, a multipart upload is
aborted, temporary files and checkpoints are removed. Stop means "end now, keep what lets it
resume" (the app or the engine shuts down): checkpoints and move journals stay. Pause holds
`gate()`: work in flight finishes, no new part, copy or request starts.

`check()` raises `Cancelled` or `Stopped`; `gate()` also waits while paused; `sleep()` (a retry's
backoff) wakes at once on cancel or stop. `cancelled` and `wait()` answer "must the work end?"
for either, which is what code that only needs to stop between requests asks
(`fs.retrying.CancelWaiter`).
"""

from __future__ import annotations

import threading

from ossbrowse.errors import OssBrowseError


class Cancelled(OssBrowseError):
    """The person cancelled; nothing after the last finished step was done."""

    exit_code = 130

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class Stopped(OssBrowseError):
    """The session ended (shutdown, Ctrl+C): what lets the task resume is kept."""

    exit_code = 130

    def __init__(self, message: str = "Stopped: run the same command again to resume.") -> None:
        super().__init__(message)


INTERRUPTS = (Cancelled, Stopped)


class Control:
    """The flags of one task, shared by all of its threads; set from any thread."""

    __slots__ = ("_cancelled", "_running", "_stopped", "_wake")

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._stopped = threading.Event()
        self._running = threading.Event()  # clear while paused
        self._running.set()
        self._wake = threading.Condition()

    @property
    def cancelled(self) -> bool:
        """True once the task was told to end (cancel or stop)."""
        return self._cancelled.is_set() or self._stopped.is_set()

    @property
    def cancel_requested(self) -> bool:
        """True when the person cancelled (clean up), not merely stopped (keep to resume)."""
        return self._cancelled.is_set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set() and not self._cancelled.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def cancel(self) -> None:
        self._cancelled.set()
        self._notify()

    def stop(self) -> None:
        self._stopped.set()
        self._notify()

    def pause(self) -> None:
        self._running.clear()
        self._notify()

    def resume(self) -> None:
        self._running.set()
        self._notify()

    def _notify(self) -> None:
        with self._wake:
            self._wake.notify_all()

    def check(self) -> None:
        """Raise if cancelled or stopped; cheap enough to call between 1 MiB chunks."""
        if self._cancelled.is_set():
            raise Cancelled()
        if self._stopped.is_set():
            raise Stopped()

    def gate(self) -> None:
        """Before starting new work: raise if cancelled or stopped, wait here while paused."""
        while True:
            self.check()
            if self._running.is_set():
                return
            with self._wake:
                self._wake.wait_for(lambda: self._running.is_set() or self.cancelled, timeout=1.0)

    def sleep(self, seconds: float) -> None:
        """Sleep (a retry's backoff) but wake at once on cancel or stop, and raise then."""
        self.wait(seconds)
        self.check()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, waking at once on cancel or stop; True if the task must end."""
        with self._wake:
            return self._wake.wait_for(lambda: self.cancelled, timeout=seconds)


def check(control: Control | None) -> None:
    """`control.check()` where a control may be absent (a verb run without a task)."""
    if control is not None:
        control.check()
