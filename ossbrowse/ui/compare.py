"""Compare mode (key `=`): a mount beside the prefix it mirrors, each difference with its reason.

Which pair is compared: a local folder in one pane and an OSS folder in the other; otherwise
the active pane's local folder and the prefix its OSS mount maps (`ossbrowse.mount.locate`).
The walk (`ossbrowse.mount.compare`) runs in a thread worker and sends entries in batches;
the screen keeps only the entries that are not "same" (bounded by the differences, not by the
tree) and draws the visible lines only. From a row, `c` copies the missing or older side across
(through the copy dialog and the transfer engine) and `i` opens the inspector.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Label
from textual.worker import get_current_worker

from ossbrowse.errors import OssBrowseError, UsageError
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.text import safe_text
from ossbrowse.ui.plain_compare import label, plain_entry
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.text_block import TextBlock
from ossbrowse.ui.words import counted
from ossbrowse.ui.worker_errors import ReportsWorkerErrors
from ossbrowse.ui.write_gate import gate_then, writes

if TYPE_CHECKING:
    from ossbrowse.mount.compare import CompareEntry, CompareStats
    from ossbrowse.mount.mapping import MountMapping
    from ossbrowse.ui.dialogs.copy import CopyRequest
    from ossbrowse.ui.main_screen import MainScreen
    from ossbrowse.ui.services import Services

BATCH_SECONDS = 0.1  # how often the worker hands found differences to the screen


def row_text(entry: CompareEntry, plain: bool = False) -> str:
    """One line of the compare list: mark, key, reason; names made safe."""
    return f"{label(entry, plain):<15} {safe_text(entry.key)}  {safe_text(entry.reason)}"


def fit_line(line: str, width: int) -> str:
    """A row cut to the list's width with a visible mark (the whole reason shows below)."""
    if cell_len(line) <= width or width < 4:
        return line
    return set_cell_size(line, width - 3) + "..."


class CompareList(ScrollView, can_focus=True):
    """The differences, one line each, with a cursor; only visible lines are drawn."""

    DEFAULT_CSS = """
    CompareList { height: 1fr; overflow: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "PgUp", show=False),
        Binding("pagedown", "page(1)", "PgDn", show=False),
        Binding("home", "cursor(-1000000000)", "Home", show=False),
        Binding("end", "cursor(1000000000)", "End", show=False),
    ]

    class Moved(Message):
        """The cursor moved: the screen shows the row's whole reason."""

    def __init__(self, *, id: str | None = None, plain: bool = False) -> None:
        super().__init__(id=id)
        self.entries: list[CompareEntry] = []
        self.lines: list[str] = []
        self.cursor = 0
        self.plain = plain

    @property
    def current(self) -> CompareEntry | None:
        return self.entries[self.cursor] if self.entries else None

    def append(self, entries: list[CompareEntry]) -> None:
        for entry in entries:
            self.entries.append(entry)
            self.lines.append(row_text(entry, self.plain))
        # No sideways scrolling: rows are cut at the edge with "..." and the reason of the
        # row under the cursor is shown whole under the list.
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines))
        self.refresh()
        self.post_message(self.Moved())

    def action_cursor(self, delta: int) -> None:
        if not self.entries:
            return
        self.cursor = max(0, min(len(self.entries) - 1, self.cursor + delta))
        self.scroll_to_region_if_needed()
        self.refresh()
        self.post_message(self.Moved())

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def scroll_to_region_if_needed(self) -> None:
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def render_line(self, y: int) -> Strip:
        scroll_y = int(self.scroll_offset.y)
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, style)
        line_style = (
            style + Style(reverse=True) if index == self.cursor and self.has_focus else style
        )
        strip = Strip([Segment(fit_line(self.lines[index], width), line_style)])
        return strip.adjust_cell_length(width, line_style)


