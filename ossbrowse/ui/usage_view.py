"""The usage view (U): the current folder's children by size, with bars split by class, as ncdu.

The folder is counted in a thread worker (`ops.usage`: list requests only, totals per child
folder and the largest files, never a record per object); snapshots come back at most ten a
second (throttled at the source) and the rows are redrawn from them while the listing streams
in. Enter counts the folder under the cursor, Backspace the one above (a folder already
counted is shown again at once); Escape stops the count and closes. Pane actions (copy, move,
delete, view, restore, ...) pressed here close the view, put the pane's cursor on the entry
and run the same pane action on it, so they behave exactly as in the pane (with the same key
remaps: the bindings carry the pane's ids).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ossbrowse.ops.usage import UsageReport, usage_of
from ossbrowse.tasks import Cancelled, Control
from ossbrowse.text import safe_text
from ossbrowse.ui import keys
from ossbrowse.ui.usage_rows import (
    UsageItem,
    fold_rest,
    legend,
    parent_path,
    render_item,
    summary,
    usage_items,
)
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from ossbrowse.ui.pane import Pane
    from ossbrowse.ui.services import Services

LARGEST_FILES = 200  # files of the counted folder shown one by one; the rest in one row
MOST_ROWS = 1000  # rows drawn at the most; the smallest children past them share one
PROGRESS_INTERVAL = 0.1  # seconds between snapshots from the counting thread
KEPT_REPORTS = 16  # counted folders kept, so Backspace shows them again without a listing
# Pane actions the view hands over (their ids, so a remapped key works here too).
PANE_ACTION_IDS = (
    "pane.copy",
    "pane.move",
    "pane.delete",
    "pane.view",
    "pane.edit",
    "pane.inspect",
    "pane.restore",
    "pane.properties",
    "pane.presign",
)


@dataclass(frozen=True, slots=True)
class UsageChoice:
    """Where the view left the person: the pane goes to `folder`, its cursor on `select`,
    then runs the pane action `action` on it (if any)."""

    folder: str
    select: str | None
    action: str | None = None


def _bindings() -> list[BindingType]:
    found: list[BindingType] = [
        Binding("enter", "open", "Open", id="list.open"),
        Binding("backspace", "up", "Up", id="list.up"),
        Binding("escape", "close", "Close", id="pane.cancel"),
    ]
    for spec in keys.MAIN_KEYS:
        if spec.id in PANE_ACTION_IDS:
            action = f"pane_action('{spec.action}')"
            found.append(Binding(spec.keys, action, spec.description, show=spec.show, id=spec.id))
    return found


class UsageScreen(ReportsWorkerErrors, Screen[UsageChoice | None]):
    """The usage of one folder at a time; `path` is an oss:// prefix or a local folder."""

    BINDINGS: ClassVar[list[BindingType]] = _bindings()
    DEFAULT_CSS = """
    UsageScreen { layout: vertical; }
    UsageScreen #usage-path { text-style: bold; padding: 0 1; }
    UsageScreen #usage-summary, UsageScreen #usage-legend { padding: 0 1; }
    UsageScreen #usage-list { height: 1fr; border: round $primary; }
    """

    def __init__(self, services: Services, path: str) -> None:
        super().__init__()
        self.services = services
        self.path = path
        self.plain = services.ascii_only
        self.report: UsageReport | None = None
        self.items: list[UsageItem] = []
        self.failed = ""
        self._token = Control()
        self._counted: OrderedDict[str, UsageReport] = OrderedDict()
        self._trail: list[tuple[str, str | None]] = []  # (folder, its row we went in from)
        self._keep: str | None = None  # the row name to put the cursor on when rows arrive

    def compose(self) -> ComposeResult:
        yield Static(id="usage-path")
        yield Static(id="usage-summary")
        yield Static(id="usage-legend")
        yield OptionList(id="usage-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._count(self.path)

    def on_unmount(self) -> None:
        self._token.cancel()

    # -- counting ----------------------------------------------------------------------------

    def _count(self, path: str, keep: str | None = None) -> None:
        """Show `path`: at once if it was counted already, else count it."""
        self._token.cancel()
        self._token = token = Control()
        self.path, self._keep, self.failed = path, keep, ""
        self.query_one("#usage-path", Static).update(f"Usage of {safe_text(path)}")
        done = self._counted.get(path)
        if done is not None:
            self._show(token, done)
            return
        self.report = None
        self.items = []
        self.query_one(OptionList).clear_options()
        self.query_one("#usage-summary", Static).update("counting...")
        self.query_one("#usage-legend", Static).update("")
        self._walk(path, token)

    @work(thread=True, group="usage", exit_on_error=False)
    def _walk(self, path: str, token: Control) -> None:
        def progress(report: UsageReport) -> None:
            if token.cancelled:
                return
            try:
                self.app.call_from_thread(self._show, token, report)
            except RuntimeError:  # the app is closing: stop counting
                token.cancel()

        try:
            usage_of(
                path,
                self.services.bucket_for,
                depth=1,
                largest=LARGEST_FILES,
                cancel=token,
                on_progress=progress,
                progress_interval=PROGRESS_INTERVAL,
            )
        except Cancelled:
            return
        except Exception as exc:
            if not token.cancelled:
                self.app.call_from_thread(self._failed, token, exc)
            raise

    def _failed(self, token: Control, exc: BaseException) -> None:
        if token is self._token:
            self.failed = str(exc)
            self.query_one("#usage-summary", Static).update(
                f"Could not count: {safe_text(str(exc))}"
            )

    def _show(self, token: Control, report: UsageReport) -> None:
        if token is not self._token:
            return  # a folder left meanwhile
        self.report = report
        if report.complete:
            self._counted[self.path] = report
            self._counted.move_to_end(self.path)
            while len(self._counted) > KEPT_REPORTS:
                self._counted.popitem(last=False)
        option_list = self.query_one(OptionList)
        current = self.current_item()
        keep = self._keep if self._keep is not None else (current.name if current else None)
        self.items = fold_rest(usage_items(report), MOST_ROWS)
        largest = self.items[0].bytes if self.items else 0
        total = report.total.bytes
        option_list.clear_options()
        width = self._row_width()
        option_list.add_options(
            [Option(render_item(i, largest, total, plain=self.plain, width=width))
             for i in self.items]
        )  # fmt: skip
        names = [item.name for item in self.items]
        if keep in names:
            option_list.highlighted = names.index(keep)
            if report.complete:
                self._keep = None
        elif self.items:
            option_list.highlighted = 0
        self.query_one("#usage-summary", Static).update(summary(report))
        self.query_one("#usage-legend", Static).update(legend(report, plain=self.plain))

    def _row_width(self) -> int | None:
        """The cells a row has (the list's width less its border and scroll bar); None
        before the first layout."""
        region = self.query_one(OptionList).scrollable_content_region
        return region.width - 1 if region.width > 1 else None

    def on_resize(self, _event: events.Resize) -> None:
        if self.report is not None:  # rows are fitted to the width: fit them again
            self.call_after_refresh(self._show, self._token, self.report)

    # -- moving around -----------------------------------------------------------------------

    def current_item(self) -> UsageItem | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.items):
            return None
        return self.items[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()  # the list takes Enter for itself

    def action_open(self) -> None:
        item = self.current_item()
        if item is None or item.walk is None:
            return  # a file: nothing to go into (its pane actions work here)
        self._trail.append((self.path, item.name))
        self._count(item.walk)

    def action_up(self) -> None:
        if self._trail:
            folder, row = self._trail.pop()
            self._count(folder, keep=row)
            return
        parent = parent_path(self.path)
        if parent is None:
            self.notify("This is the top: usage counts within a bucket.", markup=False)
            return
        self._count(parent, keep=child_name(parent, self.path))

    def action_close(self) -> None:
        self._token.cancel()
        item = self.current_item()
        self.dismiss(UsageChoice(self.path, item.path if item else None))

    def action_pane_action(self, action: str) -> None:
        item = self.current_item()
        if item is None or item.path is None:
            self.notify("Put the cursor on a file or folder first.", markup=False)
            return
        self._token.cancel()
        self.dismiss(UsageChoice(self.path, item.path, action))


def child_name(parent: str, child: str) -> str:
    """The row name of `child` in its parent's view (`name/` for a folder)."""
    if child.startswith("oss://"):
        return child[len(parent) :]
    return child.rstrip("/").rsplit("/", 1)[-1] + "/"


# -- the pane side: open the view, and come back to the pane -----------------------------------


def open_usage(screen: Any, pane: Pane) -> None:
    """Open the usage view of `pane`'s folder; on its way out the pane follows it."""
    path = pane.path
    if path == "oss://":
        screen.notify("Open a bucket first: usage counts a bucket, a prefix or a folder.",
                      severity="warning", markup=False)  # fmt: skip
        return
    if path.startswith("oss://") and screen.services.bucket_for is None:
        screen.notify("No OSS connection to count with.", severity="warning", markup=False)
        return

    def chosen(choice: UsageChoice | None) -> None:
        if choice is not None:
            follow(screen, pane, choice)

    screen.app.push_screen(UsageScreen(screen.services, path), chosen)


def follow(screen: Any, pane: Pane, choice: UsageChoice) -> None:
    """Put the pane where the view was, its cursor on the chosen entry; then run the action."""
    select = choice.select
    if pane.path != choice.folder:
        pane.open(choice.folder, select=select)
    elif select is not None:
        # The same folder: no listing again (it may be a big one), only the cursor moves.
        pane.file_list.move_to_path(select)
    if choice.action is None or select is None:
        return
    run: Callable[[], Any] = lambda: screen.run_action(choice.action)  # noqa: E731
    if _on(pane, select):
        screen.call_later(run)
        return

    def check() -> None:
        # The listing puts the cursor on the entry when its page arrives (Pane.open's select).
        if _on(pane, select):
            timer.stop()
            screen.call_later(run)
        elif not pane.is_loading:
            timer.stop()
            screen.notify(f"{safe_text(select)} is not there any more.", severity="warning",
                          markup=False)  # fmt: skip

    timer = pane.set_interval(0.05, check)


def _on(pane: Pane, path: str | None) -> bool:
    current = pane.file_list.current
    return path is not None and current is not None and current.path == path
