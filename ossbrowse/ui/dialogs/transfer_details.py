"""Every failed or skipped file of one transfer, with why: what the panel's detail line cuts."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ossbrowse.text import safe_text
from ossbrowse.ui.text_lines import TextLines
from ossbrowse.ui.words import for_the_ui


def all_lines(job: Any, ascii_only: bool = False) -> list[str]:
    arrow = "->" if ascii_only else "→"
    lines = [f"{safe_text(job.src)} {arrow} {safe_text(job.dst)}" if job.dst else
             safe_text(job.src), ""]  # fmt: skip
    if job.error and not job.failures:
        lines.append(f"Failed: {safe_text(job.error)}")
    if job.failures:
        lines.append(f"Failed ({len(job.failures)}):")
        for failure in job.failures:
            lines.append(f"  {safe_text(failure.src)}")
            lines.append(f"      {safe_text(failure.message)}")
    if job.notes:
        lines.append("Notes:")
        lines += [f"  {safe_text(for_the_ui(note))}" for note in job.notes]
    if len(lines) == 2:
        lines.append("Nothing failed or was skipped.")
    return lines


class TransferDetails(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", "Close", id="transfer_details.close")
    ]

    def __init__(self, job: Any, ascii_only: bool = False) -> None:
        super().__init__(classes="dialog")
        self.job = job
        self.body = TextLines(id="transfer-details-body")
        self.body.set_lines(all_lines(job, ascii_only))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box inspector-box"):
            yield Label("Transfer details", classes="dialog-title")
            yield self.body
            yield Static(Text("a in the panel retries the failed files; Esc closes."),
                         classes="dialog-hint")  # fmt: skip

    def on_mount(self) -> None:
        self.body.focus()

    def action_close(self) -> None:
        self.dismiss(None)
