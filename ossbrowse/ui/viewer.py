"""View a file or object as text or hex, by ranged reads: never the whole object at once.

The first 64 KiB are read; scrolling to the end reads the next 64 KiB. Text is decoded as
UTF-8 (bad bytes replaced) and escaped with `safe_text`; binary content is shown as hex.
"""

from __future__ import annotations

import codecs
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ossbrowse.fs.base import Entry, FileSystem
from ossbrowse.text import safe_text
from ossbrowse.ui.rows import human_size
from ossbrowse.ui.text_lines import TextLines
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

CHUNK = 64 * 1024


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 1% of the sample not UTF-8, means binary."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    try:
        sample.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return False  # a multi-byte character cut at the end of the sample is still text
    bad = sample.decode("utf-8", errors="replace").count("\ufffd")
    return bad > len(sample) // 100


def hex_lines(data: bytes, offset: int) -> list[str]:
    lines = []
    for i in range(0, len(data), 16):
        row = data[i : i + 16]
        hexes = " ".join(f"{b:02x}" for b in row)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        lines.append(f"{offset + i:08x}  {hexes:<47}  |{text}|")
    return lines


class TextDecoder:
    """Chunks of UTF-8 in, whole safe lines out; a line cut by a chunk waits for the next."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial = ""

    def feed(self, data: bytes, final: bool) -> list[str]:
        text = self._partial + self._decoder.decode(data, final=final)
        parts = text.split("\n")
        self._partial = "" if final else parts.pop()
        return [safe_text(p.rstrip("\r").expandtabs(4)) for p in parts]


class Viewer(ReportsWorkerErrors, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f3,f10", "close", "Close", id="viewer.close"),
        Binding("h", "toggle_hex", "Text/Hex", id="viewer.hex"),
    ]

    def __init__(self, fs: FileSystem, entry: Entry) -> None:
        super().__init__()
        self.fs = fs
        self.entry = entry
        self.read_to = 0
        self.hex_mode: bool | None = None  # decided by the first chunk
        self.reading = False
        self.decoder = TextDecoder()
        self.chunks: list[bytes] = []  # kept so Text/Hex can switch without reading again
        self.header = Static(classes="viewer-header")
        self.body = TextLines(id="viewer-body")

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.body
        yield Footer()

    def on_mount(self) -> None:
        self._update_header()
        self.body.focus()
        self._read_more()

    @property
    def at_end(self) -> bool:
        return self.read_to >= self.entry.size

    def _update_header(self) -> None:
        mode = "hex" if self.hex_mode else "text"
        shown = f"{human_size(self.read_to)} of {human_size(self.entry.size)} read"
        more = "" if self.at_end else " (scroll down for more)"
        if self.reading:
            more = " (reading...)"
        self.header.update(Text(f"{safe_text(self.entry.path)}  [{mode}] {shown}{more}"))

    def _read_more(self) -> None:
        if self.entry.size == 0:
            self.body.set_lines(["(empty)"])
            return
        if self.reading or self.at_end:
            return
        self.reading = True
        self._update_header()
        self._read(self.read_to)

    @work(thread=True, exclusive=True, exit_on_error=False, group="viewer")
    def _read(self, start: int) -> None:
        end = min(start + CHUNK, self.entry.size) if self.entry.size else start + CHUNK
        with self.fs.open_read(self.entry.path, start, end) as stream:
            data = stream.read()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_chunk, start, data)

    def _show_chunk(self, start: int, data: bytes) -> None:
        self.reading = False
        if start != self.read_to:
            return
        if self.hex_mode is None:
            self.hex_mode = looks_binary(data)
        self.chunks.append(data)
        self.read_to += len(data)
        if not data:
            self.read_to = max(self.read_to, self.entry.size)
        self.body.append(self._lines_for(data, start))
        self._update_header()

    def _lines_for(self, data: bytes, start: int) -> list[str]:
        if self.hex_mode:
            return hex_lines(data, start)
        return self.decoder.feed(data, final=self.at_end)

    def on_text_lines_near_end(self) -> None:
        if not self.at_end:
            self._read_more()

    def action_toggle_hex(self) -> None:
        self.hex_mode = not self.hex_mode
        self.decoder = TextDecoder()
        lines: list[str] = []
        start = 0
        for chunk in self.chunks:
            lines.extend(self._lines_for(chunk, start))
            start += len(chunk)
        self.body.set_lines(lines)
        self._update_header()

    def action_close(self) -> None:
        self.workers.cancel_group(self, "viewer")
        self.dismiss(None)
