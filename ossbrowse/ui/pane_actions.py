"""What the keys do to entries: copy, move, mkdir, delete, view, edit, inspect, restore, presign.

A mixin of `MainScreen`. Every blocking call runs in a thread worker; a worker's error reaches
the app's one error handler (`OssBrowseApp.on_worker_state_changed`). Copies and moves go to
the transfer engine; its events come back through `handle_transfer`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from ossbrowse.errors import OssBrowseError, ReadOnlyError
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import JobState
from ossbrowse.ui import expensive
from ossbrowse.ui.dialogs.copy import CopyDialog, CopyRequest
from ossbrowse.ui.dialogs.presign import PresignDialog
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.dialogs.restore import RestoreDialog, RestoreRequest
from ossbrowse.ui.fileops import delete_tree, target_path
from ossbrowse.ui.inspector import Inspector
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.transfer_panel import TransferPanel
from ossbrowse.ui.viewer import Viewer

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

    def action_copy(self) -> None:
        entries = self._selection()
        if entries:
            self.open_copy_dialog(self.active, entries, self.other.path)  # type: ignore[attr-defined]

    def open_copy_dialog(self, source: Pane, entries: list[Entry], destination: str) -> None:
        if any(e.kind is EntryKind.BUCKET for e in entries):
            self.notify("Buckets cannot be copied; open one and copy what is inside.",
                        severity="warning", markup=False)  # fmt: skip
            return

        def chosen(request: CopyRequest | None) -> None:
            if request is not None:
                self.submit_copies(request)
                source.file_list.model.clear_marks()
                source.file_list.rows_changed()

        self.app.push_screen(CopyDialog(entries, destination), chosen)

    def submit_copies(self, request: CopyRequest, move: bool = False) -> list[Any]:
        engine = self._engine()
        if engine is None:
            return []
        try:
            dest_fs = self.sides.for_path(request.destination)  # type: ignore[attr-defined]
            if not is_oss_path(request.destination):
                from ossbrowse.mount import ensure_writable

                ensure_writable(request.destination)  # no writes through a read-only mount
        except OssBrowseError as exc:
            self.app.show_error(exc)  # type: ignore[attr-defined]
            return []
        jobs = []
        for entry in request.sources:
            dst = target_path(dest_fs, request.destination, entry)
            try:
                job = engine.submit(
                    entry.path,
                    dst,
                    recursive=entry.is_dir,
                    if_exists=request.policy,
                    resolve_conflict=self.app.resolve_conflict,  # type: ignore[attr-defined]
                )
            except OssBrowseError as exc:
                self.app.show_error(exc)  # type: ignore[attr-defined]
                continue
            jobs.append(job)
            self.app.job_targets[job.id] = request.destination  # type: ignore[attr-defined]
            if move:
                self.app.pending_moves[job.id] = entry  # type: ignore[attr-defined]
        if jobs:
            verb = "Moving" if move else "Copying"
            self.notify(f"{verb} {len(jobs)} item(s); t shows the transfers.", markup=False)
        return jobs

    def action_move(self) -> None:
        entries = self._selection()
        if not entries:
            return
        if any(e.kind is EntryKind.BUCKET for e in entries):
            self.notify("Buckets cannot be moved.", severity="warning", markup=False)
            return
        source = self.active  # type: ignore[attr-defined]

        def chosen(request: CopyRequest | None) -> None:
            if request is None:
                return
            destination = request.destination
            if len(entries) == 1 and "/" not in destination and not is_oss_path(destination):
                # A bare name: rename in place.
                self._rename(source, entries[0], destination, request)
                return

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.submit_copies(request, move=True)
                    source.file_list.model.clear_marks()
                    source.file_list.rows_changed()

            dialog = expensive.move_dialog(entries, destination, self.sides.for_path)  # type: ignore[attr-defined]
            self.app.push_screen(dialog, confirmed)

        self.app.push_screen(
            CopyDialog(entries, self.other.path, verb="Move"),  # type: ignore[attr-defined]
            chosen,
        )

    def _rename(self, pane: Pane, entry: Entry, new_name: str, request: CopyRequest) -> None:
        fs = pane.fs
        folder = pane.path
        target = fs.join(folder, new_name)
        if entry.is_dir and is_oss_path(target):
            target += "/"
        renamed = CopyRequest([entry], folder, request.policy)

        def confirmed(ok: bool | None) -> None:
            if not ok:
                return
            engine = self._engine()
            if engine is None:
                return
            job = engine.submit(entry.path, target, recursive=entry.is_dir,
                                if_exists=renamed.policy,
                                resolve_conflict=self.app.resolve_conflict)  # fmt: skip
            self.app.job_targets[job.id] = folder
            self.app.pending_moves[job.id] = entry

        self.app.push_screen(expensive.move_dialog([entry], target, self.sides.for_path), confirmed)

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
        if job.state is JobState.FAILED:
            message = job.error or "the transfer failed"
            self.notify(f"Transfer failed: {safe_text(message)}", severity="error",
                        markup=False, timeout=8)  # fmt: skip
        target = self.app.job_targets.pop(job.id, None)  # type: ignore[attr-defined]
        for pane in self._panes_showing(target or ""):
            pane.reload()
        moved = self.app.pending_moves.pop(job.id, None)  # type: ignore[attr-defined]
        if moved is not None and job.state is JobState.DONE and not job.failures:
            self._delete_entries([moved], reload_pane=None)

    def on_transfer_panel_action(self, message: TransferPanel.Action) -> None:
        engine = self._engine()
        if engine is not None:
            self._engine_call(message.verb, message.job_id)

    @work(thread=True, exit_on_error=False, group="engine")
    def _engine_call(self, verb: str, job_id: str | None = None) -> None:
        engine = self.app.engine  # type: ignore[attr-defined]
        if job_id is None:
            getattr(engine, verb)()
        else:
            getattr(engine, verb)(job_id)

    def action_toggle_transfers(self) -> None:
        panel = self.transfers  # type: ignore[attr-defined]
        panel.display = not panel.display
        if panel.display:
            panel.table.focus()
        else:
            self.active.file_list.focus()  # type: ignore[attr-defined]

    def action_pause_all(self) -> None:
        if self._engine() is not None:
            self._engine_call("pause_all")

    def action_resume_all(self) -> None:
        if self._engine() is not None:
            self._engine_call("resume_all")

    def action_cancel_all(self) -> None:
        if self._engine() is not None:
            self._engine_call("cancel_all")

    # -- delete and mkdir --------------------------------------------------------------------

    def action_delete(self) -> None:
        entries = self._selection()
        if not entries:
            return
        if any(e.kind is EntryKind.BUCKET for e in entries):
            self.notify("ossbrowse does not delete buckets.", severity="warning", markup=False)
            return
        pane = self.active  # type: ignore[attr-defined]

        def confirmed(ok: bool | None) -> None:
            if ok:
                pane.file_list.model.clear_marks()
                self._delete_entries(entries, reload_pane=pane)

        self.app.push_screen(expensive.delete_dialog(entries, self.sides.for_path), confirmed)

    def _delete_entries(self, entries: list[Entry], reload_pane: Pane | None) -> None:
        self._delete_worker(entries, reload_pane)

    @work(thread=True, exit_on_error=False, group="delete")
    def _delete_worker(self, entries: list[Entry], reload_pane: Pane | None) -> None:
        worker = get_current_worker()
        count = 0
        try:
            for entry in entries:
                if worker.is_cancelled:
                    break
                fs = self.sides.for_path(entry.path)  # type: ignore[attr-defined]
                count += delete_tree(fs, entry, lambda: worker.is_cancelled)
        finally:
            self.app.call_from_thread(self._after_delete, entries, count, reload_pane)

    def _after_delete(self, entries: list[Entry], count: int, pane: Pane | None) -> None:
        if pane is not None:
            pane.reload()
        else:
            folders = {self.sides.for_path(e.path).parent(e.path) for e in entries}  # type: ignore[attr-defined]
            for folder in folders:
                for shown in self._panes_showing(folder or ""):
                    shown.reload()
        if count:
            self.notify(f"Deleted {count} item(s).", markup=False)

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
        if entry.is_archived and not entry.restore.readable:
            self.notify(
                f"{safe_text(entry.name)} is {entry.storage_class} and not restored: press r to "
                "restore it, then view it when the restore is done.",
                severity="warning",
                markup=False,
            )
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

    # -- restore -----------------------------------------------------------------------------

    def action_restore(self) -> None:
        entries = [e for e in self.active.file_list.selection() if e.is_archived]  # type: ignore[attr-defined]
        if not entries:
            self.notify("Nothing archived here: restore is for Archive and Cold Archive objects.",
                        severity="warning", markup=False)  # fmt: skip
            return
        restorer = self.app.restorer  # type: ignore[attr-defined]
        if restorer is None:
            self.app.show_error(OssBrowseError("No OSS connection to restore with."))  # type: ignore[attr-defined]
            return
        pane = self.active  # type: ignore[attr-defined]

        def chosen(request: RestoreRequest | None) -> None:
            if request is not None:
                self._restore_worker(pane, request)

        self.app.push_screen(RestoreDialog(entries), chosen)

    @work(thread=True, exit_on_error=False, group="restore")
    def _restore_worker(self, pane: Pane, request: RestoreRequest) -> None:
        restorer = self.app.restorer  # type: ignore[attr-defined]
        fs = pane.fs
        fresh = []
        for entry in request.entries:
            restorer(entry.path, entry.storage_class, request.days, request.tier)
            fresh.append(fs.stat(entry.path))
        self.app.call_from_thread(self._after_restore, pane, fresh)

    def _after_restore(self, pane: Pane, fresh: list[Entry]) -> None:
        for entry in fresh:
            pane.file_list.model.replace(entry)
        pane.file_list.rows_changed()
        self.notify(f"Restore started for {len(fresh)} object(s).", markup=False)

    # -- edit --------------------------------------------------------------------------------

    def action_edit(self) -> None:
        entry = self.current_entry()  # type: ignore[attr-defined]
        pane = self.active  # type: ignore[attr-defined]
        if entry is None or entry.is_dir:
            self.notify("Edit works on a file or object.", severity="warning", markup=False)
            return
        if not is_oss_path(entry.path):
            self._run_editor(entry.path)
            pane.reload()
            return
        if getattr(pane.fs, "read_only", False):
            self.app.show_error(ReadOnlyError("This session is read-only: nothing is uploaded."))  # type: ignore[attr-defined]
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._download_for_edit(pane, entry)

        self.app.push_screen(expensive.edit_dialog(entry), confirmed)

    def _run_editor(self, path: str) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        if shutil.which(editor.split()[0]) is None:
            self.notify(f"Editor {editor!r} not found: set $EDITOR.", severity="error",
                        markup=False)  # fmt: skip
            return
        with self.app.suspend():
            subprocess.run([*editor.split(), path], check=False)

    @work(thread=True, exit_on_error=False, group="edit")
    def _download_for_edit(self, pane: Pane, entry: Entry) -> None:
        fs = pane.fs
        handle, temp = tempfile.mkstemp(prefix="ossbrowse-edit-", suffix="-" + _safe_suffix(entry))
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out, fs.open_read(entry.path) as stream:
            while chunk := stream.read(1 << 20):
                out.write(chunk)
                digest.update(chunk)
        self.app.call_from_thread(self._edit_downloaded, pane, entry, temp, digest.hexdigest())

    def _edit_downloaded(self, pane: Pane, entry: Entry, temp: str, before: str) -> None:
        self._run_editor(temp)
        digest = hashlib.sha256()
        with open(temp, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        after = digest.hexdigest()
        if after == before:
            os.unlink(temp)
            self.notify("No change: nothing uploaded.", markup=False)
            return
        engine = self._engine()
        if engine is None:
            return
        from ossbrowse.transfer.events import ConflictPolicy

        job = engine.submit(temp, entry.path, if_exists=ConflictPolicy.OVERWRITE)
        self.app.job_targets[job.id] = pane.path  # type: ignore[attr-defined]
        self.app.temp_files[job.id] = temp  # type: ignore[attr-defined]
        self.notify("Uploading the edited object.", markup=False)


def _safe_suffix(entry: Entry) -> str:
    # Keep the extension (editors pick a mode from it) but nothing path-like from the key.
    base = os.path.basename(entry.name.replace("\\", "/"))
    ext = os.path.splitext(base)[1]
    return ext if ext.isascii() and ext[1:].isalnum() else ".txt"
