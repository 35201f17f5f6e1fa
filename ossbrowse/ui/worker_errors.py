"""Failed thread workers, wherever they ran, end in the app's one error handler.

Textual's `Worker.StateChanged` does not bubble: it reaches only the node that started the
worker. Every node that starts workers mixes this in, so each failure is shown exactly once,
by `OssBrowseApp.show_error`, as a short notification with the error's own message.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState


class ReportsWorkerErrors:
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.app.show_error(event.worker.error)  # type: ignore[attr-defined]
