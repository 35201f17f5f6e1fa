"""The find dialog (MC's "find file"): name glob, regular expression, size, time and class.

It answers a `Filter` (`ops.filters`, the one filter model the verbs use), built from the same
words `ossbrowse find` takes (10K, 5MiB, 30d, 2026-01-31, IA...); a value that cannot be read
keeps the dialog open with a sentence saying what to write instead.
"""

from __future__ import annotations

import argparse
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ossbrowse.errors import UsageError
from ossbrowse.ops.filters import Filter, from_args, refuse_classes_locally
from ossbrowse.text import safe_text

# (input id, label, placeholder): the fields, in the order they are shown and tabbed through.
# A label and its input share one row, so the whole dialog fits an 80x24 terminal.
FIELDS = (
    ("find-name", "Name", "*.log (glob on the last segment)"),
    ("find-regex", "Path regex", "^2024/.*error (regular expression)"),
    ("find-min-size", "At least", "10K, 5MiB"),
    ("find-max-size", "At most", "1GiB"),
    ("find-newer", "Modified since", "30d, 12h, 2026-01-31"),
    ("find-older", "Modified before", "1y, 2025-12-31T23:00:00Z"),
    ("find-class", "Classes", "IA, Archive (comma separated)"),
)


def filter_from_fields(values: dict[str, str], *, local: bool, where: str) -> Filter:
    """The Filter the fields describe (UsageError with what to fix when one cannot be read)."""

    def value(name: str) -> str | None:
        return values.get(name, "").strip() or None

    classes = [c.strip() for c in (value("find-class") or "").split(",") if c.strip()]
    args = argparse.Namespace(
        filter_rules=[],
        min_size=value("find-min-size"),
        max_size=value("find-max-size"),
        newer=value("find-newer"),
        older=value("find-older"),
        storage_classes=classes,
    )
    filt = from_args(args, name=value("find-name"), regex=value("find-regex"))
    if local:
        refuse_classes_locally(filt, where)
    return filt


class FindDialog(ModalScreen[Filter | None]):
    """Where to search is the active pane's folder; Enter searches, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="find.cancel"),
    ]
    # One row a field; the box scrolls (focus follows) if a terminal is smaller still.
    DEFAULT_CSS = """
    FindDialog .dialog-box { overflow-y: auto; }
    FindDialog .find-row { height: 1; }
    FindDialog .find-row Label { width: 16; }
    FindDialog .find-row Input { width: 1fr; }
    FindDialog #find-problem { height: auto; }
    """

    def __init__(self, where: str, *, local: bool) -> None:
        super().__init__(classes="dialog")
        self.where = where
        self.local = local

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Find", classes="dialog-title")
            yield Static(Text(f"Search under {safe_text(self.where)}"), classes="dialog-body")
            for ident, label, placeholder in FIELDS:
                if ident == "find-class" and self.local:
                    continue  # local files have no storage class
                with Horizontal(classes="find-row"):
                    yield Label(label)
                    yield Input(placeholder=placeholder, id=ident, compact=True)
            yield Static(Text(""), id="find-problem")
            yield Static(
                Text("Empty fields match anything. Results open as a folder; Backspace leaves."),
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Find (Enter)", id="ok", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#find-name", Input).focus()

    def _submit(self) -> None:
        values = {field.id or "": field.value for field in self.query(Input)}
        try:
            filt = filter_from_fields(values, local=self.local, where=self.where)
        except UsageError as exc:
            self.query_one("#find-problem", Static).update(Text(safe_text(str(exc))))
            return
        self.dismiss(filt)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
