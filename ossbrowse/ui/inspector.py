"""Inspect one entry: every field `stat` returns, user metadata and restore state, as plain text."""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.base import Entry, EntryKind, FileSystem
from ossbrowse.text import safe_text
from ossbrowse.ui.rows import human_size
from ossbrowse.ui.text_lines import TextLines
from ossbrowse.ui.worker_errors import ReportsWorkerErrors


def size_text(entry: Entry) -> str:
    """A file's size; a folder has none of its own ("0 bytes" read as an empty folder)."""
    if entry.kind is EntryKind.FILE:
        return f"{entry.size:,} bytes ({human_size(entry.size)})"
    if entry.size:
        return f"{entry.size:,} bytes in all ({human_size(entry.size)}), as counted"
    return "not counted (a folder: Ctrl+Space or z counts what it holds)"


def describe(entry: Entry, acl: str | None = None) -> list[str]:
    """`field: value` lines for every field of the entry (and its ACL, when read); safe text."""

    def when(ts: float | None) -> str:
        if ts is None:
            return "-"
        return time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(ts))

    restore = entry.restore.status.value
    if entry.restore.expires is not None:
        restore += f" (readable until {entry.restore.expires.isoformat()})"
    rows = [
        ("name", safe_text(entry.name)),
        ("path", safe_text(entry.path)),
        ("kind", entry.kind.value),
        ("size", size_text(entry)),
        ("modified", when(entry.mtime)),
        ("storage class", entry.storage_class or "-"),
        ("object type", entry.object_type or "-"),
        ("ETag", safe_text(entry.etag) if entry.etag else "-"),
        ("CRC64", str(entry.crc64) if entry.crc64 is not None else "-"),
        ("restore", restore),
    ]
    if acl is not None:
        rows.append(("ACL", safe_text(acl)))
    if entry.region:
        rows.append(("region", safe_text(entry.region)))
    lines = [f"{name:<14} {value}" for name, value in rows]
    if entry.user_meta:
        lines.append("")
        lines.append("user metadata (x-oss-meta-*):")
        for key, value in sorted(entry.user_meta.items()):
            lines.append(f"  {safe_text(key)}: {safe_text(value)}")
    else:
        lines.append(f"{'user metadata':<14} none")
    return lines


class Inspector(ReportsWorkerErrors, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i", "close", "Close", id="inspector.close")
    ]

    def __init__(self, fs: FileSystem, entry: Entry) -> None:
        super().__init__(classes="dialog")
        self.fs = fs
        self.entry = entry
        self.body = TextLines(id="inspector-body")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box inspector-box"):
            yield Label(Text(f"Inspect {safe_text(self.entry.name)}"), classes="dialog-title")
            yield self.body

    def on_mount(self) -> None:
        self.body.set_lines(["reading..."])
        self.body.focus()
        self._stat()

    @work(thread=True, exclusive=True, exit_on_error=False, group="inspector")
    def _stat(self) -> None:
        entry = self.fs.stat(self.entry.path)
        self.app.call_from_thread(self.body.set_lines, describe(entry))
        get_acl = getattr(self.fs, "get_acl", None)  # the OSS side only
        if get_acl is None or entry.kind is EntryKind.FOLDER:
            return
        try:
            acl = get_acl(entry.path)
        except OssBrowseError as exc:
            acl = f"could not be read: {exc}"
        from ossbrowse.ops.properties import describe_tags

        tags = describe_tags(getattr(self.app, "bucket_for", None), entry.path)
        self.app.call_from_thread(self.body.set_lines, describe(entry, acl) + tags)

    def action_close(self) -> None:
        self.dismiss(None)
