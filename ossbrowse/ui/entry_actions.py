"""What the keys do to the active pane's entries: copy, mkdir, delete (local), view, inspect,
presign.

Owned by the main screen (`screen.entries`); move, delete, edit and restore of OSS objects are
in `ops_actions.py`, the transfers in `transfer_control.py`. Every blocking call runs in a thread
worker of the screen, whose failures reach `services.show_error` once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.ui.dialogs.copy import CopyDialog, CopyRequest
from ossbrowse.ui.dialogs.presign import PresignDialog
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.fileops import delete_tree
from ossbrowse.ui.inspector import Inspector
from ossbrowse.ui.rows import is_unreadable
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.viewer import Viewer
from ossbrowse.ui.write_gate import gate_then, writes

if TYPE_CHECKING:
    from ossbrowse.ui.main_screen import MainScreen
    from ossbrowse.ui.pane import Pane


class EntryActions:
    """The active pane's entry keys, for one main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.services = screen.services

    @property
    def gate_owner(self) -> MainScreen:
        return self.screen

    def _warn(self, text: str) -> None:
        self.screen.notify(text, severity="warning", markup=False)

    def selection(self) -> list[Entry]:
        """The marked entries of the active pane, or the one under the cursor."""
        entries = self.screen.active.file_list.selection()
        if not entries:
            self._warn("Nothing here to act on.")
        return entries

    # -- copy ----------------------------------------------------------------------------------

    @writes("copy", where=lambda self: self.screen.other.path)
    def copy(self) -> None:
        entries = self.selection()
        if entries:
            self.open_copy_dialog(self.screen.active, entries, self.screen.other.path)

    @writes("copy", where=lambda self, source, entries, destination: destination)
    def open_copy_dialog(self, source: Pane, entries: list[Entry], destination: str) -> None:
        if any(e.kind is EntryKind.BUCKET for e in entries):
            self._warn("Buckets cannot be copied; open one and copy what is inside.")
            return
        unreadable = [e for e in entries if is_unreadable(e)]
        if unreadable:
            # Archived objects cannot be read until restored: they get the restore dialog,
            # with "download when ready" to this destination; the rest are copied now.
            entries = [e for e in entries if not is_unreadable(e)]
            self.screen.ops.restore_then(
                source,
                unreadable,
                download_to=destination,
                then=lambda ready: self._copy_dialog(source, ready, destination),
            )
        if entries:
            self._copy_dialog(source, entries, destination)

    def _copy_dialog(self, source: Pane, entries: list[Entry], destination: str) -> None:
        screen = self.screen

        def chosen(request: CopyRequest | None) -> None:
            if request is not None:
                source.file_list.model.clear_marks()
                source.file_list.rows_changed()
                # The destination was editable: its mount is known before submitting, without
                # a lookup on this thread (submit_copies then finds the gate's answer).
                submit = screen.transfer_control.submit_copies
                gate_then(screen, "copy", request.destination, lambda: submit(request))

        screen.app.push_screen(CopyDialog(entries, destination), chosen)

    # -- delete (confirmed, local) and mkdir -------------------------------------------------

    def delete_entries(self, entries: list[Entry], reload_pane: Pane | None) -> None:
        """A delete confirmed without a price (local entries): a task on the one runner like
        every other, listed, pausable and cancellable between entries."""
        from ossbrowse.ops.task_bodies import local_delete_body
        from ossbrowse.tasks import Task

        sides = self.services.sides
        by_path = {e.path: e for e in entries}

        def delete(path: str, cancelled: Callable[[], bool]) -> int:
            return delete_tree(sides.for_path(path), by_path[path], cancelled)

        label = entries[0].path if len(entries) == 1 else f"{len(entries)} entries"
        task = self.services.tasks.submit(
            Task("delete", label, "", unit="item"), local_delete_body(list(by_path), delete)
        )
        if reload_pane is not None:
            folders = [reload_pane.path]
        else:
            folders = [sides.for_path(e.path).parent(e.path) or "" for e in entries]
        self.services.jobs.targets[task.id] = list(dict.fromkeys(folders))

    @writes("create folders", where=lambda self: self.screen.active.path)
    def mkdir(self) -> None:
        pane = self.screen.active
        if pane.path == "oss://":
            self._warn("Buckets are created in the console or with ossutil.")
            return

        def chosen(name: str | None) -> None:
            if name:
                if "/" in name.strip("/") or name in (".", ".."):
                    self._warn("A folder name cannot hold / or be . or ..")
                    return
                self.screen.run_worker(partial(self._mkdir, pane, name.strip("/")),
                                       thread=True, exit_on_error=False, group="mkdir")  # fmt: skip

        self.screen.app.push_screen(
            PromptDialog("New folder", "The name of the folder to create"), chosen
        )

    def _mkdir(self, pane: Pane, name: str) -> None:  # in a thread worker
        fs = pane.fs
        path = fs.join(pane.path, name)
        if is_oss_path(path):
            path += "/"
        fs.mkdir(path)
        self.screen.app.call_from_thread(self._show_new_folder, pane, path)

    def _show_new_folder(self, pane: Pane, path: str) -> None:
        pane.open(pane.path, path)
        # The other pane showing the same folder lists it too (as a copy or a delete does).
        for other in (self.screen.left, self.screen.right):
            if other is not pane and other.path == pane.path:
                other.reload()

    # -- looking: view, inspect, presign -----------------------------------------------------

    def view(self) -> None:
        entry = self.screen.current_entry()
        if entry is None or entry.is_dir:
            self._warn("View works on a file or object.")
            return
        self.view_entry(self.screen.active, entry)

    def view_entry(self, pane: Pane, entry: Entry) -> None:
        app = self.screen.app
        if is_unreadable(entry):
            # Archived: a HEAD tells whether it is restored; if not, the restore dialog opens.
            self.screen.ops.restore_then(
                pane, [entry], then=lambda ready: app.push_screen(Viewer(pane.fs, ready[0]))
            )
            return
        from ossbrowse.ui.image_view import ImageViewer, is_image_name

        if is_image_name(entry.name):
            app.push_screen(ImageViewer(pane.fs, entry, ascii_only=self.services.ascii_only))
            return
        app.push_screen(Viewer(pane.fs, entry))

    def inspect(self) -> None:
        entry = self.screen.current_entry()
        if entry is None:
            return
        self.screen.app.push_screen(Inspector(self.screen.active.fs, entry))

    def presign(self) -> None:
        entry = self.screen.current_entry()
        presigner = self.services.presigner
        if entry is None or entry.is_dir or not is_oss_path(entry.path):
            self._warn("Presigned URLs are for OSS objects: put the cursor on one.")
            return
        if presigner is None:
            self.services.show_error(OssBrowseError("No OSS connection to sign with."))
            return
        self.screen.app.push_screen(PresignDialog(entry.path, presigner))
