"""The restore dialog: fits the storage class (days range, tiers), shows the expected wait.

Archive: 1 to 7 days, about a minute. ColdArchive: 1 to 365 days and a tier (Expedited within
an hour, Standard 2 to 5 hours, Bulk 5 to 12 hours). DeepColdArchive: 1 to 365 days, Expedited
(within 12 hours) or Standard (within 48 hours). The figures come from
`ossbrowse.fs.storage_classes` (sources cited there). "Download when ready" is returned to the
caller, which hands it to the restore watcher.
"""

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
from ossbrowse.fs.restore_state import describe_restore
from ossbrowse.fs.storage_classes import RestoreOptions, restore_options
from ossbrowse.text import safe_text
from ossbrowse.ui.dialogs.tick_box import TickBox
from ossbrowse.ui.words import counted


@dataclass(frozen=True)
class RestoreChoice:
    entries: list[Entry]
    days: int
    tier: str | None  # None when no chosen class takes a tier
    download_when_ready: bool = False


def _options_for(entries: list[Entry]) -> list[RestoreOptions]:
    found: dict[str, RestoreOptions] = {}
    for entry in entries:
        options = restore_options(entry.storage_class)
        if options is not None:
            found[options.storage_class] = options
    return list(found.values())


class RestoreDialog(ModalScreen[RestoreChoice | None]):
    """Days and (for the cold classes) a tier, with the expected wait beside them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="restore.cancel"),
        # Enter submits from anywhere, as the button says (Space ticks the box).
        Binding("enter", "submit", "Restore", id="restore.submit"),
    ]

    def __init__(
        self,
        entries: list[Entry],
        *,
        offer_download: bool = True,
        download_to: str | None = None,
        download: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self.entries = [e for e in entries if restore_options(e.storage_class) is not None]
        self.options = _options_for(self.entries)
        self.max_days = min((o.max_days for o in self.options), default=7)
        tiers: list[str] = []
        for options in self.options:
            tiers += [t.name for t in options.tiers if t.name not in tiers]
        self.tiers = tiers
        self.offer_download = offer_download
        self.download_to = download_to  # where "download when ready" puts the objects
        self.download = download  # the box starts ticked (the person asked for a copy)

    def _summary(self) -> str:
        if len(self.entries) == 1:
            entry = self.entries[0]
            state = describe_restore(entry.restore) or "not restored"
            return f"{safe_text(entry.name)}: {entry.storage_class}, {state}"
        classes = ", ".join(sorted({e.storage_class or "" for e in self.entries}))
        return f"{counted(len(self.entries), 'archived object')} ({classes})"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Restore", classes="dialog-title")
            yield Static(Text(self._summary()), classes="dialog-body", id="restore-summary")
            yield Label(f"Keep the restored copy readable for (1 to {self.max_days} days):")
            # Compact (one line each): at 80x24 the buttons stay on the screen.
            yield Input(value="1", id="restore-days", compact=True)
            if self.tiers:
                yield Label("Tier:")
                yield Select([(t, t) for t in self.tiers], value="Standard", allow_blank=False,
                             id="restore-tier", compact=True)  # fmt: skip
            yield Static(Text(self._wait_text(None)), id="restore-wait")
            if self.offer_download:
                where = f" to {safe_text(self.download_to)}" if self.download_to else ""
                yield TickBox(Text(f"Download when ready{where}"), self.download,
                              id="restore-download", compact=True)  # fmt: skip
                yield Static("Space ticks the box; Enter restores.", classes="restore-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Restore (Enter)", id="ok", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def _wait_text(self, tier: str | None) -> str:
        waits = []
        for options in self.options:
            waits.append(f"{options.storage_class}: {options.expected_wait(tier)}")
        return "Expected wait: " + "; ".join(waits) if waits else "Nothing here needs a restore."

    def on_mount(self) -> None:
        self.query_one("#restore-days", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one("#restore-wait", Static).update(Text(self._wait_text(str(event.value))))

    def _submit(self) -> None:
        text = self.query_one("#restore-days", Input).value.strip()
        if not text.isdigit() or not 1 <= int(text) <= self.max_days:
            self.notify(f"Days must be a whole number from 1 to {self.max_days}.",
                        severity="warning", markup=False)  # fmt: skip
            return
        tier = str(self.query_one("#restore-tier", Select).value) if self.tiers else None
        download = self.offer_download and self.query_one("#restore-download", TickBox).value
        self.dismiss(RestoreChoice(self.entries, int(text), tier, download))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_submit(self) -> None:
        self._submit()

    def action_cancel(self) -> None:
        self.dismiss(None)
