"""A few lines of text that repaint without asking for a new layout unless their count changes.

`Static.update` asks for a layout of the whole screen every time (~30 ms with a big listing
on screen), even for the same text. A detail line under a table redrawn on every progress
tick or cursor move made every key wait behind those layouts; this widget repaints itself
only, and only when its text changed.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TextBlock(Widget):
    """`height: auto` text (give it a max-height in CSS) shown with `show`."""

    DEFAULT_CSS = "TextBlock { height: auto; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = Text()

    def render(self) -> Text:
        return self.text

    def show(self, text: Text) -> None:
        if text.plain == self.text.plain and text.spans == self.text.spans:
            return
        lines_before = self.text.plain.count("\n")
        self.text = text
        # Only a change in the number of lines changes the widget's height.
        self.refresh(layout=text.plain.count("\n") != lines_before)