class CompareScreen(ReportsWorkerErrors, Screen[None]):
    """The compare of `local_root` with `mapping` (bucket and prefix of that very folder)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,equals_sign", "close", "Close", id="compare.close"),
        Binding("c", "copy_across", "Copy across", id="compare.copy"),
        Binding("i", "inspect", "Inspect", id="compare.inspect"),
        Binding("ctrl+r", "rerun", "Again", id="compare.rerun"),
    ]

    def __init__(
        self,
        services: Services,
        local_root: str,
        mapping: MountMapping,
        submit: Callable[[CopyRequest], object],
        *,
        plain: bool = False,
    ) -> None:
        super().__init__()
        self.services = services
        self.local_root = local_root
        self.mapping = mapping
        self.submit = submit  # a confirmed copy goes to the main screen's transfers
        # No mount declared: two plain folders, in plain words ("only local", "newer local").
        self.plain = plain
        self.list = CompareList(id="compare-list", plain=plain)
        self.detail = TextBlock(id="compare-detail")  # redrawn on every cursor move
        self.summary = Label("", id="compare-summary")
        self.stats: CompareStats | None = None
        self.done = False

    def compose(self) -> ComposeResult:
        mode = "  (read-only mount)" if self.mapping.read_only else ""
        if self.plain:
            mode = "  (two folders: no mount declared)"
        title = f"Compare {safe_text(self.local_root)}  with  {safe_text(self.mapping.url)}{mode}"
        with Vertical():
            yield Label(Text(title), id="compare-title")
            yield self.list
            yield self.detail
            yield self.summary
        yield Footer()

    def on_mount(self) -> None:
        self.list.focus()
        self._start()

    def _start(self) -> None:
        self.done = False
        self.summary.update("comparing...")
        self._compare()

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare")
    def _compare(self) -> None:
        from ossbrowse.mount.bucket_side import BucketSide
        from ossbrowse.mount.compare import Mark, MountCompare
        from ossbrowse.mount.writers import find_writers

        worker = get_current_worker()
        bucket_for = self.services.bucket_for
        if bucket_for is None or self.mapping.bucket is None:
            raise OssBrowseError("The OSS side cannot list for a compare.")
        side = BucketSide(bucket_for(self.mapping.bucket), self.mapping.prefix)
        writers = {} if self.plain else find_writers(self.local_root)
        compare = MountCompare(self.local_root, side, writers=writers, uploads=not self.plain)
        batch: list[CompareEntry] = []
        last = time.monotonic()
        for found in compare.entries():
            if worker.is_cancelled:
                return
            entry = plain_entry(found) if self.plain else found
            if entry is not None and entry.mark is not Mark.SAME:
                batch.append(entry)
            if batch and time.monotonic() - last >= BATCH_SECONDS:
                self.app.call_from_thread(self.list.append, batch)
                batch, last = [], time.monotonic()
        self.app.call_from_thread(self._finished, batch, compare.stats)

    def _finished(self, batch: list[CompareEntry], stats: CompareStats) -> None:
        from ossbrowse.mount.compare import Mark

        self.list.append(batch)
        self.stats = stats
        self.done = True
        entries = counted(stats.entries, "entry", "entries")
        if self.plain:
            shown = Counter(label(e, True) for e in self.list.entries)
            counts = ", ".join(f"{n:,} {what}" for what, n in sorted(shown.items()))
            found = len(self.list.entries)
            verdict = "the same" if not found else counted(found, "difference")
            text = f"{entries} compared: {verdict}" + (f" ({counts})." if counts else ".")
        else:
            counts = ", ".join(
                f"{n:,} {mark.label}"
                for mark, n in sorted(stats.counts.items(), key=lambda kv: list(Mark).index(kv[0]))
            )
            differences = counted(stats.differences, "difference")
            verdict = "in sync" if stats.in_sync else f"NOT in sync: {differences}"
            text = f"{entries}: {counts or 'nothing'}. {verdict}."
            if stats.uploads_unchecked:
                text += " Incomplete uploads not checked."
        self.summary.update(Text(text))

    def on_compare_list_moved(self, message: CompareList.Moved) -> None:
        entry = self.list.current
        text = "" if entry is None else f"{safe_text(entry.key)}: {safe_text(entry.reason)}"
        self.detail.show(Text(text))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "compare")
        self.dismiss(None)

    def action_rerun(self) -> None:
        self.workers.cancel_group(self, "compare")
        self.list.entries.clear()
        self.list.lines.clear()
        self.list.cursor = 0
        self.list.append([])
        self._start()

    # -- acting on a row ---------------------------------------------------------------------

    def _local_entry(self, entry: CompareEntry) -> Entry | None:
        local = entry.local
        if local is None:
            return None
        kind = EntryKind.FOLDER if local.is_dir else EntryKind.FILE
        name = local.key.rstrip("/").rsplit("/", 1)[-1]
        path = os.path.join(self.local_root, *local.key.rstrip("/").split("/"))
        return Entry(name, path, kind, size=local.size, mtime=local.mtime)

    def _bucket_entry(self, entry: CompareEntry) -> Entry | None:
        remote = entry.remote
        if remote is None:
            return None
        name = remote.key.rstrip("/").rsplit("/", 1)[-1]
        kind = EntryKind.FOLDER if remote.key.endswith("/") else EntryKind.FILE
        return Entry(
            name,
            f"oss://{self.mapping.bucket}/{self.mapping.prefix}{remote.key}",
            kind,
            size=remote.size,
            mtime=remote.mtime,
            storage_class=remote.storage_class,
            object_type=remote.object_type,
            etag=remote.etag,
        )

    def _parent_of(self, key: str) -> str:
        return key.rstrip("/").rpartition("/")[0]

    @property
    def gate_owner(self) -> CompareScreen:
        return self

    @writes("copy")
    def action_copy_across(self) -> None:
        entry = self.list.current
        if entry is None or (entry.local is None and entry.remote is None):
            self.notify("Nothing to copy on this row.", severity="warning", markup=False)
            return
        local, remote = self._local_entry(entry), self._bucket_entry(entry)
        mount_newer = local is not None and (
            remote is None or (local.mtime or 0) > (remote.mtime or 0)
        )
        parent = self._parent_of(entry.key)
        source = local if mount_newer else remote
        if source is None:
            return
        if mount_newer:
            destination = f"oss://{self.mapping.bucket}/{self.mapping.prefix}"
            destination += f"{parent}/" if parent else ""
        else:
            destination = (
                os.path.join(self.local_root, *parent.split("/")) if parent else (self.local_root)
            )
            if self.mapping.read_only:
                self.services.show_error(UsageError(
                    f"{safe_text(self.local_root)} is a read-only mount; ossbrowse does not "
                    "write through it.",
                    hint="Copy the object somewhere else, or remount read-write.",
                ))  # fmt: skip
                return
        # The mount answer for the destination is the write gate's, looked up once per folder
        # in a thread worker (never a mountinfo walk on this thread), and again for a folder
        # typed in the dialog.
        gate_then(self, "copy", destination, lambda: self._copy_dialog(source, destination))

    def _copy_dialog(self, source: Entry, destination: str) -> None:
        from ossbrowse.ui.dialogs.copy import CopyDialog

        def chosen(request: CopyRequest | None) -> None:
            if request is not None:
                gate_then(self, "copy", request.destination, lambda: self.submit(request))

        self.app.push_screen(CopyDialog([source], destination), chosen)

    def action_inspect(self) -> None:
        from ossbrowse.ui.inspector import Inspector

        entry = self.list.current
        if entry is None:
            return
        sides = self.services.sides
        remote = self._bucket_entry(entry)
        if remote is not None:
            self.app.push_screen(Inspector(sides.for_path(remote.path), remote))
            return
        local = self._local_entry(entry)
        if local is not None:
            self.app.push_screen(Inspector(sides.local, local))
        else:
            self.notify(
                "This row is an incomplete upload: it has no object to inspect yet.",
                markup=False,
            )


def open_compare(screen: MainScreen) -> None:
    """The `=` key: the compare of the two sides of a mount (or of two plain folders)."""
    services = screen.services
    try:
        local_root, mapping, plain = compare_pair(screen.active.path, screen.other.path)
        services.sides.for_path("oss://")  # no OSS side: says how to give credentials
    except OssBrowseError as exc:
        services.show_error(exc)
        return
    if services.bucket_for is None:
        services.show_error(OssBrowseError("The OSS side cannot list for a compare."))
        return
    compare = CompareScreen(services, local_root, mapping, screen.submit_copies, plain=plain)
    screen.app.push_screen(compare)


def compare_pair(active: str, other: str) -> tuple[str, MountMapping, bool]:
    """The local folder, what it is compared with, and whether they are two plain folders
    (no mount declared for the local one) rather than a mount and its prefix."""
    from ossbrowse.mount.locate import known_mounts, locate
    from ossbrowse.mount.mapping import find_mapping

    local = next((p for p in (active, other) if not is_oss_path(p)), None)
    remote = next((p for p in (active, other) if is_oss_path(p)), None)
    if local is not None and remote is not None and remote.count("/") >= 3:
        mappings = known_mounts(cwd=local)
        plain = find_mapping(local, mappings) is None
        return (*locate(local, mappings, against=remote), plain)
    if local is not None:
        return (*locate(local, known_mounts(cwd=local)), False)
    raise UsageError(
        "Compare needs a local folder: open one in a pane, beside its OSS prefix.",
        hint="Or open a folder of an OSS mount: its prefix is found from the mount.",
    )
