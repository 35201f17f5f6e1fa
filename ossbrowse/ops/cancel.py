"""Cancellation for long operations: a token checked between requests, and its exception."""

from __future__ import annotations

import threading

from ossbrowse.errors import OssBrowseError


class Cancelled(OssBrowseError):
    """The person cancelled; nothing after the last finished step was done."""

    exit_code = 130

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class CancelToken:
    """Set from any thread (a key press, a signal); checked by workers between requests."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `Cancelled` if cancel() was called."""
        if self._event.is_set():
            raise Cancelled()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, waking at once on cancel; True if cancelled."""
        return self._event.wait(seconds)


def check(token: CancelToken | None) -> None:
    if token is not None:
        token.check()
