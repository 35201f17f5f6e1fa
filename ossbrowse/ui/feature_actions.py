"""Keys MC and oss-browser users expect: rename in place, edit properties, folder size on demand.

Owned by the main screen (`screen.features`), kept apart from the copy and the operations'
actions so each stays one job: this one reuses the move path (rename), and adds the property
editor (`ops.properties`) and the on-demand folder size (`ops.folder_size`).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.text import safe_text
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.write_gate import writes

if TYPE_CHECKING:
    from ossbrowse.ops.folder_size import FolderTotal
    from ossbrowse.ui.clash import ClashResolver
    from ossbrowse.ui.main_screen import MainScreen
    from ossbrowse.ui.pane import Pane


def rename_problem(name: str) -> str | None:
    """Why `name` cannot be a new name in the same folder, or None."""
    if not name:
        return "Give a name."
    if "/" in name:
        return "A name cannot hold /: to move into another folder, use F6 (m)."
    if name in (".", ".."):
        return "A name cannot be . or .."
    return None


class FeatureActions:
    """Rename in place, folder size, properties and the bucket totals of one main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.services = screen.services
        self.bucket_totals: dict[str, FolderTotal] = {}  # bucket -> its counted size

    @property
    def gate_owner(self) -> MainScreen:
        return self.screen

    def _warn(self, text: str) -> None:
        self.screen.notify(text, severity="warning", markup=False)

    # -- rename in place (MC's Shift+F6) ---------------------------------------------------

    @writes("rename", where=lambda self: self.screen.active.path)
    def rename_in_place(self) -> None:
        screen = self.screen
        entry = screen.current_entry()
        pane = screen.active
        if entry is None:
            self._warn("Put the cursor on a file or folder to rename.")
            return
        if entry.kind is EntryKind.BUCKET:
            self._warn("Buckets cannot be renamed.")
            return
        old = entry.name.rstrip("/") or entry.name

        def chosen(text: str | None) -> None:
            if text is None:
                return
            name = text.strip().rstrip("/") if entry.is_dir else text.strip()
            if name == old:
                return
            problem = rename_problem(name)
            if problem:
                self._warn(problem)
                return
            screen.ops.rename(pane, entry, name)

        hint = "The new name, in this folder (F6 moves to another folder)."
        if is_oss_path(entry.path):
            hint += " OSS has no rename: it is a copy and a delete, priced first."
        screen.app.push_screen(PromptDialog(f"Rename {safe_text(old)}", hint, value=old), chosen)

    # -- name clashes of a copy: asked once --------------------------------------------------

    def clash_resolver(self) -> ClashResolver:
        """The `resolve_conflict` of one copy request's jobs (see `ui.clash`)."""
        from ossbrowse.ui.clash import ClashResolver

        screen = self.screen

        def cancel_jobs(job_ids: list[str]) -> None:
            for job_id in job_ids:
                screen.app.call_from_thread(screen.transfer_control.task_call, "cancel", job_id)

        return ClashResolver(screen.ops.ask, cancel_jobs)

    # -- folder size on demand (MC's Ctrl+Space) -------------------------------------------

    def folder_size(self) -> None:
        pane = self.screen.active
        entry = self.screen.current_entry()
        if entry is None or not (entry.is_dir or entry.kind is EntryKind.BUCKET):
            self._warn("Put the cursor on a folder or bucket to count its size.")
            return
        self.screen.notify(f"Counting {safe_text(entry.name)}... (Esc stops)", markup=False)
        self.screen.run_worker(partial(self._count, pane, entry), thread=True, exclusive=True,
                               exit_on_error=False, group="folder-size")  # fmt: skip

    def _count(self, pane: Pane, entry: Entry) -> None:  # in a thread worker
        from ossbrowse.ops.folder_size import folder_size

        worker = get_current_worker()
        total = folder_size(
            entry.path, self.services.bucket_for, cancelled=lambda: worker.is_cancelled
        )
        if total is None:
            return
        self.screen.app.call_from_thread(self._show_folder_size, pane, entry, total)

    def _show_folder_size(self, pane: Pane, entry: Entry, total: FolderTotal) -> None:
        model = pane.file_list.model
        if model.index_of(entry.path) is not None:
            model.replace(entry.replace(size=total.bytes))
            pane.file_list.refresh()
        if total.whole_bucket and total.bucket:
            self.bucket_totals[total.bucket] = total
        self.screen.refresh_status()
        self.screen.notify(f"{safe_text(entry.name)}: {total.describe()}", markup=False)

    def cancel_folder_size(self) -> bool:
        """Esc: stop a running count; True if one was running."""
        running = [w for w in self.screen.workers
                   if w.group == "folder-size" and not w.is_finished]  # fmt: skip
        for w in running:
            w.cancel()
        return bool(running)

    # -- object properties -----------------------------------------------------------------

    @writes("change properties", where=lambda self: self.screen.active.path)
    def properties(self) -> None:
        entry = self.screen.current_entry()
        if entry is None or entry.kind is not EntryKind.FILE or not is_oss_path(entry.path):
            self._warn("Properties are for OSS objects: put the cursor on one.")
            return
        bucket_for = self.services.bucket_for
        if bucket_for is None:
            self.services.show_error(OssBrowseError("No OSS connection to change properties with."))
            return
        from ossbrowse.ui.dialogs.properties import PropertiesDialog

        pane = self.screen.active

        def changed(done: bool | None) -> None:
            if done:
                pane.reload()

        self.screen.app.push_screen(PropertiesDialog(entry, bucket_for), changed)

    # -- the status line's bucket totals ---------------------------------------------------

    def with_bucket_total(self, transfers: str) -> str:
        """The status line's last part: the active bucket's totals (once counted), transfers."""
        total = self.bucket_total_text(self.screen.active)
        separator = " | " if self.services.ascii_only else " \u2502 "
        return separator.join(part for part in (total, transfers) if part)

    def bucket_total_text(self, pane: Pane) -> str:
        """The status line's "bucket: N objects, X" once the bucket has been counted."""
        if not is_oss_path(pane.path) or pane.path == "oss://":
            return ""
        name = pane.path[len("oss://") :].partition("/")[0]
        total = self.bucket_totals.get(name)
        return f"bucket: {total.describe()}" if total is not None else ""
