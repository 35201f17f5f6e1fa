"""A simple restore dialog (days, and a tier for the cold classes); issue 6 brings the full one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ossbrowse.fs.base import Entry
from ossbrowse.ui.dialogs.copy import describe_sources

TIERS = ("Expedited", "Standard", "Bulk")


@dataclass(frozen=True)
class RestoreRequest:
    entries: list[Entry]
    days: int
    tier: str | None  # None for Archive (no tier)


class RestoreDialog(ModalScreen[RestoreRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__(classes="dialog")
        self.entries = entries
        self.cold = any(e.storage_class in ("ColdArchive", "DeepColdArchive") for e in entries)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Restore", classes="dialog-title")
            yield Static(Text(describe_sources(self.entries)), classes="dialog-body")
            yield Label("keep the restored copy for (days):")
            yield Input(value="1", id="restore-days")
            if self.cold:
                yield Label("tier (cold archive classes):")
                yield Select([(t, t) for t in TIERS], value="Standard", allow_blank=False,
                             id="restore-tier")  # fmt: skip
            with Horizontal(classes="dialog-buttons"):
                yield Button("Restore (Enter)", id="ok", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#restore-days", Input).focus()

    def _submit(self) -> None:
        text = self.query_one("#restore-days", Input).value.strip()
        if not text.isdigit() or not 1 <= int(text) <= 365:
            self.notify("Days must be a number from 1 to 365.", severity="warning", markup=False)
            return
        tier = str(self.query_one("#restore-tier", Select).value) if self.cold else None
        self.dismiss(RestoreRequest(self.entries, int(text), tier))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
