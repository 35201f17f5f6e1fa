"""Asked when an object changed on OSS while it was being edited: keep both, overwrite, cancel."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ossbrowse.text import safe_text


class EditConflictDialog(ModalScreen[str]):
    """Result: "keep-both" (the default), "overwrite" or "cancel" (values of ops.edit.Conflict)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose('keep-both')", "Keep both", id="edit_conflict.keep_both"),
        Binding("o", "choose('overwrite')", "Overwrite", id="edit_conflict.overwrite"),
        Binding("c,escape", "choose('cancel')", "Cancel", id="edit_conflict.cancel"),
    ]

    def __init__(self, key: str, gone: bool = False) -> None:
        super().__init__(classes="dialog")
        self.key = key
        self.gone = gone

    def compose(self) -> ComposeResult:
        what = "was deleted" if self.gone else "was changed by someone else"
        lines = [
            f"{safe_text(self.key)} {what} while you edited it.",
            "Keep both: your edit is uploaded beside it under a new name.",
            "Overwrite: your edit replaces what is there now.",
            "Cancel: nothing is uploaded; your edited file is kept and its place is shown.",
        ]
        with Vertical(classes="dialog-box"):
            yield Label("Changed meanwhile", classes="dialog-title")
            yield Static(Text("\n".join(lines)), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep both (k)", id="keep-both", variant="primary")
                yield Button("Overwrite (o)", id="overwrite", variant="error")
                yield Button("Cancel (c)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#keep-both", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
