"""An irreversible action's confirmation: the person types a word (the object's name, or
"delete") before the button works. `TypedConfirmDialog` returns True only then; Escape, the
Cancel button or any other text return False."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ossbrowse.text import safe_text


class TypedConfirmDialog(ModalScreen[bool]):
    """Title, the warning and price (plain text), an input, and a button enabled only once
    the input holds one of `accepted` exactly."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "Cancel", id="typed.cancel"),
    ]
    DEFAULT_CSS = "TypedConfirmDialog #typed-scroll { height: auto; max-height: 14; }"

    def __init__(self, title: str, lines: list[str], accepted: list[str], yes: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.lines = lines
        self.accepted = [a for a in accepted if a]
        self.yes = yes

    def compose(self) -> ComposeResult:
        shown = " or ".join(f'"{safe_text(a)}"' for a in self.accepted)
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(id="typed-scroll"):
                yield Static(Text("\n".join(self.lines)), classes="dialog-body")
            yield Static(Text(f"Type {shown} to confirm:"), classes="dialog-body")
            yield Input(id="typed-input")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="error", disabled=True)
                yield Button("Cancel (Esc)", id="no")

    # Rows the box needs besides the scrolled text: border and padding 4, title 2, the line
    # asking for the word 2, the input 3, the buttons 4 (margin and a 3-row button).
    AROUND = 15

    def on_mount(self) -> None:
        self._fit()
        self.query_one("#typed-input", Input).focus()

    def on_resize(self, _event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """The warning scrolls in what the screen leaves (the box is at most 90% high), so
        the input and the buttons always show, on an 80x24 terminal too."""
        room = self.app.size.height * 9 // 10 - self.AROUND
        self.query_one("#typed-scroll").styles.max_height = max(2, min(14, room))

    @property
    def confirmed(self) -> bool:
        return self.query_one("#typed-input", Input).value in self.accepted

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#yes", Button).disabled = not self.confirmed

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.confirmed:
            self.dismiss(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes" and self.confirmed)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer and self.confirmed)
