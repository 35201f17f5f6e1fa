"""A name clash in a copy: answered for this file, or once for every clash of the copy.

MC's and oss-browser's choices: overwrite, skip, keep both (this one); overwrite all, skip all
(none), older only (overwrite where the existing one is older), skip identical (size and
CRC64, else mtime); cancel (stops the copy; what was written stays).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static
from textual.widgets.button import ButtonVariant

from ossbrowse.fs.base import Entry
from ossbrowse.text import safe_text
from ossbrowse.ui.rows import format_time, human_size
from ossbrowse.ui.versioning_status import overwrite_note

# Answers for this file only, and answers that hold for the rest of the copy.
ONE = ("overwrite", "skip", "keep-both")
ALL = ("overwrite-all", "skip-all", "older", "same")
CANCEL = "cancel"

CHOICES: dict[str, tuple[str, str]] = {  # answer -> (button label, key)
    "overwrite": ("Overwrite (o)", "o"),
    "skip": ("Skip (s)", "s"),
    "keep-both": ("Keep both (k)", "k"),
    CANCEL: ("Cancel copy (c)", "c"),
    "overwrite-all": ("Overwrite all (a)", "a"),
    "skip-all": ("Skip all (n)", "n"),
    "older": ("Older only (l)", "l"),
    "same": ("Skip identical (i)", "i"),
}


def _line(label: str, entry: Entry | None) -> str:
    if entry is None:
        return f"{label}: ?"
    when = format_time(entry.mtime) or "time unknown"
    return f"{label:<9}{human_size(entry.size):>10}, {when}"


class ClashDialog(ModalScreen[str]):
    """Dismissed with one of ONE, ALL or CANCEL; Esc is skip (this file)."""

    DEFAULT_CSS = """
    ClashDialog .clash-row { height: auto; margin-top: 1; }
    ClashDialog .clash-row Label { width: 12; }
    ClashDialog .clash-row Button { margin-right: 1; min-width: 8; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"choose('{answer}')", label.partition(" (")[0], id=f"clash.{answer}")
          for answer, (label, key) in CHOICES.items()),
        Binding("escape", "choose('skip')", "Skip", id="clash.escape"),
    ]  # fmt: skip

    def __init__(self, src: Entry | None, dst: Entry | None, remaining: str = "") -> None:
        super().__init__(classes="dialog")
        self.src = src
        self.dst = dst
        self.remaining = remaining

    def compose(self) -> ComposeResult:
        name = safe_text(self.dst.path if self.dst is not None else "?")
        body = f"{name}\n{_line('new', self.src)}\n{_line('existing', self.dst)}"
        if self.remaining:
            body += f"\n{self.remaining}"
        if self.dst is not None and (kept := overwrite_note(self.dst.path)):
            body += f"\n{kept}"  # a versioned bucket keeps what an overwrite replaces
        with Vertical(classes="dialog-box", id="clash-box"):
            yield Label("The destination exists", classes="dialog-title")
            yield Static(Text(body), classes="dialog-body")
            rows = (("This file:", ONE), ("Every clash:", ALL[:3]), ("", (ALL[3], CANCEL)))
            for title, answers in rows:
                with Horizontal(classes="clash-row"):
                    yield Label(title)
                    for answer in answers:
                        variant: ButtonVariant = "primary" if answer == "skip" else "default"
                        yield Button(
                            CHOICES[answer][0], id=f"clash-{answer}", compact=True, variant=variant
                        )

    def on_mount(self) -> None:
        self.query_one("#clash-skip", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose((event.button.id or "clash-skip").removeprefix("clash-"))

    def action_choose(self, answer: str) -> None:
        self.dismiss(answer)
