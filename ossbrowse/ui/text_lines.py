"""A read-only list of plain-text lines drawn with the Line API (viewer and inspector use it).

Lines are plain strings, already made safe by the caller; they are drawn as Segments, so a line
that looks like markup is shown as it is.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import BindingType
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

    BINDINGS: ClassVar[list[BindingType]] = [
        ("up,k", "scroll_up", "Up"),
        ("down,j", "scroll_down", "Down"),
        ("pageup", "page_up", "PgUp"),
        ("pagedown,space", "page_down", "PgDn"),
        ("home", "scroll_home", "Home"),
        ("end", "scroll_end", "End"),
        ("left", "scroll_left", "Left"),
        ("right", "scroll_right", "Right"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []
        self._widest = 0

    def set_lines(self, lines: list[str]) -> None:
        self.lines = []
        self._widest = 0
        self.append(lines)

    def append(self, lines: list[str]) -> None:
        self.lines.extend(lines)
        for line in lines:
            self._widest = max(self._widest, cell_len(line))
        self.virtual_size = Size(self._widest, len(self.lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, style)
        if index >= len(self.lines) - self.scrollable_content_region.height:
            self.post_message(self.NearEnd())
        strip = Strip([Segment(self.lines[index], style)])
        return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, style)
