"""Keys MC and oss-browser users expect: rename in place, edit properties, folder size on demand.

A mixin of `MainScreen`, kept apart from `pane_actions.py` and `ops_actions.py` so each stays
one job: this one reuses their move dialog and mover (rename), and adds the property editor
(`ops.properties`) and the on-demand folder size (`ops.folder_size`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.text import safe_text
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.write_gate import writes

if TYPE_CHECKING:
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
    """Mixed into MainScreen (active, other, left, right, sides, app, current_entry, _rename)."""

    # -- rename in place (MC's Shift+F6) ---------------------------------------------------

    @writes("rename", where=lambda self: self.active.path)
    def action_rename_in_place(self) -> None:
        entry: Entry | None = self.current_entry()  # type: ignore[attr-defined]
        pane: Pane = self.active  # type: ignore[attr-defined]
        if entry is None:
            self.notify("Put the cursor on a file or folder to rename.",  # type: ignore[attr-defined]
                        severity="warning", markup=False)  # fmt: skip
            return
        if entry.kind is EntryKind.BUCKET:
            self.notify("Buckets cannot be renamed.", severity="warning", markup=False)  # type: ignore[attr-defined]
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
                self.notify(problem, severity="warning", markup=False)  # type: ignore[attr-defined]
                return
            self._rename(pane, entry, name)  # type: ignore[attr-defined]

        hint = "The new name, in this folder (F6 moves to another folder)."
        if is_oss_path(entry.path):
            hint += " OSS has no rename: it is a copy and a delete, priced first."
        self.app.push_screen(PromptDialog(f"Rename {safe_text(old)}", hint, value=old), chosen)  # type: ignore[attr-defined]

    # -- name clashes of a copy: asked once --------------------------------------------------

    def clash_resolver(self) -> Any:
        """The `resolve_conflict` of one copy request's jobs (see `ui.clash`)."""
        from ossbrowse.ui.clash import ClashResolver

        def cancel_jobs(job_ids: list[str]) -> None:
            for job_id in job_ids:
                self.app.call_from_thread(self._engine_call, "cancel", job_id)  # type: ignore[attr-defined]

        return ClashResolver(self._ask, cancel_jobs)  # type: ignore[attr-defined]

    # -- folder size on demand (MC's Ctrl+Space) -------------------------------------------

    def action_folder_size(self) -> None:
        pane: Pane = self.active  # type: ignore[attr-defined]
        entry: Entry | None = self.current_entry()  # type: ignore[attr-defined]
        if entry is None or not (entry.is_dir or entry.kind is EntryKind.BUCKET):
            self.notify("Put the cursor on a folder or bucket to count its size.",  # type: ignore[attr-defined]
                        severity="warning", markup=False)  # fmt: skip
            return
        self.notify(f"Counting {safe_text(entry.name)}... (Esc stops)", markup=False)  # type: ignore[attr-defined]
        self._folder_size_worker(pane, entry)

    @work(thread=True, exclusive=True, exit_on_error=False, group="folder-size")
    def _folder_size_worker(self, pane: Pane, entry: Entry) -> None:
        from ossbrowse.ops.folder_size import folder_size

        worker = get_current_worker()
        bucket_for = self.app.bucket_for  # type: ignore[attr-defined]
        total = folder_size(entry.path, bucket_for, cancelled=lambda: worker.is_cancelled)
        if total is None:
            return
        self.app.call_from_thread(self._show_folder_size, pane, entry, total)  # type: ignore[attr-defined]

    def _show_folder_size(self, pane: Pane, entry: Entry, total: Any) -> None:
        model = pane.file_list.model
        if model.index_of(entry.path) is not None:
            model.replace(replace(entry, size=total.bytes))
            pane.file_list.refresh()
        if total.whole_bucket:
            self.bucket_totals[total.bucket] = total
        self._refresh_status()  # type: ignore[attr-defined]
        self.notify(f"{safe_text(entry.name)}: {total.describe()}", markup=False)  # type: ignore[attr-defined]

    def cancel_folder_size(self) -> bool:
        """Esc: stop a running count; True if one was running."""
        running = [w for w in self.workers if w.group == "folder-size" and not w.is_finished]  # type: ignore[attr-defined]
        for w in running:
            w.cancel()
        return bool(running)

    # -- object properties -----------------------------------------------------------------

    @writes("change properties", where=lambda self: self.active.path)
    def action_properties(self) -> None:
        entry: Entry | None = self.current_entry()  # type: ignore[attr-defined]
        if entry is None or entry.kind is not EntryKind.FILE or not is_oss_path(entry.path):
            self.notify("Properties are for OSS objects: put the cursor on one.",  # type: ignore[attr-defined]
                        severity="warning", markup=False)  # fmt: skip
            return
        if self.app.bucket_for is None:  # type: ignore[attr-defined]
            self.app.show_error(OssBrowseError("No OSS connection to change properties with."))  # type: ignore[attr-defined]
            return
        from ossbrowse.ui.dialogs.properties import PropertiesDialog

        pane: Pane = self.active  # type: ignore[attr-defined]
        self.app.push_screen(PropertiesDialog(entry, self.app.bucket_for), lambda changed: (  # type: ignore[attr-defined]
            pane.reload() if changed else None))  # fmt: skip

    def with_bucket_total(self, transfers: str) -> str:
        """The status line's last part: the active bucket's totals (once counted), transfers."""
        total = self.bucket_total_text(self.active)  # type: ignore[attr-defined]
        separator = " | " if self.ascii_only else " \u2502 "  # type: ignore[attr-defined]
        return separator.join(part for part in (total, transfers) if part)

    def bucket_total_text(self, pane: Pane) -> str:
        """The status line's "bucket: N objects, X" once the bucket has been counted."""
        if not is_oss_path(pane.path) or pane.path == "oss://":
            return ""
        name = pane.path[len("oss://") :].partition("/")[0]
        total = self.bucket_totals.get(name)
        return f"bucket: {total.describe()}" if total is not None else ""

    @property
    def bucket_totals(self) -> dict[str, Any]:
        totals = self.__dict__.get("_bucket_totals")
        if totals is None:
            totals = self.__dict__["_bucket_totals"] = {}
        return totals
