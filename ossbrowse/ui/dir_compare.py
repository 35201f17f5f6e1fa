"""Compare the two panes (key `ctrl+x d`, id `pane.compare_dirs`): Midnight Commander's "compare
directories" for any pair of folders, local or OSS.

The compare runs in a thread worker over both whole trees (`ops.sync_plan.TreeCompare`, left as
the source, right as the destination: the listing decides, as `ossbrowse sync` does) and sends
what differs in batches; the screen keeps only the differences. When it ends, each pane marks
what it holds that the other lacks or holds older (`dir_compare_marks`), and its path bar says
how many: F5 on the marked entries copies them across. From the screen, `>` syncs the left
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
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer, Label, Static
from textual.worker import get_current_worker

from ossbrowse.errors import OssBrowseError, UsageError
from ossbrowse.ops.sync_plan import CompareStats, Difference
from ossbrowse.text import safe_text
from ossbrowse.ui.compare import BATCH_SECONDS, CompareList
from ossbrowse.ui.dir_compare_marks import NAMES, PaneMarks, label, row_text
from ossbrowse.ui.services import Services
from ossbrowse.ui.words import counted
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

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


class DifferenceList(CompareList):
    """The mount compare's list (cursor, visible lines drawn only), holding differences."""

    def append(self, entries: list[Difference]) -> None:  # type: ignore[override]
        for entry in entries:
            self.entries.append(entry)  # type: ignore[arg-type]
            self.lines.append(row_text(entry))
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines))
        self.refresh()
        self.post_message(self.Moved())


class DirCompareScreen(ReportsWorkerErrors, Screen[None]):
    """Every difference between the two panes' folders, one line each with its reason."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close (marks stay)", id="dir_compare.close"),
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
        self.list = DifferenceList(id="dir-compare-list")
        self.detail = Static("", id="dir-compare-detail")
        self.summary = Label("", id="dir-compare-summary")
        self.marks = PaneMarks()
        self.stats: CompareStats | None = None
        self.done = False

    def compose(self) -> ComposeResult:
        title = f"Compare {safe_text(self.left_path)}  with  {safe_text(self.right_path)}"
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
        for difference in batch:
            self.marks.add(difference)
        self.list.append(batch)

    def _finished(self, batch: list[Difference], stats: CompareStats) -> None:
        self._add(batch)
        self.stats = stats
        self.done = True
        found: list[Difference] = self.list.entries  # type: ignore[assignment]
        shown = Counter(label(d) for d in found)
        counts = ", ".join(f"{n:,} {what}" for what, n in sorted(shown.items()))
        verdict = "the same" if not found else counted(len(found), "difference")
        text = (
            f"{counted(stats.same + len(found), 'file')} compared: {verdict}"
            + (f" ({counts})" if counts else "")
            + ". Marked in both panes (F5 copies them); > or < syncs a side."
        )
        self.summary.update(Text(text))
        mark_panes(self.main, self.marks)

    def on_compare_list_moved(self, message: CompareList.Moved) -> None:
        entry = self.list.current
        text = "" if entry is None else f"{safe_text(entry.key)}: {safe_text(entry.reason)}"
        self.detail.update(Text(text))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "dir-compare")
        self.dismiss(None)

    def action_rerun(self) -> None:
        self.workers.cancel_group(self, "dir-compare")
        self.list.entries.clear()
        self.list.lines.clear()
        self.list.cursor = 0
        self.list.append([])
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
    """Mark in each pane the entries the compare found on its side; say so in its path bar."""
    for side, pane in (("left", screen.left), ("right", screen.right)):
        marked = mark_pane(pane, side, marks)
        note = f"{marked:,} marked by compare"
        pane.path_bar.show(pane.path, note)


def mark_pane(pane: Pane, side: str, marks: PaneMarks) -> int:
    model = pane.file_list.model
    model.clear_marks()
    marked = 0
    for entry in model.view:
        if entry is pane.file_list.up_entry:
            continue
        if marks.reason(side, entry.name, entry.is_dir) is not None:
            model.set_mark(entry, True)
            marked += 1
    pane.file_list.rows_changed()
    return marked


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
