"""The help screen: every key the app binds, with its id for remapping in config.toml."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from ossbrowse.ui import keys

MOUSE_HELP = (
    "Mouse: click selects, double-click opens, the wheel scrolls; press on a row in one pane "
    "and release over the other to copy there. Remap keys in config.toml: [keys] pane.copy = "
    '"f5,c".'
)


def pretty_keys(spec: str) -> str:
    names = {"slash": "/", "plus": "+", "minus": "-", "asterisk": "*", "question_mark": "?"}
    return " ".join(names.get(k, k) for k in spec.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help.close")
    ]

    def __init__(self, keymap: Mapping[str, str]):
        super().__init__(classes="dialog")
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box help-box"):
            yield Label("ossbrowse - keys", classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text(MOUSE_HELP), classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Keys", "What it does", "Id")
        for spec in keys.ALL_KEYS:
            key_text = pretty_keys(keys.effective_keys(spec, self.keymap))
            table.add_row(Text(key_text), Text(spec.title), Text(spec.id))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
