"""The help screen: every key the app binds, with its id for remapping in config.toml.

Drawn as plain lines fitted to the width: one line a key when the screen is wide, two (what it
does, then its id) below 100 columns, so no id is ever cut. Keys read as typed (`=`, `/`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ossbrowse.ui import keys
from ossbrowse.ui.key_names import pretty_keys
from ossbrowse.ui.rows import ASCII, UNICODE
from ossbrowse.ui.text_lines import TextLines

MOUSE_HELP = (
    "Mouse: click selects, double-click opens, the wheel scrolls; press on a row in one pane "
    "and release over the other to copy there. Remap keys in config.toml: [keys] pane.copy = "
    '"f5,c".'
)

# The viewer's own keys (its footer shows them too).
VIEWER_HELP = [
    "In the viewer (F3):",
    "  End G / Home g  the object's last / first range",
    "  o :             go to an offset (1234, 0x4d2, 10k, 50%, -100)",
    "  / ?  n N        search on / back, again (hex bytes in hex mode)",
    "  h  w            text or hex; wrap long lines",
]

# Below this many columns of text, each key takes two lines.
WIDE = 96


def legend(ascii_only: bool) -> list[str]:
    """What the marks in the rows mean, in the glyphs this session draws."""
    g = ASCII if ascii_only else UNICODE
    return [
        "Marks in the rows:",
        f"  {g.marked}  marked        {g.archived}  archived: restore before reading",
        f"  {g.restoring}  restoring     {g.restored}  restored: readable for now",
        f"  {g.ellipsis}  a name cut to fit",
    ]


def help_lines(keymap: Mapping[str, str], width: int, ascii_only: bool = False) -> list[str]:
    rows = [(pretty_keys(keys.effective_keys(s, keymap)), s.title, s.id) for s in keys.ALL_KEYS]
    key_w = max(cell_len(k) for k, _, _ in rows) + 2
    id_w = max(len(i) for _, _, i in rows)
    lines: list[str] = []
    if width >= WIDE:
        title_w = max(20, width - key_w - id_w - 2)
        lines.append(f"{'Keys':<{key_w}}{'What it does':<{title_w}}  Id")
        for key_text, title, key_id in rows:
            # A long title goes on under itself: cut, it lost what the key does.
            wrapped = textwrap.wrap(title, title_w) or [""]
            lines.append(f"{key_text:<{key_w}}{wrapped[0]:<{title_w}}  {key_id}")
            lines.extend(f"{'':<{key_w}}{more}" for more in wrapped[1:])
    else:
        lines.append(f"{'Keys':<{key_w}}What it does, then its id")
        for key_text, title, key_id in rows:
            wrapped = textwrap.wrap(title, max(16, width - key_w)) or [""]
            lines.append(f"{key_text:<{key_w}}{wrapped[0]}")
            lines.extend(f"{'':<{key_w}}{more}" for more in wrapped[1:])
            lines.append(f"{'':<{key_w}}  id: {key_id}")
    return [*lines, "", *legend(ascii_only), "", *VIEWER_HELP]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help.close")
    ]

    def __init__(self, keymap: Mapping[str, str], ascii_only: bool = False):
        super().__init__(classes="dialog")
        self.keymap = keymap
        self.ascii_only = ascii_only
        self.body = TextLines(id="help-table")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box help-box"):
            yield Label("ossbrowse - keys", classes="dialog-title")
            yield self.body
            yield Static(Text(MOUSE_HELP), classes="dialog-hint")

    def on_mount(self) -> None:
        self.body.focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fill()

    def _fill(self) -> None:
        # The scroll bar's two cells are kept free: it appears once the lines are in.
        width = (self.body.size.width or self.app.size.width - 10) - 2
        self.body.set_lines(help_lines(self.keymap, width, self.ascii_only))

    def action_close(self) -> None:
        self.dismiss(None)
