"""A checkbox that reads ticked or not without colour, and that Enter does not toggle.

Textual's Checkbox draws `▐X▌` (or `[X]` in --ascii) whether ticked or not, only the colour of
the X changes: invisible with NO_COLOR, on many themes, and to colour-blind users. Here the X
is there only when ticked: `[X]` / `[ ]`. Enter on it toggled it silently while the dialog's
button said "(Enter)"; here Space toggles and Enter reaches the dialog, which submits.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.style import Style
from textual.widgets import Checkbox


class TickBox(Checkbox, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Toggle", show=False),
    ]

    @property
    def _button(self) -> Content:
        # Textual's drawing, with the X only when ticked.
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        inner = self.BUTTON_INNER if self.value else " " * len(self.BUTTON_INNER)
        return Content.assemble(
            (self.BUTTON_LEFT, side_style), (inner, button_style), (self.BUTTON_RIGHT, side_style)
        )

    def watch_value(self) -> None:
        self.refresh()  # the X itself changes, not only its colour
