"""The one place that builds the confirm dialogs for move, rename, delete and edit.

Issue 6 (price before you pay) replaces these plain confirmations with priced dialogs from
`ossbrowse.ops`; every caller goes through the functions below, so that swap touches this
module only. Each returns a `ModalScreen[bool]`: True means go ahead.
"""

from __future__ import annotations

from textual.screen import ModalScreen

from ossbrowse.fs.base import Entry
from ossbrowse.text import safe_text
from ossbrowse.ui.dialogs.confirm import ConfirmDialog
from ossbrowse.ui.dialogs.copy import describe_sources
from ossbrowse.ui.rows import human_size
from ossbrowse.ui.sides import is_oss_path

NOT_ATOMIC = (
    "OSS has no rename: every object is copied, then the original deleted. "
    "If it stops half way, some objects exist under both names."
)


def delete_dialog(entries: list[Entry]) -> ModalScreen[bool]:
    lines = [describe_sources(entries)]
    if any(e.is_dir for e in entries):
        lines.append("Folders are deleted with everything inside them.")
    if any(is_oss_path(e.path) for e in entries):
        lines.append("Deleted objects cannot be recovered unless the bucket keeps versions.")
    return ConfirmDialog("Delete?", lines, yes="Delete", danger=True)


def move_dialog(entries: list[Entry], destination: str) -> ModalScreen[bool]:
    lines = [describe_sources(entries), f"to {safe_text(destination)}"]
    if any(is_oss_path(e.path) for e in entries) or is_oss_path(destination):
        lines.append(NOT_ATOMIC)
    return ConfirmDialog("Move?", lines, yes="Move")


def edit_dialog(entry: Entry) -> ModalScreen[bool]:
    lines = [
        f"{safe_text(entry.path)} ({human_size(entry.size)})",
        "OSS cannot edit in place: the object is downloaded, opened in your editor, "
        "and uploaded again whole if you save a change.",
    ]
    return ConfirmDialog("Edit an object?", lines, yes="Edit")
