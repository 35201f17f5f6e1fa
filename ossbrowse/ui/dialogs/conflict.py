"""Asked from a transfer worker when a destination exists and the policy is 'ask me'."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ossbrowse.fs.base import Entry
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui.rows import format_time, human_size


def _line(label: str, entry: Entry | None) -> str:
    if entry is None:
        return f"{label}: ?"
    return f"{label}: {human_size(entry.size)}, {format_time(entry.mtime) or 'time unknown'}"


class ConflictDialog(ModalScreen[ConflictPolicy]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("s,escape", "choose('skip')", "Skip", id="conflict.skip"),
        Binding("k", "choose('keep-both')", "Keep both", id="conflict.keep_both"),
    ]

    def __init__(self, src: Entry | None, dst: Entry | None) -> None:
        super().__init__(classes="dialog")
        self.src = src
        self.dst = dst

    def compose(self) -> ComposeResult:
        name = safe_text(self.dst.path if self.dst is not None else "?")
        with Vertical(classes="dialog-box"):
            yield Label("The destination exists", classes="dialog-title")
            yield Static(
                Text(f"{name}\n{_line('new', self.src)}\n{_line('existing', self.dst)}"),
                classes="dialog-body",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Overwrite (o)", id="overwrite", variant="warning")
                yield Button("Skip (s)", id="skip", variant="primary")
                yield Button("Keep both (k)", id="keep-both")

    def on_mount(self) -> None:
        self.query_one("#skip", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "skip")

    def action_choose(self, value: str) -> None:
        self.dismiss(ConflictPolicy(value))
