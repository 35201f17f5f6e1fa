"""The status line: entries and marks of the active pane, sort and filter, transfers running."""

from __future__ import annotations

from rich.console import OverflowMethod
from rich.text import Text
from textual.widget import Widget

from ossbrowse.text import safe_text
from ossbrowse.ui.rows import display_name, human_size
from ossbrowse.ui.versioning_status import versioning_parts
from ossbrowse.ui.words import counted


class StatusLine(Widget):
    """One line of fixed height: redrawing it never needs a new layout (a `Static.update`
    would ask for one on every cursor move)."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Text()

    def render(self) -> Text:
        return self.text

    def show(self, pane, transfers: str = "") -> None:  # pane: ossbrowse.ui.pane.Pane
        model = pane.file_list.model
        parts = [
            counted(len(model.view), "entry", "entries") + (" (loading)" if pane.is_loading else "")
        ]
        parts.extend(versioning_parts(pane))  # "versioned bucket": prices differ there
        if model.marked_count:
            parts.append(f"marked {model.marked_count:,} ({human_size(model.marked_size)})")
        current = pane.file_list.current
        if current is not None and current is not pane.file_list.up_entry:
            parts.append(display_name(current))
            notes = pane.file_list.annotations  # the compare's one-line reason, while it shows
            reason = notes.reason(current) if notes is not None else None
            if reason:
                parts.append(safe_text(reason))
        order = model.sort_key.value + (" desc" if model.reverse else "")
        parts.append(f"sort: {order}")
        if model.filter_text:
            parts.append(f"filter: {safe_text(model.filter_text)}")
        if transfers:
            parts.append(transfers)
        separator = " | " if pane.ascii_only else " │ "
        overflow: OverflowMethod = "crop" if pane.ascii_only else "ellipsis"
        text = Text(separator.join(parts), no_wrap=True, overflow=overflow)
        if text.plain != self.text.plain:
            self.text = text
            self.refresh()
