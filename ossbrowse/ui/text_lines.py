"""A read-only list of plain-text lines drawn with the Line API (viewer, inspector, help).

Lines are plain strings, already made safe by the caller; they are drawn as Segments, so a line
that looks like markup is shown as it is. With `wrap` on, a long line takes as many screen
rows as it needs instead of scrolling sideways.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class TextLines(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TextLines { overflow: auto; }
    """

    class NearEnd(Message):
        """The view shows the last screenful: the owner may load more."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TextLines.NearEnd)

    class NearStart(Message):
        """The view shows the first line: the owner may load what comes before."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TextLines.NearStart)

    # Not in the footer: the screen's own keys (search, offset, wrap) belong there.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Up", show=False),
        Binding("down,j", "scroll_down", "Down", show=False),
        Binding("pageup", "page_up", "PgUp", show=False),
        Binding("pagedown,space", "page_down", "PgDn", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []
        self.wrap = False
        self._widest = 0
        # With wrap: the screen rows, and the first row of each line.
        self._rows: list[str] = []
        self._first_row: list[int] = []

    def set_lines(self, lines: list[str]) -> None:
        self.lines = []
        self._widest = 0
        self.append(lines)

    def append(self, lines: list[str]) -> None:
        self.lines.extend(lines)
        for line in lines:
            self._widest = max(self._widest, cell_len(line))
        self._layout()

    def set_wrap(self, wrap: bool) -> None:
        top = self.top_line
        self.wrap = wrap
        self._layout()
        self.scroll_to_line(top)

    def on_resize(self, event: events.Resize) -> None:
        if self.wrap:
            top = self.top_line
            self._layout()
            self.scroll_to_line(top)

    def _layout(self) -> None:
        if self.wrap:
            width = max(8, self.scrollable_content_region.width or 80)
            self._rows, self._first_row = [], []
            for line in self.lines:
                self._first_row.append(len(self._rows))
                self._rows.extend(chop_cells(line, width) if cell_len(line) > width else [line])
            self.virtual_size = Size(width, len(self._rows))
        else:
            self.virtual_size = Size(self._widest, len(self.lines))
        self.refresh()

    @property
    def top_line(self) -> int:
        """The line shown at the top (its first row, with wrap on)."""
        y = int(self.scroll_offset.y)
        if self.wrap and self._first_row:
            return max(0, bisect_right(self._first_row, y) - 1)
        return y

    def scroll_to_line(self, index: int) -> None:
        """Put line `index` at the top of the view."""
        row = index
        if self.wrap and self._first_row:
            row = self._first_row[max(0, min(index, len(self._first_row) - 1))]
        # force: right after new lines the scroll bar may not be laid out yet.
        self.scroll_to(y=row, animate=False, immediate=True, force=True)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        rows = self._rows if self.wrap else self.lines
        if index >= len(rows):
            return Strip.blank(width, style)
        if index >= len(rows) - self.scrollable_content_region.height:
            self.post_message(self.NearEnd())
        if index == 0 and y == 0:
            self.post_message(self.NearStart())
        strip = Strip([Segment(rows[index], style)])
        return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, style)
