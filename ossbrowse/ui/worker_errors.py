"""Failed thread workers, wherever they ran, end in the app's one error handler.

Textual's `Worker.StateChanged` does not bubble: it reaches only the node that started the
worker. Every node that starts workers mixes this in, so each failure is shown exactly once,
by `OssBrowseApp.show_error`, as a short notification with the error's own message.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.worker import Worker, WorkerState

from ossbrowse.ui.describe import show_error


class ReportsWorkerErrors:
    app: App[Any]  # given by the Textual node this is mixed into

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            show_error(self.app, event.worker.error)
