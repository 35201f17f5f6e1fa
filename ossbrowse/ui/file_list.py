"""The virtual list of one pane: draws only the visible lines, whatever the folder's size.

A `ScrollView` on the Line API (as toolong's log view does): `render_line` looks the entry up
by index in the model's view, so 100,000 entries cost a list of references, not widgets. Line 0
is a fixed column header; rows start at line 1 of the viewport.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.ui import keys
from ossbrowse.ui.model import ListingModel
from ossbrowse.ui.rows import (
    ASCII,
    UNICODE,
    Annotations,
    Columns,
    header_cells,
    is_unreadable,
    row_cells,
)


def note_lines(note: str, width: int) -> list[str]:
    """The note under the rows, wrapped to the list's width, indented two cells."""
    return ["  " + line for line in textwrap.wrap(note, max(8, width - 3))] or [""]


class FileList(ScrollView, can_focus=True):
    """Rows of a `ListingModel`, a cursor, marks; posts what the user asked for."""

    BINDINGS = keys.bindings(keys.LIST_KEYS)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "file-list--header",
        "file-list--cursor",
        "file-list--cursor-blurred",
        "file-list--folder",
        "file-list--unreadable",
        "file-list--marked",
        "file-list--note",
    }

    DEFAULT_CSS = """
    FileList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    FileList > .file-list--header { text-style: bold; color: $text-muted; }
    FileList > .file-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    FileList > .file-list--cursor-blurred { background: $block-cursor-blurred-background; }
    FileList > .file-list--folder { text-style: bold; }
    FileList > .file-list--unreadable { text-style: dim italic; }
    FileList > .file-list--marked { color: $warning; text-style: bold; }
    FileList > .file-list--note { color: $text-muted; text-style: italic; }
    """  # noqa: E501

    @dataclass
    class EntryActivated(Message):
        """Enter or double-click on an entry."""

        file_list: FileList
        entry: Entry

    @dataclass
    class GoUp(Message):
        file_list: FileList

    @dataclass
    class Changed(Message):
        """Cursor moved or marks changed: the status line redraws."""

        file_list: FileList

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, FileList.Changed) and message.file_list is self.file_list

    @dataclass
    class DragStarted(Message):
        """A mouse button went down on a row: a drag-copy may follow."""

        file_list: FileList

    def __init__(self, *, oss: bool = False, ascii_only: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.model = ListingModel()
        self.oss = oss
        self.buckets = False  # the OSS root: rows are buckets
        self.glyphs = ASCII if ascii_only else UNICODE
        self.cursor = 0
        self.up_entry: Entry | None = None  # the ".." row
        self.note = ""  # shown when there are no rows: "loading…", "empty folder"
        self.more_coming = False  # pages of the folder still come (not Widget.loading)
        self.follow_end = False  # End pressed while loading: the cursor follows new rows
        self._styles: dict[str, Style] = {}
        self.annotations: Annotations | None = None  # tags and reasons over the rows, if any

    # -- rows --------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.model.view) + (1 if self.up_entry else 0)

    def entry_at(self, index: int) -> Entry | None:
        if self.up_entry is not None:
            if index == 0:
                return self.up_entry
            index -= 1
        view = self.model.view
        return view[index] if 0 <= index < len(view) else None

    @property
    def current(self) -> Entry | None:
        return self.entry_at(self.cursor)

    def selection(self) -> list[Entry]:
        """Marked entries, else the one under the cursor (never the ".." row)."""
        current = self.current
        if current is self.up_entry:
            current = None
        return self.model.selection(current)

    def reset(self, up_entry: Entry | None, note: str = "") -> None:
        """A new folder: no rows yet."""
        self.model.clear()
        self.up_entry = up_entry
        self.cursor = 0
        self.follow_end = False
        self.note = note
        self.annotations = None  # they described the rows listed before
        self.scroll_to(y=0, animate=False, immediate=True)
        self.rows_changed()

    def rows_changed(self, keep: str | None = None) -> None:
        """The view changed: size the scroll area, keep the cursor on `keep` if given."""
        if keep is not None:
            index = self.model.index_of(keep)
            if index is not None:
                self.cursor = index + (1 if self.up_entry else 0)
        self.cursor = max(0, min(self.cursor, self.row_count - 1))
        self._set_height()
        if self.follow_end:
            self.cursor = max(0, self.row_count - 1)
        self._scroll_to_cursor()  # after a sort or a filter the cursor's entry stays in sight
        self.refresh()
        self.post_message(self.Changed(self))

    def rows_appended(self, old_row_count: int) -> None:
        """Rows were added after the last one (a page of a big folder, in order): the cursor
        stays where it is and, once the visible lines are filled, only the scroll bar moves.

        Redrawing every visible row and laying the screen out again for each of a 100,000-entry
        folder's pages is what made keys lag while it loaded."""
        self._set_height()
        if self.follow_end:
            # End was pressed while the folder loads: the cursor stays on the last row.
            self.move_cursor(self.row_count - 1, follow=True)
            return
        if old_row_count <= self.last_visible_row:
            self.refresh()  # some of the new rows are in sight
        self.post_message(self.Changed(self))

    def _set_height(self) -> None:
        """One line a row, plus the header. Without a layout when the scroll bar is already
        there and stays: a layout of the whole screen per page costs a frame's worth of time."""
        size = Size(self.scrollable_content_region.width, self.row_count + 1)
        if size == self.virtual_size:
            return
        viewport = self.scrollable_content_region.height
        scrollbar = self.vertical_scrollbar if self.show_vertical_scrollbar else None
        if (
            scrollbar is not None
            and size.width == self.virtual_size.width
            and size.height > viewport
            and self.virtual_size.height > viewport
        ):
            self.set_reactive(FileList.virtual_size, size)
            scrollbar.window_virtual_size = size.height
            return
        self.virtual_size = size

    def move_to_path(self, path: str) -> None:
        index = self.model.index_of(path)
        if index is not None:
            self.move_cursor(index + (1 if self.up_entry else 0))

    # -- drawing -----------------------------------------------------------------------------

    @property
    def columns(self) -> Columns:
        return Columns.for_width(self.scrollable_content_region.width, self.oss, self.buckets)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count + 1)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        """Component styles, cached: looking them up costs more than drawing the row."""
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if name == "base" else self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style("base")
        cols = self.columns
        if y == 0:
            style = base + self._style("file-list--header")
            text = "".join(header_cells(cols, self.buckets))
            return Strip([Segment(text, style)]).adjust_cell_length(width, base)
        index = int(self.scroll_offset.y) + y - 1
        entry = self.entry_at(index)
        if entry is None:
            first_free = 1 if self.up_entry is not None else 0
            if self.note and self.row_count == first_free:
                # A note may be a whole sentence (why a folder could not be listed): wrapped.
                lines = note_lines(self.note, width)
                if 0 <= index - first_free < len(lines):
                    note_style = base + self._style("file-list--note")
                    line = lines[index - first_free]
                    return Strip([Segment(line, note_style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        marked = entry is not self.up_entry and self.model.is_marked(entry)
        style = base
        if entry.kind is not EntryKind.FILE:
            style += self._style("file-list--folder")
        if is_unreadable(entry):
            style += self._style("file-list--unreadable")
        if marked:
            style += self._style("file-list--marked")
        if index == self.cursor:
            cursor_class = "file-list--cursor" if self.has_focus else "file-list--cursor-blurred"
            style += self._style(cursor_class)
        notes = self.annotations if entry is not self.up_entry else None
        tag = (notes.tag(entry) or "") if notes is not None else ""
        cells = row_cells(entry, cols, self.glyphs, marked, entry is self.up_entry, tag)
        segments = [Segment(cell, style) for cell in cells]
        return Strip(segments).adjust_cell_length(width, style if index == self.cursor else base)

    # -- cursor ------------------------------------------------------------------------------

    @property
    def page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def last_visible_row(self) -> int:
        """The index of the last row that fits in the view as it is scrolled now."""
        return int(self.scroll_offset.y) + self.page_height - 1

    def _scroll_to_cursor(self) -> bool:
        """Scroll so the cursor's row is in sight; True when it scrolled."""
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            top = self.cursor
        elif self.cursor > top + self.page_height - 1:
            top = self.cursor - self.page_height + 1
        if top == int(self.scroll_offset.y):
            return False
        self.scroll_to(y=top, animate=False, immediate=True)
        return True

    def move_cursor(self, index: int, *, follow: bool = False) -> None:
        self.follow_end = follow
        index = max(0, min(index, self.row_count - 1))
        previous = self.cursor
        self.cursor = index
        if self._scroll_to_cursor():
            self.refresh()
        else:
            # Only the two rows whose look changed: a whole-list refresh makes the compositor
            # redraw every visible row and the containers behind them, ~10 ms a key.
            self.refresh_row(previous)
            self.refresh_row(index)
        self.post_message(self.Changed(self))

    def refresh_row(self, index: int) -> None:
        """Redraw the row at `index` (of the rows, ".." included) if it is in sight."""
        y = index - int(self.scroll_offset.y) + 1  # line 0 is the header
        if 1 <= y <= self.page_height:
            self.refresh(Region(0, y, self.scrollable_content_region.width, 1))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self.page_height)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self.page_height)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        # While a big folder loads, the cursor follows the last row until it is all there.
        self.move_cursor(self.row_count - 1, follow=self.more_coming)

    def action_open(self) -> None:
        entry = self.current
        if entry is not None:
            self.post_message(self.EntryActivated(self, entry))

    def action_up(self) -> None:
        self.post_message(self.GoUp(self))

    def action_mark(self) -> None:
        entry = self.current
        if entry is not None and entry is not self.up_entry:
            self.model.toggle_mark(entry)
        self.move_cursor(self.cursor + 1)

    # -- mouse -------------------------------------------------------------------------------

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None
        index = int(self.scroll_offset.y) + offset.y - 1
        return index if index < self.row_count else None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._row_at(event)
        if index is None:
            return
        self.focus()
        self.move_cursor(index)
        self.post_message(self.DragStarted(self))

    def on_click(self, event: events.Click) -> None:
        index = self._row_at(event)
        if index is None:
            return
        self.move_cursor(index)
        if event.chain >= 2:
            self.action_open()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
