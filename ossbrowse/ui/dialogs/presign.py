"""The presigned-URL dialog: pick an expiry, see the URL, and have it copied through OSC 52."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ossbrowse.errors import UsageError
from ossbrowse.text import safe_text
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

Presigner = Callable[[str, int], str]  # (oss:// URL, seconds) -> https URL

MAX_EXPIRY = 7 * 24 * 3600  # V4 signatures allow at most 7 days


def parse_expiry(text: str) -> int:
    """`3600`, `90m`, `12h`, `7d` -> seconds; a sentence when it is not one."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    factor = units.get(text[-1:], 0)
    number = text[:-1] if factor else text
    factor = factor or 1
    if not number.isdigit() or int(number) <= 0:
        raise UsageError(f"{text!r} is not an expiry.", hint="Give e.g. 3600, 90m, 12h or 7d.")
    seconds = int(number) * factor
    if seconds > MAX_EXPIRY:
        raise UsageError("A presigned URL can live at most 7 days.", hint="Give 7d or less.")
    return seconds


class PresignDialog(ReportsWorkerErrors, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="dialog.cancel")
    ]

    def __init__(self, url: str, presign: Presigner) -> None:
        super().__init__(classes="dialog")
        self.url = url
        self.presign = presign

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(f"Presigned URL for {safe_text(self.url)}"), classes="dialog-title")
            yield Label("expires in (seconds, or 90m, 12h, 7d):")
            yield Input(value="1h", id="presign-expiry")
            yield Static(Text("Enter signs; the URL is copied to the clipboard."), id="presign-out")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            seconds = parse_expiry(event.value)
        except UsageError as exc:
            self.query_one("#presign-out", Static).update(Text(str(exc)))
            return
        self._sign(seconds)

    @work(thread=True, exclusive=True, exit_on_error=False, group="presign")
    def _sign(self, seconds: int) -> None:
        signed = self.presign(self.url, seconds)
        self.app.call_from_thread(self._show, signed, seconds)

    def _show(self, signed: str, seconds: int) -> None:
        self.app.copy_to_clipboard(signed)
        hours = seconds / 3600
        self.query_one("#presign-out", Static).update(
            Text(f"{signed}\n\nValid for {hours:g} h. Copied to the clipboard (OSC 52).")
        )

    def action_close(self) -> None:
        self.dismiss(None)
