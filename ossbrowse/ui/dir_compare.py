"""Compare the two panes (key `D`, id `pane.compare_dirs`): Midnight Commander's "compare
directories" for any pair of folders, local or OSS.

The compare runs in a thread worker over both whole trees (`ops.sync_plan.TreeCompare`, left as
the source, right as the destination: the listing decides, as `ossbrowse sync` does) and sends
what differs in batches; the screen keeps only the differences. When it ends, each pane marks
what it holds that the other lacks or holds older (`dir_compare_marks`), and its path bar says
how many: F5 on the marked entries copies them across. Each entry a difference touches is
tagged in its row (only, newer, older, differs) and its reason shows in the status line while
it is highlighted, until the pane lists again. From the screen, `>` syncs the left
folder into the right one and `<` the right into the left (priced first, then run as a task:
`dir_compare_sync`).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
from textual.worker import get_current_worker

from ossbrowse.errors import OssBrowseError, UsageError
from ossbrowse.ops.sync_plan import CompareStats, Difference
from ossbrowse.text import safe_text
from ossbrowse.ui.compare import BATCH_SECONDS
from ossbrowse.ui.dir_compare_marks import NAMES, PaneMarks, PaneNotes, label, row_text
from ossbrowse.ui.services import Services
from ossbrowse.ui.text_block import TextBlock
from ossbrowse.ui.words import counted
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

# The list shows the first differences found (a first sync of a big tree differs everywhere);
# the marks, the counts and a sync take every one.
MAX_SHOWN = 10_000

if TYPE_CHECKING:
    from ossbrowse.ops.sync_sides import Tree
    from ossbrowse.ui.main_screen import MainScreen
    from ossbrowse.ui.pane import Pane


def tree_for(services: Services, path: str) -> Tree:
    """The compare's side for a pane's folder: an OSS prefix or a local folder."""
    from ossbrowse.fs.url import parse_oss_url
    from ossbrowse.ops.sync_sides import LocalTree, OssTree
    from ossbrowse.ui.sides import is_oss_path

    if not is_oss_path(path):
        return LocalTree(path)
    url = parse_oss_url(path)
    if not url.bucket:
        raise UsageError(
            "A pane shows the list of buckets: there is no folder to compare.",
            hint="Open a bucket or a folder in both panes, then compare.",
        )
    if services.bucket_for is None:
        raise OssBrowseError("No OSS connection is configured for this session.")
    return OssTree(services.bucket_for(url.bucket), url.key)


class DirCompareScreen(ReportsWorkerErrors, Screen[None]):
    """Every difference between the two panes' folders, one line each with its reason."""

    DEFAULT_CSS = """
    DirCompareScreen #dir-compare-list { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Esc closes; q is left to the app's quit, as on every other screen (help says so).
        Binding("escape", "close", "Close (marks stay)", id="dir_compare.close"),
        Binding("greater_than_sign", "sync('right')", "Sync left→right",
                id="dir_compare.sync_right"),
        Binding("less_than_sign", "sync('left')", "Sync right→left",
                id="dir_compare.sync_left"),
        Binding("ctrl+r", "rerun", "Again", id="dir_compare.rerun"),
    ]  # fmt: skip

    def __init__(self, services: Services, screen: MainScreen) -> None:
        super().__init__()
        self.services = services
        self.main = screen
        self.left_path, self.right_path = screen.left.path, screen.right.path
        self.list = OptionList(id="dir-compare-list")
        self.differences: list[Difference] = []  # every one found (marks are made from them)
        self.detail = TextBlock(id="dir-compare-detail")  # redrawn on every cursor move
        self.summary = Label("", id="dir-compare-summary")
        self.marks = PaneMarks()
        self.stats: CompareStats | None = None
        self.done = False

    def compose(self) -> ComposeResult:
        title = (
            f"Compare {safe_text(self.left_path)}  with  {safe_text(self.right_path)}"
            "   (what differs is marked in the panes: F5 copies it)"
        )
        with Vertical():
            yield Label(Text(title), id="dir-compare-title")
            yield self.list
            yield self.detail
            yield self.summary
        yield Footer()

    def on_mount(self) -> None:
        self.list.focus()
        self._start()

    def _start(self) -> None:
        self.done = False
        self.marks = PaneMarks()
        self.summary.update("comparing...")
        self._compare(tree_for(self.services, self.left_path),
                      tree_for(self.services, self.right_path))  # fmt: skip

    @work(thread=True, exclusive=True, exit_on_error=False, group="dir-compare")
    def _compare(self, left: Tree, right: Tree) -> None:
        from ossbrowse.ops.sync_plan import TreeCompare

        worker = get_current_worker()
        compare = TreeCompare(left, right, names=NAMES)
        batch: list[Difference] = []
        last = time.monotonic()
        for found in compare.differences():
            if worker.is_cancelled:
                return
            batch.append(found)
            if time.monotonic() - last >= BATCH_SECONDS:
                self.app.call_from_thread(self._add, batch)
                batch, last = [], time.monotonic()
        self.app.call_from_thread(self._finished, batch, compare.stats)

    def _add(self, batch: list[Difference]) -> None:
        shown = max(0, min(len(batch), MAX_SHOWN - len(self.differences)))
        for difference in batch:
            self.marks.add(difference)
        self.differences.extend(batch)
        if shown:
            self.list.add_options([Text(row_text(d)) for d in batch[:shown]])
            if self.list.highlighted is None:
                self.list.highlighted = 0  # its whole reason shows under the list

    def _finished(self, batch: list[Difference], stats: CompareStats) -> None:
        self._add(batch)
        self.stats = stats
        self.done = True
        found = self.differences
        shown = Counter(label(d) for d in found)
        counts = ", ".join(f"{n:,} {what}" for what, n in sorted(shown.items()))
        verdict = "the same" if not found else counted(len(found), "difference")
        text = f"{counted(stats.same + len(found), 'file')} compared: {verdict}" + (
            f" ({counts})." if counts else "."
        )
        if len(found) > MAX_SHOWN:
            text += f" The list shows the first {MAX_SHOWN:,}."
        self.summary.update(Text(text))
        mark_panes(self.main, self.marks)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.differences[event.option_index]
        self.detail.show(Text(f"{safe_text(entry.key)}: {safe_text(entry.reason)}"))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "dir-compare")
        self.dismiss(None)

    def action_rerun(self) -> None:
        self.workers.cancel_group(self, "dir-compare")
        self.differences.clear()
        self.list.clear_options()
        self._start()

    def action_sync(self, into: str) -> None:
        from ossbrowse.ui.dir_compare_sync import start_sync

        if into == "right":
            start_sync(self, self.services, self.left_path, self.right_path, self.main.right)
        else:
            start_sync(self, self.services, self.right_path, self.left_path, self.main.left)

    @property
    def gate_owner(self) -> DirCompareScreen:
        """Writes of this screen ask the write gate through it (`write_gate.gate_then`)."""
        return self


def mark_panes(screen: MainScreen, marks: PaneMarks) -> None:
    """Mark in each pane the entries the compare found on its side and tag every entry a
    difference touches (`PaneNotes`); say how many are marked in its path bar."""
    panes = (("left", screen.left, screen.right), ("right", screen.right, screen.left))
    for side, pane, other in panes:
        names = frozenset((e.name.rstrip("/"), e.is_dir) for e in other.file_list.model.view)
        marked = mark_pane(pane, side, marks)
        pane.file_list.annotations = PaneNotes(side, marks.touched[side], names, marked)
        pane.file_list.rows_changed()  # the tags show, the status line reads the reason
        note = f"{len(marked):,} marked by compare"
        pane.path_bar.show(pane.path, note)


def mark_pane(pane: Pane, side: str, marks: PaneMarks) -> frozenset[str]:
    """Mark what the compare found on `side`; the paths marked."""
    model = pane.file_list.model
    model.clear_marks()
    marked = []
    for entry in model.view:
        if entry is pane.file_list.up_entry:
            continue
        if marks.reason(side, entry.name, entry.is_dir) is not None:
            model.set_mark(entry, True)
            marked.append(entry.path)
    return frozenset(marked)


def open_dir_compare(screen: MainScreen) -> None:
    """The `pane.compare_dirs` key: compare the left pane's folder with the right one's."""
    services = screen.services
    try:
        for path in (screen.left.path, screen.right.path):
            tree_for(services, path)
    except OssBrowseError as exc:
        services.show_error(exc)
        return
    screen.app.push_screen(DirCompareScreen(services, screen))
