"""Ask the user from a worker thread and wait for the answer; the default if the app is closing.

Engine threads (a name clash) and thread workers (an edit's upload question) need an answer
from a dialog before they go on. `Questions.ask` shows the dialog on the UI thread (posted, so
the asking thread never waits on the event loop itself) and waits on a `Future` with a short
timeout, so that closing the app, or the asker's own cancel, ends the wait: `close()` (from
the app's unmount) answers every open question with its default, and a question asked after
that gets its default at once. A worker is never left waiting on an app that has gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

POLL = 0.2  # seconds between looks at `cancelled` while a question is open


class Questions:
    """The open questions of one app, asked from threads other than the UI thread."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._open: dict[Future[Any], Any] = {}  # question -> its default
        self._closed = False

    @property
    def open_count(self) -> int:
        with self._lock:
            return len(self._open)

    def ask(self, screen: Any, default: Any = None,
            cancelled: Callable[[], bool] | None = None) -> Any:  # fmt: skip
        """Show `screen`, block this (non-UI) thread until it is answered, return the answer.

        `default` is returned when the app closes first, or when `cancelled()` turns true
        (then the dialog is taken down if it is still showing).
        """
        answer: Future[Any] = Future()
        with self._lock:
            if self._closed:
                return default
            self._open[answer] = default

        def answered(result: Any) -> None:  # on the UI thread
            _settle(answer, result)

        def show() -> None:  # on the UI thread
            try:
                self._app.push_screen(screen, answered)
            except Exception:
                _settle(answer, default)  # the app is going away: nothing to show it on

        try:
            try:
                posted = self._app.call_later(show)
            except RuntimeError:  # the event loop is closed
                posted = False
            if not posted:
                return default
            while True:
                try:
                    return answer.result(timeout=POLL)
                except FutureTimeout:
                    if cancelled is not None and cancelled():
                        _settle(answer, default)
                        self._take_down(screen)
        finally:
            with self._lock:
                self._open.pop(answer, None)

    def _take_down(self, screen: Any) -> None:
        def take_down() -> None:
            if self._app.screen is screen:
                screen.dismiss(None)

        try:
            self._app.call_later(take_down)
        except RuntimeError:
            pass

    def close(self) -> None:
        """The app is closing: every open question gets its default, later ones at once."""
        with self._lock:
            self._closed = True
            waiting = list(self._open.items())
        for answer, default in waiting:
            _settle(answer, default)


def _settle(answer: Future[Any], result: Any) -> None:
    """Set the answer unless it is set already (a late dialog result after a close)."""
    try:
        answer.set_result(result)
    except Exception:
        pass  # InvalidStateError: answered already
