"""The main screen: two panes, the transfer panel, the status line; navigation and marking.

What the keys do to entries is owned by objects of their own, built here and typed through
the session's `Services`: `entries` (copy, mkdir, view, inspect, presign), `ops` (move, rename,
delete, edit, restore: tasks on the runner), `features` (rename in place, folder size,
properties) and `transfer_control` (submitting copies, the runner's events, the panel's keys).
This module keeps to layout, focus and moving around, and hands every other key over in one
line (see `ossbrowse/ui/__init__.py` for how a new feature plugs in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.base import Entry
from ossbrowse.ui import keys
from ossbrowse.ui.compare import open_compare
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.dir_compare import open_dir_compare
from ossbrowse.ui.entry_actions import EntryActions
from ossbrowse.ui.feature_actions import FeatureActions
from ossbrowse.ui.file_list import FileList
from ossbrowse.ui.found_folder import leave_found, open_find
from ossbrowse.ui.locations import normalize_location
from ossbrowse.ui.messages import PaneChanged
from ossbrowse.ui.model import SortKey
from ossbrowse.ui.ops_actions import OpsActions
from ossbrowse.ui.pane import Pane, PathBar
from ossbrowse.ui.services import Services
from ossbrowse.ui.status_line import StatusLine
from ossbrowse.ui.transfer_control import TransferControl
from ossbrowse.ui.transfer_panel import TransferPanel
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from ossbrowse.tasks import Task, TaskSnapshot
    from ossbrowse.ui.app import OssBrowseApp
    from ossbrowse.ui.dialogs.copy import CopyRequest

# Below this many columns the panes take turns (Tab switches); above, they sit side by side.
NARROW = 100

SORT_CYCLE = (SortKey.NAME, SortKey.SIZE, SortKey.TIME)


class MainScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.MAIN_KEYS)

    app: OssBrowseApp

    def __init__(self, services: Services, left: str, right: str) -> None:
        super().__init__()
        self.services = services
        self.sides = services.sides
        self.ascii_only = ascii_only = services.ascii_only
        # Born with the classes `_set_active(self.left)` would give them: a class changed
        # after mounting restyles the pane's whole subtree (~10 ms before the first frame).
        self.left = Pane(services, left, id="left", classes="-active")
        self.right = Pane(services, right, id="right", classes="-inactive")
        self.active: Pane = self.left
        self.transfers = TransferPanel(ascii_only=ascii_only, id="transfers")
        self.transfers.display = False
        self.status = StatusLine(id="status")
        # Behaviour owned by its own object, one job each; the actions below hand over to it.
        self.entries = EntryActions(self)  # copy, mkdir, view, inspect, presign
        self.transfer_control = TransferControl(self, self.transfers)  # submit, draw, keys
        self.features = FeatureActions(self)  # rename in place, folder size, properties
        self.ops = OpsActions(self)  # move, rename, delete, edit, restore: tasks on the runner

    def compose(self) -> ComposeResult:
        self._apply_layout(self.app.size.width)  # before the children exist: nothing to restyle
        with Horizontal(id="panes"):
            yield self.left
            yield self.right
        yield self.transfers
        yield self.status
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.left.open(self.left.path)
        self.right.open(self.right.path)
        self._set_active(self.left)
        self.left.file_list.focus()
        self._apply_layout(self.size.width)

    # -- layout and focus --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        self.set_class(0 < width < NARROW, "-narrow")

    @property
    def other(self) -> Pane:
        return self.right if self.active is self.left else self.left

    def _set_active(self, pane: Pane) -> None:
        self.active = pane
        for each in (self.left, self.right):
            each.set_class(each is pane, "-active")
            each.set_class(each is not pane, "-inactive")
        self._refresh_status()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for node in event.widget.ancestors_with_self:
            if isinstance(node, Pane):
                if node is not self.active:
                    self._set_active(node)
                return

    def refresh_status(self) -> None:
        self.status.show(self.active, self.features.with_bucket_total(self.transfers.summary()))

    _refresh_status = refresh_status

    @property
    def gate_owner(self) -> MainScreen:
        """Write actions of this screen ask the write gate through it (`write_gate.writes`)."""
        return self

    def on_pane_changed(self, message: PaneChanged) -> None:
        if message.pane is self.active:
            self._refresh_status()

    def action_switch_pane(self) -> None:
        # At once, not as `focus()` does after the keys already queued: "Tab, Down" typed
        # together moves the pane Tab went to.
        self.set_focus(self.other.file_list)
        self._set_active(self.other)

    def action_swap_panes(self) -> None:
        # Each folder moves with its cursor (and its row, should the entry be gone).
        left, right = self._place(self.left), self._place(self.right)
        self.left.open(right[0], select=right[1], fallback_row=right[2])
        self.right.open(left[0], select=left[1], fallback_row=left[2])

    @staticmethod
    def _place(pane: Pane) -> tuple[str, str | None, int]:
        current = pane.file_list.current
        return pane.path, current.path if current else None, pane.file_list.cursor

    # -- moving around -----------------------------------------------------------------------

    def open_in(
        self, pane: Pane, path: str, select: str | None = None, *, stay_on_error: bool = False
    ) -> None:
        try:
            self.sides.for_path(path)
        except OssBrowseError as exc:
            self.app.show_error(exc)
            return
        pane.open(path, select=select, stay_on_error=stay_on_error)

    def pane_of(self, file_list: FileList) -> Pane:
        return self.left if file_list is self.left.file_list else self.right

    def on_file_list_entry_activated(self, message: FileList.EntryActivated) -> None:
        pane = self.pane_of(message.file_list)
        entry = message.entry
        if entry is message.file_list.up_entry:
            self.go_up(pane)
        elif entry.is_dir:
            self.open_in(pane, entry.path)
        else:
            self.entries.view_entry(pane, entry)

    def on_file_list_go_up(self, message: FileList.GoUp) -> None:
        self.go_up(self.pane_of(message.file_list))

    def go_up(self, pane: Pane) -> None:
        if leave_found(pane):  # find's results: back to the folder the search started in
            return
        try:
            parent = pane.fs.parent(pane.path)
        except OssBrowseError as exc:
            self.app.show_error(exc)
            return
        if parent is not None:
            came_from = pane.path
            pane.open(parent, select=came_from)

    def action_find(self) -> None:
        open_find(self)

    def action_goto(self) -> None:
        self.action_goto_for(self.active)

    def action_goto_for(self, pane: Pane) -> None:
        def chosen(text: str | None) -> None:
            if not text:
                return
            try:
                path = normalize_location(text)
            except OssBrowseError as exc:
                self.app.show_error(exc)
                return
            # An unknown bucket or a missing folder: the pane stays where it was.
            self.open_in(pane, path, stay_on_error=True)
            pane.file_list.focus()

        self.app.push_screen(
            PromptDialog(
                "Go to",
                "A local path (~ works) or an OSS URL: oss://bucket/prefix/ (oss:// lists buckets)",
                value=pane.path,
            ),
            chosen,
        )

    def on_path_bar_clicked(self, message: PathBar.Clicked) -> None:
        self.action_goto_for(message.pane)

    def action_reload(self) -> None:
        self.services.write_gate.forget()  # mounts may have changed too: the gate asks again
        self.active.reload()

    def action_cancel_loading(self) -> None:
        if self.features.cancel_folder_size():
            return
        if self.active.cancel_loading():
            return
        if self.active.file_list.model.filter_text:
            self.active.clear_filter()
        else:
            leave_found(self.active)

    def action_usage(self) -> None:
        from ossbrowse.ui.usage_view import open_usage

        open_usage(self, self.active)

    # -- sorting, filtering, marking ---------------------------------------------------------

    def action_cycle_sort(self) -> None:
        model = self.active.file_list.model
        following = SORT_CYCLE[(SORT_CYCLE.index(model.sort_key) + 1) % len(SORT_CYCLE)]
        self.active.set_sort(following)
        self._refresh_status()

    def action_reverse_sort(self) -> None:
        model = self.active.file_list.model
        self.active.set_sort(model.sort_key, not model.reverse)
        self._refresh_status()

    def action_filter(self) -> None:
        self.active.start_filter()

    def _pattern(self, title: str, on: bool) -> None:
        pane = self.active

        def chosen(pattern: str | None) -> None:
            if pattern:
                pane.file_list.model.mark_pattern(pattern, on)
                pane.file_list.rows_changed()

        self.app.push_screen(
            PromptDialog(title, "A shell pattern: *.log, data-2024-??.csv, [ab]*", value="*"),
            chosen,
        )

    def action_select_pattern(self) -> None:
        self._pattern("Select by pattern", True)

    def action_unselect_pattern(self) -> None:
        self._pattern("Unselect by pattern", False)

    def action_invert(self) -> None:
        self.active.file_list.model.invert_marks()
        self.active.file_list.rows_changed()

    # -- drag-copy: press on a row in one pane, release over the other -----------------------

    def on_file_list_drag_started(self, message: FileList.DragStarted) -> None:
        self._drag_source: Pane | None = self.pane_of(message.file_list)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        source = getattr(self, "_drag_source", None)
        self._drag_source = None
        if source is None:
            return
        widget, _ = self.app.get_widget_at(event.screen_x, event.screen_y)
        target = next((n for n in widget.ancestors_with_self if isinstance(n, Pane)), None)
        if target is None or target is source:
            return
        entries = source.file_list.selection()
        if entries:
            self.entries.open_copy_dialog(source, entries, target.path)

    def current_entry(self) -> Entry | None:
        entry = self.active.file_list.current
        return None if entry is self.active.file_list.up_entry else entry

    def action_versions(self) -> None:
        from ossbrowse.ui.versions_view import show_versions

        show_versions(self)

    # -- keys handed over to the objects that own them ---------------------------------------

    def action_copy(self) -> None:
        self.entries.copy()

    def action_mkdir(self) -> None:
        self.entries.mkdir()

    def action_view(self) -> None:
        self.entries.view()

    def action_inspect(self) -> None:
        self.entries.inspect()

    def action_presign(self) -> None:
        self.entries.presign()

    def action_toggle_transfers(self) -> None:
        self.transfer_control.toggle_panel()

    def action_pause_all(self) -> None:
        self.transfer_control.task_call("pause")

    def action_resume_all(self) -> None:
        self.transfer_control.task_call("resume")

    def action_cancel_all(self) -> None:
        self.transfer_control.task_call("cancel")

    def on_transfer_panel_action(self, message: TransferPanel.Action) -> None:
        self.transfer_control.panel_action(message.verb, message.job_id)

    def handle_transfer(self, job: TaskSnapshot, state_changed: bool) -> None:
        self.transfer_control.handle_transfer(job, state_changed)

    # What the operations (screen.ops) use of the objects above.

    def submit_copies(self, request: CopyRequest) -> list[Task]:
        return self.transfer_control.submit_copies(request)

    def _selection(self) -> list[Entry]:
        return self.entries.selection()

    def _delete_entries(self, entries: list[Entry], reload_pane: Pane | None) -> None:
        self.entries.delete_entries(entries, reload_pane)

    def action_rename_in_place(self) -> None:
        self.features.rename_in_place()

    def action_move(self) -> None:
        self.ops.move()

    def action_delete(self) -> None:
        self.ops.delete()

    def action_edit(self) -> None:
        self.ops.edit()

    def action_restore(self) -> None:
        self.ops.restore()

    def action_folder_size(self) -> None:
        self.features.folder_size()

    def action_properties(self) -> None:
        self.features.properties()

    def action_compare(self) -> None:
        open_compare(self)

    def action_compare_dirs(self) -> None:
        open_dir_compare(self)
