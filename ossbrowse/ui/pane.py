"""One pane: a path bar, the virtual file list, a filter line; lists folders in a thread worker.

Pages are fetched by a worker (the first one small, so rows show at once) and posted as
`ListingPageLoaded`; a generation number drops pages of a folder the user already left.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from ossbrowse.fs.base import Entry, EntryKind, FileSystem, Page
from ossbrowse.text import safe_text
from ossbrowse.ui.describe import describe_error
from ossbrowse.ui.file_list import FileList
from ossbrowse.ui.input_priority import InputActivity
from ossbrowse.ui.messages import ListingPageLoaded, PaneChanged
from ossbrowse.ui.model import SortKey
from ossbrowse.ui.services import Services
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

# The first page is small so the first rows show before a full 1000-entry page is parsed.
FIRST_PAGE = 100
PAGE = 1000
# Pages asked for while the user is pressing keys: each holds the GIL half as long.
TYPING_PAGE = 500
# Once the rows in sight are there, the rest of a listing is taken at most this often (s).
DRAIN_EVERY = 0.1


class VirtualListing(Protocol):
    """The rows of a virtual folder (find's results, `found_folder.py`) instead of a folder's
    listing: called in the listing worker, it yields pages as they are found; `title` is what
    the path bar shows. The pane's `path` stays the real folder the rows were found under."""

    title: str

    def __call__(self, cancelled: Callable[[], bool]) -> Iterator[list[Entry]]: ...


class PathBar(Widget):
    """Where the pane is, and whether it is still loading. Click it to type a path.

    A plain widget of one line: redrawing it never asks for a new layout."""

    DEFAULT_CSS = "PathBar { height: 1; }"

    def __init__(self, *, classes: str | None = None, ascii_only: bool = False) -> None:
        super().__init__(classes=classes)
        self.text = Text()
        self.ascii_only = ascii_only  # no "…" when a long path is cut

    def render(self) -> Text:
        return self.text

    @dataclass
    class Clicked(Message):
        pane: Pane

    def on_click(self) -> None:
        if isinstance(self.parent, Pane):
            self.post_message(self.Clicked(self.parent))

    def show(self, path: str, note: str = "") -> None:
        text = Text(safe_text(path), no_wrap=True,
                    overflow="crop" if self.ascii_only else "ellipsis")  # fmt: skip
        if note:
            text.append(f"  {note}", style="italic")
        if text.plain != self.text.plain:
            self.text = text
            self.refresh()


class Pane(ReportsWorkerErrors, Vertical):
    """A folder of one side. `path` is a local path or an oss:// URL."""

    def __init__(
        self, services: Services, path: str, *, id: str, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.services = services
        self.sides = services.sides
        self.path = path
        self.ascii_only = ascii_only = services.ascii_only
        self.generation = 0
        self.failed = ""
        self.path_bar = PathBar(classes="path-bar", ascii_only=ascii_only)
        self.file_list = FileList(oss=is_oss_path(path), ascii_only=ascii_only)
        self.filter_input = Input(placeholder="filter: type to narrow, Enter keeps, Esc clears")
        self.filter_input.display = False
        self._inbox: list[Entry] = []
        self._inbox_generation = 0
        self._inbox_lock = threading.Lock()
        self._drained_at = 0.0
        self._drain_timer: Timer | None = None
        self._select: str | None = None
        self._fallback_row: int | None = None
        self._remark: set[str] = set()
        self._select_next: str | None = None
        self._back_to: tuple[str, str | None] | None = None
        self.virtual: VirtualListing | None = None  # a virtual folder shown instead of `path`

    def compose(self) -> ComposeResult:
        yield self.path_bar
        yield self.file_list
        yield self.filter_input

    @property
    def is_loading(self) -> bool:
        """Pages still come; the list knows too (End then follows the last row)."""
        return self.file_list.more_coming

    @is_loading.setter
    def is_loading(self, value: bool) -> None:
        self.file_list.more_coming = value

    @property
    def fs(self) -> FileSystem:
        return self.sides.for_path(self.path)

    @property
    def is_oss(self) -> bool:
        return is_oss_path(self.path)

    # -- loading -----------------------------------------------------------------------------

    def open(
        self,
        path: str,
        select: str | None = None,
        *,
        fallback_row: int | None = None,
        keep_marks: Iterable[str] = (),
        stay_on_error: bool = False,
        virtual: VirtualListing | None = None,
    ) -> None:
        """Re-root the pane at `path` and start listing it; `select` puts the cursor there.

        `fallback_row`: where the cursor goes when `select` is gone (a deleted entry: the next
        one takes its row, as in Midnight Commander). `keep_marks`: paths marked again when
        they are listed. `stay_on_error`: if the listing fails before any entry arrives, the
        pane goes back where it was (go to an unknown bucket must not leave a dead pane).
        `virtual`: show these rows (a virtual folder, kept by a reload) instead of listing
        `path`; any other `open` leaves it."""
        if stay_on_error and self.path != path and not self.failed:
            current = self.file_list.current
            self._back_to = (
                self.path,
                current.path if current is not None else None,
            )
        else:
            self._back_to = None
        self.path = path
        self.virtual = virtual
        self.generation += 1
        self.is_loading = True
        self.failed = ""
        self._select = select
        self._fallback_row = fallback_row
        self._remark = set(keep_marks)
        self.file_list.oss = is_oss_path(path)
        self.file_list.buckets = path == "oss://"
        self.filter_input.value = ""
        self.filter_input.display = False
        self.file_list.model.filter_text = ""
        up = self._up_entry(path)
        self.file_list.reset(up, note="loading...")
        self._refresh_path_bar()
        self._list(path, self.generation, virtual)
        self.post_message(PaneChanged(self))

    def reload(self) -> None:
        """List the folder again; the cursor and the marks stay where they were (an entry that
        went away leaves the cursor on the row it had)."""
        current = self.file_list.current
        select, self._select_next = self._select_next, None
        row = self.file_list.cursor
        marks = set(self.file_list.model.marked)
        if self.file_list.annotations is not None:
            marks -= self.file_list.annotations.marked  # they go with the notes that made them
        if self.is_loading and self._select is not None:
            # A reload of a reload (a copy and a delete ending together): what the first one
            # was looking for still counts, not the row its empty list happens to show.
            select = select or self._select
            row = self._fallback_row if self._fallback_row is not None else row
            marks |= self._remark
        if select is None and current is not None:
            select = current.path
        self.open(
            self.path, select=select, fallback_row=row, keep_marks=marks, virtual=self.virtual
        )

    def select_on_reload(self, path: str) -> None:
        """The next reload puts the cursor on `path` (a renamed entry's new name)."""
        self._select_next = path

    def _up_entry(self, path: str) -> Entry | None:
        try:
            parent = self.sides.parent(path)  # no OSS client (and no oss2) needed for this
        except Exception:
            parent = None
        if parent is None:
            return None
        return Entry(name="..", path=parent, kind=EntryKind.FOLDER)

    @work(thread=True, exclusive=True, exit_on_error=False, group="listing")
    def _list(self, path: str, generation: int, virtual: VirtualListing | None = None) -> None:
        worker = get_current_worker()
        activity: InputActivity = self.services.input_activity
        fs = self.sides.for_path(path)
        token: str | None = None
        limit = FIRST_PAGE
        pages = virtual(lambda: worker.is_cancelled) if virtual is not None else None
        while not worker.is_cancelled:
            if pages is not None:
                found = next(pages, None)
                page = Page(found or [], None if found is None else "more")
            else:
                page = fs.list_page(path, token, limit)
            if worker.is_cancelled:
                return
            done = page.next_token is None
            with self._inbox_lock:
                if self._inbox_generation != generation:
                    self._inbox_generation = generation
                    self._inbox = []
                self._inbox.extend(page.entries)
            # Pages wait in the inbox; however many arrive while the UI is busy, the UI takes
            # them in one go (the message replaces an unhandled one of the same folder).
            self.post_message(ListingPageLoaded(generation, [], done))
            if done:
                return
            token = page.next_token
            limit = PAGE
            time.sleep(0.002)  # let the UI thread have the GIL between pages
            activity.yield_to_input()  # and a key its frame before the next page
            if activity.recent():
                limit = TYPING_PAGE  # shorter holds of the GIL while the user types

    def on_listing_page_loaded(self, message: ListingPageLoaded) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        file_list = self.file_list
        wait = self._drained_at + DRAIN_EVERY - time.monotonic()
        if not message.done and wait > 0 and file_list.row_count > file_list.last_visible_row:
            # The rows in sight are all there: the rest can wait in the inbox a little. Taking
            # every page as it comes meant a frame per page, and keys waited behind them.
            if self._drain_timer is None:
                self._drain_timer = self.set_timer(wait, self._drain_later)
            return
        self._take_pages(message.generation, message.done)

    def _drain_later(self) -> None:
        self._drain_timer = None
        self._take_pages(self.generation, False)  # pages of a folder left since are dropped

    def _take_pages(self, generation: int, done: bool) -> None:
        """Move what the listing worker left in the inbox into the list (on the UI thread)."""
        self._drained_at = time.monotonic()
        if done and self._drain_timer is not None:
            self._drain_timer.stop()
            self._drain_timer = None
        with self._inbox_lock:
            entries = self._inbox if self._inbox_generation == generation else []
            self._inbox = []
        if not entries and not done:
            return
        file_list = self.file_list
        model = file_list.model
        current = file_list.current
        keep = current.path if current is not None and current is not file_list.up_entry else None
        old_rows, old_view = file_list.row_count, len(model.view)
        appended = model.add(entries)
        if entries:
            self._back_to = None  # the new folder answered: no going back on a later error
        if self._remark:
            for entry in entries:
                if entry.path in self._remark:
                    model.set_mark(entry, True)
        if done:
            self.is_loading = False
            file_list.note = "no match" if model.filter_text else "empty folder"
        if appended:
            # Nothing shown moved: no search for the cursor's entry in 100,000 of them.
            file_list.rows_appended(old_rows)
        else:
            file_list.rows_changed(keep=keep)
        if self._select is not None:
            # Only the new rows can hold it when the page was appended.
            index = model.index_of(self._select, old_view if appended else 0)
            if index is not None:
                file_list.move_cursor(index + (1 if file_list.up_entry else 0))
                self._select = None
            elif done and self._fallback_row is not None:
                file_list.move_cursor(self._fallback_row)
        if done:
            file_list.follow_end = False  # all there: End is an ordinary key again
            self._select = None
            self._fallback_row = None
            self._remark = set()
            self._back_to = None
        self._refresh_path_bar()
        self.post_message(PaneChanged(self))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Only note the failure in the pane; the message itself is shown by the mixin.
        if event.worker.group != "listing":
            return
        if event.state is WorkerState.ERROR:
            back = self._back_to
            if back is not None and event.worker.error is not None:
                # Nothing of the new place was shown: go back; the mixin shows the reason.
                self._back_to = None
                self.open(back[0], select=back[1])
                return
            self.is_loading = False
            self.failed = "could not list"
            # The reason stays in the pane: the notification is gone after a few seconds.
            reason = describe_error(event.worker.error) if event.worker.error else ""
            self.file_list.note = (
                f"Could not list this folder: {reason} (Ctrl+R retries)"
                if reason
                else "Could not list this folder (Ctrl+R retries)"
            )
            self.file_list.refresh()
            self._refresh_path_bar()
            self.post_message(PaneChanged(self))
        elif event.state is WorkerState.CANCELLED and self.is_loading:
            self.is_loading = False
            self.file_list.note = "listing cancelled (Ctrl+R reloads)"
            self.file_list.refresh()
            self._refresh_path_bar()
            self.post_message(PaneChanged(self))

    def cancel_loading(self) -> bool:
        if not self.is_loading:
            return False
        self.workers.cancel_group(self, "listing")
        self.is_loading = False
        self.generation += 1  # pages already in the queue are dropped
        self.file_list.note = "listing cancelled (Ctrl+R reloads)"
        self.file_list.refresh()
        self._refresh_path_bar("cancelled")
        self.post_message(PaneChanged(self))  # the status line drops its "(loading)"
        return True

    def _refresh_path_bar(self, note: str | None = None) -> None:
        model = self.file_list.model
        if note is None:
            if self.is_loading:
                note = f"loading... {model.loaded:,} (Esc cancels)"
            elif self.failed:
                note = self.failed
            else:
                note = ""
        self.path_bar.show(self.virtual.title if self.virtual else self.path, note)

    def on_file_list_changed(self, message: FileList.Changed) -> None:
        # Re-posted from here: a message the pane itself caused (rows_changed in a pane
        # handler) stops bubbling at the pane, and the screen must still hear of it.
        message.stop()
        self.post_message(PaneChanged(self))

    # -- sorting and filtering ---------------------------------------------------------------

    def set_sort(self, key: SortKey, reverse: bool | None = None) -> None:
        current = self.file_list.current
        self.file_list.model.set_sort(key, reverse)
        self.file_list.rows_changed(keep=current.path if current else None)

    def start_filter(self) -> None:
        self.filter_input.display = True
        self.filter_input.focus()

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self.file_list.model.filter_text:
            return
        current = self.file_list.current
        self.file_list.model.set_filter(event.value)
        self.file_list.cursor = 0
        self.file_list.note = "no match" if event.value else self.file_list.note
        # The entry under the cursor stays under it while it still matches.
        self.file_list.rows_changed(keep=current.path if current is not None else None)

    @on(Input.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self.filter_input.display = False
        self.file_list.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape" and self.filter_input.has_focus:
            event.stop()
            self.clear_filter()

    def clear_filter(self) -> None:
        current = self.file_list.current
        self.filter_input.value = ""
        self.filter_input.display = False
        self.file_list.model.set_filter("")
        self.file_list.rows_changed(keep=current.path if current is not None else None)
        self.file_list.focus()
