"""What the keys do to entries: copy, mkdir, view, inspect, presign; the transfer panel's keys.

A mixin of `MainScreen` (move, delete, edit and restore are in `ops_actions.py`). Every blocking
call runs in a thread worker; a worker's error reaches the app's one error handler
(`OssBrowseApp.on_worker_state_changed`). Copies go to the transfer engine; they, like every
other task, run on the session's one runner, whose events come back through `handle_transfer`
and whose tasks are paused, resumed and cancelled by id whatever their kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.tasks import TaskState
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui.dialogs.copy import CopyDialog, CopyRequest
from ossbrowse.ui.dialogs.presign import PresignDialog
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.fileops import delete_tree, target_path
from ossbrowse.ui.inspector import Inspector
from ossbrowse.ui.rows import is_unreadable
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.transfer_panel import TransferPanel
from ossbrowse.ui.viewer import Viewer
from ossbrowse.ui.words import counted
from ossbrowse.ui.write_gate import check_writable, gate_then, writes

if TYPE_CHECKING:
    from ossbrowse.ui.pane import Pane


class PaneActions:
    """Mixed into MainScreen (which provides active, other, left, right, transfers, app)."""

    # -- helpers -----------------------------------------------------------------------------

    def _selection(self) -> list[Entry]:
        entries = self.active.file_list.selection()  # type: ignore[attr-defined]
        if not entries:
            self.notify("Nothing here to act on.", severity="warning", markup=False)
        return entries

    def _engine(self) -> Any:
        engine = self.app.engine  # type: ignore[attr-defined]
        if engine is None:
            self.app.show_error(  # type: ignore[attr-defined]
                OssBrowseError("The transfer engine is not available in this session.")
            )
        return engine

    def _panes_showing(self, path: str) -> list[Pane]:
        return [p for p in (self.left, self.right) if p.path == path]  # type: ignore[attr-defined]

    # -- copy and move -----------------------------------------------------------------------

    @writes("copy", where=lambda self: self.other.path)
    def action_copy(self) -> None:
        entries = self._selection()
        if entries:
            self.open_copy_dialog(self.active, entries, self.other.path)  # type: ignore[attr-defined]

    @writes("copy", where=lambda self, source, entries, destination: destination)
    def open_copy_dialog(self, source: Pane, entries: list[Entry], destination: str) -> None:
        if any(e.kind is EntryKind.BUCKET for e in entries):
            self.notify("Buckets cannot be copied; open one and copy what is inside.",
                        severity="warning", markup=False)  # fmt: skip
            return
        unreadable = [e for e in entries if is_unreadable(e)]
        if unreadable:
            # Archived objects cannot be read until restored: they get the restore dialog,
            # with "download when ready" to this destination; the rest are copied now.
            entries = [e for e in entries if not is_unreadable(e)]
            self.ops.restore_then(  # type: ignore[attr-defined]
                source,
                unreadable,
                download_to=destination,
                then=lambda ready: self._copy_dialog(source, ready, destination),
            )
        if entries:
            self._copy_dialog(source, entries, destination)

    def _copy_dialog(self, source: Pane, entries: list[Entry], destination: str) -> None:

        def chosen(request: CopyRequest | None) -> None:
            if request is not None:
                source.file_list.model.clear_marks()
                source.file_list.rows_changed()
                # The destination was editable: its mount is known before submitting, without
                # a lookup on this thread (submit_copies then finds the gate's answer).
                gate_then(self.app, "copy", request.destination,
                          lambda: self.submit_copies(request))  # fmt: skip

        self.app.push_screen(CopyDialog(entries, destination), chosen)

    def submit_copies(self, request: CopyRequest) -> list[Any]:
        engine = self._engine()
        if engine is None:
            return []
        try:
            dest_fs = self.sides.for_path(request.destination)  # type: ignore[attr-defined]
            # The destination was editable: the gate is asked again for the one chosen.
            check_writable(self.app, "copy", request.destination)
        except OssBrowseError as exc:
            self.app.show_error(exc)  # type: ignore[attr-defined]
            return []
        jobs = []
        clashes = self.clash_resolver()  # type: ignore[attr-defined]
        for entry in request.sources:
            dst = target_path(dest_fs, request.destination, entry)
            try:
                job = engine.submit(
                    entry.path,
                    dst,
                    recursive=entry.is_dir,
                    if_exists=request.policy,
                    resolve_conflict=clashes,
                )
            except OssBrowseError as exc:
                self.app.show_error(exc)  # type: ignore[attr-defined]
                continue
            jobs.append(job)
            clashes.job_ids.append(job.id)
            self.app.job_targets[job.id] = request.destination  # type: ignore[attr-defined]
            self.app.job_requests[job.id] = (entry.is_dir, request.policy,  # type: ignore[attr-defined]
                                             request.destination)  # fmt: skip
        if jobs:
            items = counted(len(jobs), "item")
            self.notify(f"Copying {items}; t shows the transfers.", markup=False)
        return jobs

    def submit_resume(self, info: Any) -> None:
        """Run an interrupted transfer of an earlier session again (its checkpoint is kept)."""
        engine = self._engine()
        if engine is None:
            return
        try:
            job = engine.resume_unfinished(info)
        except OssBrowseError as exc:
            self.app.show_error(exc)  # type: ignore[attr-defined]
            return
        parent = str(info.dst).rstrip("/").rpartition("/")[0]
        self.app.job_targets[job.id] = parent + ("/" if is_oss_path(parent) else "")  # type: ignore[attr-defined]

    def handle_transfer(self, job: Any, state_changed: bool) -> None:
        """An engine event, on the UI thread: redraw the panel; after a finish, reload."""
        self.transfers.update_job(job)  # type: ignore[attr-defined]
        self._refresh_status()  # type: ignore[attr-defined]
        if not state_changed or not job.state.finished:
            return
        if job.state is TaskState.FAILED:
            message = job.error or "the transfer failed"
            self.notify(f"Transfer failed: {safe_text(message)}", severity="error",
                        markup=False, timeout=8)  # fmt: skip
        targets = self.app.job_targets.pop(job.id, None)  # type: ignore[attr-defined]
        if isinstance(targets, str):
            targets = [targets]
        for target in targets or ():
            for pane in self._panes_showing(target):
                pane.reload()

    def on_transfer_panel_action(self, message: TransferPanel.Action) -> None:
        if message.verb == "retry":
            self.retry_failed(message.job_id)
        else:
            self._task_call(message.verb, message.job_id)

    def retry_failed(self, job_id: str) -> None:
        """Queue again what failed in a job: its failed files, or the whole job if it failed
        before any file was known. New rows in the panel; the old one keeps its story."""
        job = self.transfers.jobs.get(job_id)  # type: ignore[attr-defined]
        if job is not None and job.kind != "copy":
            self.notify("Start the move or delete again from the pane: it picks up where it "
                        "stopped.", severity="warning", markup=False)  # fmt: skip
            return
        engine = self._engine()
        if engine is None or job is None:
            return
        requests = self.app.job_requests  # type: ignore[attr-defined]
        recursive, policy, target = requests.get(job_id, (False, ConflictPolicy.ASK, None))
        if job.failures:
            pairs = [(f.src, f.dst, False) for f in job.failures]
        else:
            pairs = [(job.src, job.dst, recursive)]
        queued = 0
        for src, dst, deep in pairs:
            try:
                again = engine.submit(src, dst, recursive=deep, if_exists=policy,
                                      resolve_conflict=self.app.resolve_conflict)  # type: ignore[attr-defined]  # fmt: skip
            except OssBrowseError as exc:
                self.app.show_error(exc)  # type: ignore[attr-defined]
                continue
            queued += 1
            requests[again.id] = (deep, policy, target)
            if target is not None:
                self.app.job_targets[again.id] = target  # type: ignore[attr-defined]
        if queued:
            self.notify(f"Retrying {counted(queued, 'failed item')}.", markup=False)

    @work(thread=True, exit_on_error=False, group="engine")
    def _task_call(self, verb: str, job_id: str | None = None) -> None:
        """Pause, resume or cancel one task by id, or every task (no id): copies, moves,
        deletes and restores alike, on the one runner."""
        runner = self.app.tasks  # type: ignore[attr-defined]
        if job_id is None:
            every = {"pause": runner.pause_all, "resume": runner.resume_all,
                     "cancel": runner.cancel_all}  # fmt: skip
            every[verb]()
        else:
            one = {"pause": runner.pause, "resume": runner.resume, "cancel": runner.cancel}
            one[verb](job_id)

    def action_toggle_transfers(self) -> None:
        panel = self.transfers  # type: ignore[attr-defined]
        panel.display = not panel.display
        if panel.display:
            panel.table.focus()
        else:
            self.active.file_list.focus()  # type: ignore[attr-defined]

    def action_pause_all(self) -> None:
        self._task_call("pause")

    def action_resume_all(self) -> None:
        self._task_call("resume")

    def action_cancel_all(self) -> None:
        self._task_call("cancel")

    # -- delete and mkdir --------------------------------------------------------------------

    def _delete_entries(self, entries: list[Entry], reload_pane: Pane | None) -> None:
        """A delete confirmed without a price (local entries): a task on the one runner like
        every other, listed, pausable and cancellable between entries."""
        from ossbrowse.ops.task_bodies import local_delete_body
        from ossbrowse.tasks import Task

        sides = self.sides  # type: ignore[attr-defined]
        by_path = {e.path: e for e in entries}

        def delete(path: str, cancelled: Any) -> int:
            return delete_tree(sides.for_path(path), by_path[path], cancelled)

        label = entries[0].path if len(entries) == 1 else f"{len(entries)} entries"
        task = self.app.tasks.submit(  # type: ignore[attr-defined]
            Task("delete", label, "", unit="item"), local_delete_body(list(by_path), delete)
        )
        if reload_pane is not None:
            folders = [reload_pane.path]
        else:
            folders = [sides.for_path(e.path).parent(e.path) or "" for e in entries]
        self.app.job_targets[task.id] = list(dict.fromkeys(folders))  # type: ignore[attr-defined]

    @writes("create folders", where=lambda self: self.active.path)
    def action_mkdir(self) -> None:
        pane = self.active  # type: ignore[attr-defined]
        if pane.path == "oss://":
            self.notify("Buckets are created in the console or with ossutil.",
                        severity="warning", markup=False)  # fmt: skip
            return

        def chosen(name: str | None) -> None:
            if name:
                if "/" in name.strip("/") or name in (".", ".."):
                    self.notify("A folder name cannot hold / or be . or ..", severity="warning",
                                markup=False)  # fmt: skip
                    return
                self._mkdir_worker(pane, name.strip("/"))

        self.app.push_screen(PromptDialog("New folder", "The name of the folder to create"),
                             chosen)  # fmt: skip

    @work(thread=True, exit_on_error=False, group="mkdir")
    def _mkdir_worker(self, pane: Pane, name: str) -> None:
        fs = pane.fs
        path = fs.join(pane.path, name)
        if is_oss_path(path):
            path += "/"
        fs.mkdir(path)
        self.app.call_from_thread(pane.open, pane.path, path)

    # -- looking: view, inspect, presign -----------------------------------------------------

    def action_view(self) -> None:
        entry = self.current_entry()  # type: ignore[attr-defined]
        if entry is None or entry.is_dir:
            self.notify("View works on a file or object.", severity="warning", markup=False)
            return
        self.view_entry(self.active, entry)  # type: ignore[attr-defined]

    def view_entry(self, pane: Pane, entry: Entry) -> None:
        if is_unreadable(entry):
            # Archived: a HEAD tells whether it is restored; if not, the restore dialog opens.
            self.ops.restore_then(  # type: ignore[attr-defined]
                pane, [entry], then=lambda ready: self.app.push_screen(Viewer(pane.fs, ready[0]))
            )
            return
        from ossbrowse.ui.image_view import ImageViewer, is_image_name

        if is_image_name(entry.name):
            ascii_only = bool(getattr(self, "ascii_only", False))
            self.app.push_screen(ImageViewer(pane.fs, entry, ascii_only=ascii_only))
            return
        self.app.push_screen(Viewer(pane.fs, entry))

    def action_inspect(self) -> None:
        entry = self.current_entry()  # type: ignore[attr-defined]
        if entry is None:
            return
        self.app.push_screen(Inspector(self.active.fs, entry))  # type: ignore[attr-defined]

    def action_presign(self) -> None:
        entry = self.current_entry()  # type: ignore[attr-defined]
        presigner = self.app.presigner  # type: ignore[attr-defined]
        if entry is None or entry.is_dir or not is_oss_path(entry.path):
            self.notify("Presigned URLs are for OSS objects: put the cursor on one.",
                        severity="warning", markup=False)  # fmt: skip
            return
        if presigner is None:
            self.app.show_error(OssBrowseError("No OSS connection to sign with."))  # type: ignore[attr-defined]
            return
        self.app.push_screen(PresignDialog(entry.path, presigner))
