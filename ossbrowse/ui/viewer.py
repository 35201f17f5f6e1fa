"""View a file or object as text or hex, by ranged reads: never the whole object at once.

The viewer holds one window of the object (`viewer_window.ByteWindow`) and reads 64 KiB more
as the user scrolls either way. End reads the object's last range, Home its first; `o` goes to
a byte offset; `/` and `?` search forward and backward (text, or hex bytes in hex mode) by
ranged reads, `n`/`N` repeat; `w` wraps long lines. Text is decoded as UTF-8 (bad bytes
replaced) and escaped with `safe_text`; binary content is shown as hex.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ossbrowse.errors import OssBrowseError, UsageError
from ossbrowse.fs.base import Entry, FileSystem
from ossbrowse.text import safe_text
from ossbrowse.ui.describe import show_error
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.rows import human_size
from ossbrowse.ui.text_lines import TextLines
from ossbrowse.ui.viewer_search import find, parse_needle
from ossbrowse.ui.viewer_window import CHUNK, ByteWindow, hex_lines, line_of
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

__all__ = ["CHUNK", "Viewer", "hex_lines", "looks_binary", "parse_offset"]

# Lines kept above a go-to or a search hit, so it is seen with what leads to it.
CONTEXT = 2


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


def parse_offset(text: str, size: int) -> int:
    """A byte offset as typed: 1234, 0x4d2, 50%, 10k / 3M / 1G (binary units), -100 (from
    the end)."""
    raw = text.strip().lower().replace(",", "").replace("_", "")
    try:
        if raw.endswith("%"):
            value = int(float(raw[:-1]) / 100 * size)
        elif raw.startswith(("0x", "-0x")):
            value = int(raw, 16)
        elif raw and raw[-1] in "kmg":
            value = int(float(raw[:-1]) * 1024 ** ("kmg".index(raw[-1]) + 1))
        else:
            value = int(raw)
    except ValueError:
        raise UsageError(
            f"{safe_text(text)} is not an offset.",
            hint="Type bytes (1234), hex (0x4d2), a size (10k, 3M), a percentage (50%) or "
            "-100 for 100 bytes before the end.",
        ) from None
    if value < 0:
        value += size
    return max(0, min(value, max(0, size - 1)))


class Viewer(ReportsWorkerErrors, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f3,f10", "close", "Close", id="viewer.close"),
        Binding("h", "toggle_hex", "Text/Hex", id="viewer.hex"),
        Binding("w", "toggle_wrap", "Wrap", id="viewer.wrap"),
        Binding("o,colon", "goto_offset", "Offset", id="viewer.goto"),
        Binding("slash", "search(False)", "Search", id="viewer.search"),
        Binding("question_mark", "search(True)", "Back", id="viewer.search_back"),
        Binding("n", "search_again(False)", "Next", id="viewer.next"),
        Binding("N", "search_again(True)", "Prev", id="viewer.previous"),
        # Ahead of the list's own Home/End: those ends are the object's, not the window's.
        Binding("end,G", "end", "End", id="viewer.end", priority=True),
        Binding("home,g", "home", "Home", id="viewer.home", priority=True, show=False),
    ]

    def __init__(self, fs: FileSystem, entry: Entry, *, shown_as: str | None = None) -> None:
        super().__init__()
        self.fs = fs
        self.entry = entry
        # What the header names, when the bytes read are a stand-in (a version's local copy).
        self.shown_as = shown_as
        self.window = ByteWindow(entry.size)
        self.hex_mode: bool | None = None  # decided by the first range read
        self.reading = False
        self.searching = False
        self.offsets: list[int] = []  # byte offset of each line shown
        self.needle: bytes | None = None
        self.last_hit: int | None = None
        self._then_show: int | None = None  # an offset to bring into view once read
        self.header = Static(classes="viewer-header")
        self.body = TextLines(id="viewer-body")

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.body
        yield Footer()

    def on_mount(self) -> None:
        self._update_header()
        self.body.focus()
        self._read_next()

    # -- reading ---------------------------------------------------------------------------

    @property
    def read_to(self) -> int:
        return self.window.end

    @property
    def at_end(self) -> bool:
        return self.window.at_end

    def _update_header(self) -> None:
        mode = "hex" if self.hex_mode else "text"
        wrap = " wrap" if self.body.wrap else ""
        size = self.window.size
        if self.window.start == 0:
            shown = f"{human_size(self.window.end)} of {human_size(size)} read"
        else:
            shown = f"bytes {self.window.start:,}-{self.window.end:,} of {size:,}"
        more = "" if self.window.at_end else " (scroll for more; End reads the end)"
        if self.reading:
            more = " (reading...)"
        if self.searching:
            more = " (searching... Esc stops)"
        name = self.shown_as if self.shown_as is not None else self.entry.path
        self.header.update(Text(f"{safe_text(name)}  [{mode}{wrap}] {shown}{more}"))

    def _read_next(self) -> None:
        if self.entry.size == 0:
            self.body.set_lines(["(empty)"])
            return
        span = self.window.next_range()
        if self.reading or span is None:
            return
        self._start_read(*span)

    def _read_previous(self) -> None:
        span = self.window.previous_range()
        if self.reading or span is None:
            return
        self._start_read(*span)

    def _start_read(self, start: int, end: int) -> None:
        self.reading = True
        self._update_header()
        self._read(start, end)

    @work(thread=True, exclusive=True, exit_on_error=False, group="viewer")
    def _read(self, start: int, end: int) -> None:
        try:
            with self.fs.open_read(self.entry.path, start, end) as stream:
                data = stream.read()
        except BaseException:
            self.app.call_from_thread(self._read_failed)
            raise
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_range, start, data)

    def _read_failed(self) -> None:
        self.reading = False
        self._update_header()

    def _show_range(self, start: int, data: bytes) -> None:
        self.reading = False
        if self.hex_mode is None:
            self.hex_mode = looks_binary(data)
        top_offset = self.offsets[self.body.top_line] if self.offsets else None
        if not self.window.add(start, data):
            return  # the window moved (End, go to) while this range was read
        self._draw_window(keep_offset=top_offset)
        if self._then_show is not None:
            self._bring_into_view(self._then_show)
        self._update_header()

    def _draw_window(self, keep_offset: int | None = None) -> None:
        lines, self.offsets = self.window.render(bool(self.hex_mode))
        self.body.set_lines(lines or (["(empty)"] if self.window.at_end else []))
        if keep_offset is not None and self.offsets:
            self.body.scroll_to_line(line_of(self.offsets, keep_offset))

    def _bring_into_view(self, offset: int) -> None:
        """Scroll so the line of `offset` shows near the top; read on if it is not in yet."""
        if offset >= self.window.end and not self.window.at_end:
            self._then_show = offset
            self._read_next()
            return
        self._then_show = None
        if offset >= self.window.size:
            self.call_after_refresh(self.body.scroll_end, animate=False)  # End: the last page
        elif self.offsets:
            self.body.scroll_to_line(max(0, line_of(self.offsets, offset) - CONTEXT))

    def _jump(self, offset: int, *, at_end: bool = False) -> None:
        """Start the window over around `offset` (a few lines before it, for context)."""
        self.workers.cancel_group(self, "viewer")
        self.reading = False
        size = self.window.size
        # Around `offset`, a little before it: the text line holding it starts earlier.
        start = max(0, size - CHUNK) if at_end else max(0, offset - 1024)
        if self.hex_mode:
            start -= start % 16
        self.window.reset(start)
        self.offsets = []
        self.body.set_lines([])
        self._then_show = size if at_end else offset
        self._read_next()

    def on_text_lines_near_end(self) -> None:
        if not self.window.at_end:
            self._read_next()

    def on_text_lines_near_start(self) -> None:
        if not self.window.at_start:
            self._read_previous()

    # -- keys ------------------------------------------------------------------------------

    def action_end(self) -> None:
        if self.window.at_end:
            self.body.scroll_end(animate=False, immediate=True)
            return
        self._jump(self.window.size, at_end=True)

    def action_home(self) -> None:
        if self.window.at_start:
            self.body.scroll_home(animate=False, immediate=True)
            return
        self._jump(0)

    def action_toggle_hex(self) -> None:
        top = self.offsets[self.body.top_line] if self.offsets else None
        self.hex_mode = not self.hex_mode
        self._draw_window(keep_offset=top)
        self._update_header()

    def action_toggle_wrap(self) -> None:
        self.body.set_wrap(not self.body.wrap)
        self._update_header()

    def action_goto_offset(self) -> None:
        def chosen(text: str | None) -> None:
            if not text:
                return
            try:
                offset = parse_offset(text, self.window.size)
            except OssBrowseError as exc:
                show_error(self.app, exc)
                return
            self.last_hit = offset
            if self.window.start <= offset < self.window.end and self.offsets:
                self._bring_into_view(offset)
            else:
                self._jump(offset)

        self.app.push_screen(
            PromptDialog("Go to offset", "Bytes (1234), hex (0x4d2), 10k, 3M, 50% or -100 "
                         f"(from the end); the object is {self.window.size:,} bytes"),
            chosen,
        )  # fmt: skip

    def action_search(self, backward: bool) -> None:
        what = 'hex bytes (de ad be ef) or "text"' if self.hex_mode else "text"
        title = "Search backward" if backward else "Search"

        def chosen(text: str | None) -> None:
            if not text:
                return
            try:
                self.needle = parse_needle(text, bool(self.hex_mode))
            except OssBrowseError as exc:
                show_error(self.app, exc)
                return
            self._search(backward, from_view=True)

        self.app.push_screen(PromptDialog(title, f"Look for {what}; n and N repeat"), chosen)

    def action_search_again(self, backward: bool) -> None:
        if not self.needle:
            self.notify("Nothing searched yet: / searches forward, ? backward.", markup=False)
            return
        self._search(backward, from_view=False)

    def _search(self, backward: bool, from_view: bool) -> None:
        if self.last_hit is not None and not from_view:
            start = self.last_hit if backward else self.last_hit + 1
        elif self.offsets:
            start = self.offsets[min(self.body.top_line, len(self.offsets) - 1)]
        else:
            start = self.window.start
        self.searching = True
        self._update_header()
        self._search_worker(self.needle, start, backward)

    @work(thread=True, exclusive=True, exit_on_error=False, group="viewer-search")
    def _search_worker(self, needle: bytes, start: int, backward: bool) -> None:
        worker = get_current_worker()

        def read(begin: int, end: int) -> bytes:
            with self.fs.open_read(self.entry.path, begin, end) as stream:
                return stream.read()

        try:
            hit = find(read, self.window.size, needle, start, backward=backward,
                       cancelled=lambda: worker.is_cancelled)  # fmt: skip
        finally:
            self.app.call_from_thread(self._search_done)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._found, hit, needle, backward)

    def _search_done(self) -> None:
        self.searching = False
        self._update_header()

    def _found(self, hit: int | None, needle: bytes, backward: bool) -> None:
        if hit is None:
            where = "before this point" if backward else "after this point"
            shown = needle.hex(" ") if self.hex_mode else needle.decode("utf-8", "replace")
            self.notify(f"Not found {where}: {safe_text(shown)}", markup=False)
            return
        self.last_hit = hit
        self.notify(f"Found at byte {hit:,} (0x{hit:x}).", markup=False, timeout=3)
        if self.window.start <= hit < self.window.end and self.offsets:
            self._bring_into_view(hit)
        else:
            self._jump(hit)

    def action_close(self) -> None:
        if self.searching:
            self.workers.cancel_group(self, "viewer-search")
            self._search_done()
            return
        self.workers.cancel_group(self, "viewer")
        self.dismiss(None)
