"""Cancel and pause flags one job's workers check between chunks and between parts.

Cancel is an exception raised from `check()` (between chunks of a part, so it bites within
one chunk's time) and from `gate()` (before each new part). Pause only holds `gate()`: parts in
flight finish, no new part starts, and the checkpoint stays for a later resume.
"""

from __future__ import annotations

import threading


class TransferCancelled(Exception):
    """Raised inside workers when the job was cancelled; never shown to a person."""


class TransferStopped(Exception):
    """Raised inside workers when the engine shuts down: like pause, checkpoints are kept."""


class JobControl:
    """The flags of one job, shared by all of its worker threads."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._stopped = threading.Event()
        self._running = threading.Event()  # clear while paused
        self._running.set()
        self._wake = threading.Condition()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

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
            raise TransferCancelled
        if self._stopped.is_set():
            raise TransferStopped

    def gate(self) -> None:
        """Before starting a part: raise if cancelled, wait here while paused."""
        while True:
            self.check()
            if self._running.is_set():
                return
            with self._wake:
                self._wake.wait(0.1)

    def sleep(self, seconds: float) -> None:
        """Sleep (a retry's backoff) but wake at once on cancel or stop."""
        with self._wake:
            self._wake.wait_for(
                lambda: self._cancelled.is_set() or self._stopped.is_set(), timeout=seconds
            )
        self.check()
