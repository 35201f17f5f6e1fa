"""The copy dialog: what is copied, an editable destination, and what to do on a name clash."""

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
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui.rows import human_size

POLICY_LABELS = {
    ConflictPolicy.ASK: "ask me for each clash",
    ConflictPolicy.OVERWRITE: "overwrite",
    ConflictPolicy.SKIP: "skip existing",
    ConflictPolicy.SAME: "skip if the same, else overwrite",
    ConflictPolicy.KEEP_BOTH: "keep both (name (1).ext)",
}


@dataclass(frozen=True)
class CopyRequest:
    sources: list[Entry]
    destination: str  # the folder the sources go into
    policy: ConflictPolicy


def describe_sources(sources: list[Entry], limit: int = 4) -> str:
    files = sum(1 for e in sources if not e.is_dir)
    folders = len(sources) - files
    size = sum(e.size for e in sources if not e.is_dir)
    names = ", ".join(safe_text(e.name) for e in sources[:limit])
    if len(sources) > limit:
        names += f" and {len(sources) - limit} more"
    parts = []
    if files:
        parts.append(f"{files} file{'s' if files != 1 else ''} ({human_size(size)})")
    if folders:
        parts.append(f"{folders} folder{'s' if folders != 1 else ''} (with all inside)")
    return f"{' and '.join(parts)}: {names}"


class CopyDialog(ModalScreen[CopyRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(
        self,
        sources: list[Entry],
        destination: str,
        policy: ConflictPolicy = ConflictPolicy.ASK,
        verb: str = "Copy",
    ):
        super().__init__(classes="dialog")
        self.sources = sources
        self.destination = destination
        self.policy = policy
        self.verb = verb

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(f"{self.verb}"), classes="dialog-title")
            yield Static(Text(describe_sources(self.sources)), classes="dialog-body")
            yield Label("to folder:")
            yield Input(value=self.destination, id="copy-destination")
            yield Label("if a name exists there:")
            yield Select(
                [(label, policy) for policy, label in POLICY_LABELS.items()],
                value=self.policy,
                allow_blank=False,
                id="copy-policy",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.verb} (Enter)", id="ok", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#copy-destination", Input).focus()

    def _submit(self) -> None:
        destination = self.query_one("#copy-destination", Input).value.strip()
        if not destination:
            self.notify("Give a destination folder.", severity="warning", markup=False)
            return
        policy = self.query_one("#copy-policy", Select).value
        if not isinstance(policy, ConflictPolicy):  # the Select always holds one
            policy = ConflictPolicy.ASK
        self.dismiss(CopyRequest(self.sources, destination, policy))

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
