"""--ascii beyond CSS: scrollbars and checkbox marks drawn with ASCII characters only.

Textual draws scrollbar thumbs with block characters (▁▂▃...) and checkboxes as ▐X▌; neither
is a style. `--ascii` is a choice for the whole process (the terminal lacks the glyphs), so
`enable()` swaps the renderers on the classes; `disable()` puts Textual's back (tests run
several apps in one process).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets._toggle_button import ToggleButton


class AsciiScrollBarRender(ScrollBarRender):
    """The thumb is reversed spaces (visible without colour too), never a partial block."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8
    BLANK_GLYPH: ClassVar[str] = " "


_saved: dict[str, Any] = {}


def enable() -> None:
    if _saved:
        return
    _saved.update(renderer=ScrollBar.renderer, left=ToggleButton.BUTTON_LEFT,
                  right=ToggleButton.BUTTON_RIGHT)  # fmt: skip
    ScrollBar.renderer = AsciiScrollBarRender
    ToggleButton.BUTTON_LEFT = "["
    ToggleButton.BUTTON_RIGHT = "]"


def disable() -> None:
    if not _saved:
        return
    ScrollBar.renderer = _saved["renderer"]
    ToggleButton.BUTTON_LEFT = _saved["left"]
    ToggleButton.BUTTON_RIGHT = _saved["right"]
    _saved.clear()
