"""The main screen's transfers: copies submitted, their events drawn, the panel's keys.

Owned by the main screen (`screen.transfer_control`). Copies go to the transfer engine; they,
like every other task, run on the session's one runner, whose events come back through
`handle_transfer` (on the UI thread) and whose tasks are paused, resumed and cancelled by id
whatever their kind. Nothing here blocks the UI thread: runner calls go to a thread worker.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ossbrowse.errors import OssBrowseError
from ossbrowse.tasks import TaskSnapshot, TaskState
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui.fileops import target_path
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.words import counted
from ossbrowse.ui.write_gate import check_writable

if TYPE_CHECKING:
    from ossbrowse.tasks import Task
    from ossbrowse.transfer.checkpoint import CheckpointInfo
    from ossbrowse.transfer.engine import TransferEngine
    from ossbrowse.ui.dialogs.copy import CopyRequest
    from ossbrowse.ui.main_screen import MainScreen
    from ossbrowse.ui.pane import Pane
    from ossbrowse.ui.transfer_panel import TransferPanel


class TransferControl:
    """Submits copies, draws the runner's events, and runs the transfer panel's keys."""

    def __init__(self, screen: MainScreen, panel: TransferPanel) -> None:
        self.screen = screen
        self.services = screen.services
        self.panel = panel

    def _engine(self) -> TransferEngine | None:
        engine = self.services.engine
        if engine is None:
            self.services.show_error(
                OssBrowseError("The transfer engine is not available in this session.")
            )
        return engine

    def _panes_showing(self, path: str) -> list[Pane]:
        return [p for p in (self.screen.left, self.screen.right) if p.path == path]

    # -- submitting --------------------------------------------------------------------------

    def submit_copies(self, request: CopyRequest) -> list[Task]:
        engine = self._engine()
        if engine is None:
            return []
        try:
            dest_fs = self.services.sides.for_path(request.destination)
            # The destination was editable: the gate is asked again for the one chosen (its
            # answer is cached: the dialog's caller asked it off this thread).
            check_writable(self.screen, "copy", request.destination)
        except OssBrowseError as exc:
            self.services.show_error(exc)
            return []
        jobs = []
        book = self.services.jobs
        clashes = self.screen.features.clash_resolver()
        for entry in request.sources:
            try:
                dst = target_path(dest_fs, request.destination, entry)
                job = engine.submit(
                    entry.path,
                    dst,
                    recursive=entry.is_dir,
                    if_exists=request.policy,
                    resolve_conflict=clashes,
                )
            except OssBrowseError as exc:
                self.services.show_error(exc)
                continue
            jobs.append(job)
            clashes.job_ids.append(job.id)
            book.targets[job.id] = request.destination
            book.requests[job.id] = (entry.is_dir, request.policy, request.destination)
        if jobs:
            items = counted(len(jobs), "item")
            self.screen.notify(f"Copying {items}; t shows the transfers.", markup=False)
        return jobs

    def submit_resume(self, info: CheckpointInfo) -> None:
        """Run an interrupted transfer of an earlier session again (its checkpoint is kept)."""
        engine = self._engine()
        if engine is None:
            return
        try:
            job = engine.resume_unfinished(info)
        except OssBrowseError as exc:
            self.services.show_error(exc)
            return
        parent = str(info.dst).rstrip("/").rpartition("/")[0]
        self.services.jobs.targets[job.id] = parent + ("/" if is_oss_path(parent) else "")

    # -- events, on the UI thread ------------------------------------------------------------

    def handle_transfer(self, job: TaskSnapshot, state_changed: bool) -> None:
        """A runner event: redraw the panel; after a finish, reload the folders it wrote."""
        self.panel.update_job(job)
        self.screen.refresh_status()
        if not state_changed or not job.state.finished:
            return
        if job.state is TaskState.FAILED:
            message = job.error or "the transfer failed"
            self.screen.notify(f"Transfer failed: {safe_text(message)}", severity="error",
                               markup=False, timeout=8)  # fmt: skip
        targets = self.services.jobs.targets.pop(job.id, None)
        if isinstance(targets, str):
            targets = [targets]
        for target in targets or ():
            for pane in self._panes_showing(target):
                pane.reload()

    # -- the panel's keys --------------------------------------------------------------------

    def panel_action(self, verb: str, job_id: str) -> None:
        if verb == "retry":
            self.retry_failed(job_id)
        else:
            self.task_call(verb, job_id)

    def retry_failed(self, job_id: str) -> None:
        """Queue again what failed in a job: its failed files, or the whole job if it failed
        before any file was known. New rows in the panel; the old one keeps its story."""
        job = self.panel.jobs.get(job_id)
        if job is not None and job.kind == "copy version":  # its URL alone is the current one
            self.screen.notify("Copy the version again from the versions view (V).",
                               severity="warning", markup=False)  # fmt: skip
            return
        if job is not None and job.kind != "copy":
            self.screen.notify("Start the move or delete again from the pane: it picks up "
                               "where it stopped.", severity="warning", markup=False)  # fmt: skip
            return
        engine = self._engine()
        if engine is None or job is None:
            return
        requests = self.services.jobs.requests
        recursive, policy, target = requests.get(job_id, (False, ConflictPolicy.ASK, None))
        if job.failures:
            pairs = [(f.src, f.dst, False) for f in job.failures]
        else:
            pairs = [(job.src, job.dst, recursive)]
        queued = 0
        ask = self.screen.app.resolve_conflict
        for src, dst, deep in pairs:
            try:
                again = engine.submit(src, dst, recursive=deep, if_exists=policy,
                                      resolve_conflict=ask)  # fmt: skip
            except OssBrowseError as exc:
                self.services.show_error(exc)
                continue
            queued += 1
            requests[again.id] = (deep, policy, target)
            if target is not None:
                self.services.jobs.targets[again.id] = target
        if queued:
            self.screen.notify(f"Retrying {counted(queued, 'failed item')}.", markup=False)

    def task_call(self, verb: str, job_id: str | None = None) -> None:
        """Pause, resume or cancel one task by id, or every task (no id), in a thread worker."""
        self.screen.run_worker(partial(self._task_call, verb, job_id), thread=True,
                               exit_on_error=False, group="engine")  # fmt: skip

    def _task_call(self, verb: str, job_id: str | None) -> None:
        runner = self.services.tasks
        if job_id is None:
            every = {"pause": runner.pause_all, "resume": runner.resume_all,
                     "cancel": runner.cancel_all}  # fmt: skip
            every[verb]()
        else:
            one = {"pause": runner.pause, "resume": runner.resume, "cancel": runner.cancel}
            one[verb](job_id)

    def toggle_panel(self) -> None:
        panel = self.panel
        panel.display = not panel.display
        # At once (not `focus()`, which waits behind keys already queued): a key typed right
        # behind t reaches the panel, or the pane.
        if panel.display:
            self.screen.set_focus(panel.table)
        else:
            self.screen.set_focus(self.screen.active.file_list)
