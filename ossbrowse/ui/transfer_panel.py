"""The transfer panel: every task (copies, moves, deletes, restores, edits: one model, one
runner) with a progress bar, rate and time left; pause, resume, cancel, retry the failed
files, clear the finished; under the table, the selected task in full.

It only draws the task snapshots the app hands it (`update_job`), every kind by the same code
(a task that counts objects rather than bytes shows them, and its kind); the app turns the
runner's events into messages and calls the runner for the actions, so this widget never
blocks. A new job takes
the cursor (the keys act on what was just started); columns have fixed widths that fit 80 and
120 columns, so a row never pushes Done, Rate or Left off the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Label

from ossbrowse.tasks import TaskSnapshot, TaskState
from ossbrowse.text import safe_text
from ossbrowse.ui import keys
from ossbrowse.ui.rows import human_size
from ossbrowse.ui.text_block import TextBlock
from ossbrowse.ui.throughput import ThroughputLine
from ossbrowse.ui.words import counted, for_the_ui

# Progress redraws the table at most this often (seconds); a new job or a state change at
# once. DataTable redraws every cell of every row on any change (~10 ms), and progress came
# ~15 times a second during one upload: keys pressed meanwhile waited behind those redraws.
PROGRESS_EVERY = 0.25
# Below this many columns the panel uses its narrow layout.
WIDE = 100
# Failures or notes listed under the table for the selected job (Enter lists them all).
DETAIL_LINES = 2


@dataclass(frozen=True)
class Layout:
    state: int
    path: int  # From and To, each
    bar: int
    done: int
    rate: int
    eta: int


def layout_for(width: int) -> Layout:
    """Column widths for a panel `width` cells wide (two cells of padding per column)."""
    if width >= WIDE:
        fixed = Layout(state=9, path=0, bar=12, done=21, rate=10, eta=7)
    else:
        fixed = Layout(state=9, path=0, bar=8, done=10, rate=10, eta=6)
    used = fixed.state + fixed.bar + fixed.done + fixed.rate + fixed.eta + 7 * 2 + 2
    path = max(8, (width - used) // 2)
    return Layout(fixed.state, path, fixed.bar, fixed.done, fixed.rate, fixed.eta)


def progress_bar(done: int, total: int, ascii_only: bool, width: int = 12) -> str:
    fraction = min(1.0, done / total) if total else 0.0
    if ascii_only:
        inner = max(1, width - 2)
        filled = int(fraction * inner)
        return "[" + "#" * filled + "." * (inner - filled) + "]"
    filled = int(fraction * width)
    return "█" * filled + "░" * (width - filled)


def format_eta(seconds: float | None) -> str:
    """Time left in at most 6 cells: 45s, 3m05s, 2h10m, 3d."""
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 1:
        return "<1s"
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 86400}d"


def short_path(path: str, width: int = 28, ascii_only: bool = False) -> str:
    """The end of a path (where the name is), cut at the front to `width` cells."""
    text = safe_text(path)
    if cell_len(text) <= width:
        return text
    mark = "..." if ascii_only else "…"
    keep = max(1, width - len(mark))
    tail = text[-keep:]
    while cell_len(tail) > keep:
        tail = tail[1:]
    return mark + tail


def counts_items(job: TaskSnapshot) -> bool:
    """A task that moves no bytes it can count (a delete, a restore) shows its items instead."""
    return job.kind != "copy" and not job.bytes_total


def kind_label(job: TaskSnapshot) -> str:
    """`move: ` before a task's source; nothing for a copy (most rows are copies)."""
    return f"{job.kind}: " if job.kind != "copy" else ""


def state_word(job: Any) -> str:
    """What the State column says: a skipped copy is `skipped`, not `done`."""
    if job.state is TaskState.RUNNING and getattr(job, "scanning", False):
        return "scanning"
    if job.state is TaskState.DONE and job.files_total and job.files_skipped >= job.files_total:
        return "skipped"
    if job.state is TaskState.DONE and job.failures:
        return "failed"  # some files did not make it: the detail says which and why
    return job.state.value


def detail_lines(job: Any, width: int, ascii_only: bool = False) -> list[str]:
    """The selected job in full: where from and to, counts, and why files failed or skipped."""
    arrow = "->" if ascii_only else "→"
    what = f"{job.kind} " if job.kind != "copy" else ""
    head = f"{what}{state_word(job)}: {safe_text(job.src)}"
    if job.dst:
        head += f" {arrow} {safe_text(job.dst)}"
    lines = [head]
    counts = []
    unit = (job.unit, job.unit + "s")
    if job.files_total:
        counts.append(f"{job.files_done:,} of {counted(job.files_total, *unit)} done")
    if job.files_skipped:
        counts.append(f"{job.files_skipped:,} skipped")
    if job.failures:
        counts.append(f"{len(job.failures):,} failed")
    if counts:
        lines.append(", ".join(counts))
    reasons = [f"  {safe_text(f.src)}: {safe_text(f.message)}" for f in job.failures]
    if job.state is TaskState.FAILED and job.error and not job.failures:
        reasons.append(f"  {safe_text(job.error)}")
    reasons += [f"  {safe_text(for_the_ui(n))}" for n in job.notes]
    if len(reasons) > DETAIL_LINES:
        more = len(reasons) - DETAIL_LINES + 1
        reasons = [*reasons[: DETAIL_LINES - 1], f"  ... {more} more: Enter lists them all"]
    lines += reasons
    return [set_cell_size(line, width) if cell_len(line) > width else line for line in lines]


class TransferPanel(Vertical):
    """Shown and hidden with `t`; the row under the cursor is 'the selected transfer'."""

    BINDINGS: ClassVar[list[BindingType]] = [*keys.bindings(keys.TRANSFER_KEYS)]

    class Action(Message):
        """The user asked to pause, resume, cancel or retry one job."""

        def __init__(self, verb: str, job_id: str) -> None:
            super().__init__()
            self.verb = verb
            self.job_id = job_id

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.jobs: dict[str, Any] = {}
        self.table: DataTable = DataTable(cursor_type="row", id="transfer-table")
        self.detail = TextBlock(id="transfer-detail")  # repaints without a layout
        self.throughput = ThroughputLine(ascii_only=ascii_only, id="transfer-throughput")
        self._shown: dict[str, dict[str, str]] = {}  # job id -> column -> text in the table
        self._stale: set[str] = set()  # jobs whose progress is newer than their row
        self._redraw_timer: Timer | None = None
        self.columns_layout = layout_for(80)

    def compose(self) -> ComposeResult:
        dot = "-" if self.ascii_only else "·"
        title = (
            f"Transfers  p pause {dot} u resume {dot} x cancel {dot} a retry failed {dot} "
            f"C clear finished {dot} Enter details {dot} P/R/X all"
        )
        yield Label(title, classes="panel-title")
        yield self.throughput
        yield self.table
        yield self.detail

    def on_mount(self) -> None:
        # The panel spans the screen; hidden at first, it has no size of its own yet.
        self._build_columns(self.size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def on_show(self) -> None:
        self._fit(self.size.width or self.app.size.width)

    def _fit(self, width: int) -> None:
        if width and layout_for(width) != self.columns_layout:
            self._build_columns(width)
        self._show_detail()  # cut to the width it has now

    def _build_columns(self, width: int) -> None:
        self.columns_layout = layout_for(width)
        selected = self.selected_id
        self.table.clear(columns=True)
        self._shown.clear()
        lay = self.columns_layout
        for label, key, w in (("State", "state", lay.state), ("From", "src", lay.path),
                              ("To", "dst", lay.path), ("Progress", "bar", lay.bar),
                              ("Done", "done", lay.done), ("Rate", "rate", lay.rate),
                              ("Left", "eta", lay.eta)):  # fmt: skip
            self.table.add_column(label, key=key, width=w)
        for job_id in self.jobs:
            self._add_row(job_id)
        if selected is not None:
            self._select(selected)

    def _cells(self, job: Any) -> dict[str, Text]:
        lay = self.columns_layout
        state = state_word(job)
        items = counts_items(job)
        wide = lay.done > 10
        if items:
            done = f"{job.files_done:,}/{job.files_total:,}"
        elif wide:
            done = f"{human_size(job.bytes_done)}/{human_size(job.bytes_total)}"
        else:
            done = human_size(job.bytes_done)
        # A restore or delete counts objects, not bytes: its bar follows the objects.
        counts = (job.files_done, job.files_total) if items else (job.bytes_done, job.bytes_total)
        if state == "skipped":
            counts, done = (0, 1), "skipped"
        moving_bytes = job.state is TaskState.RUNNING and not items
        rate = f"{human_size(int(job.rate))}/s" if moving_bytes else ""
        eta = format_eta(job.eta) if job.state is TaskState.RUNNING else ""
        kind = kind_label(job)  # "move: " stays whole
        return {
            "state": Text(state),
            "src": Text(kind + short_path(job.src, lay.path - len(kind), self.ascii_only)),
            "dst": Text(short_path(job.dst, lay.path, self.ascii_only)),
            "bar": Text(progress_bar(*counts, self.ascii_only, lay.bar)),
            "done": Text(short_path(done, lay.done, self.ascii_only)),
            "rate": Text(rate),
            "eta": Text(eta),
        }

    def _add_row(self, job_id: str) -> None:
        cells = self._cells(self.jobs[job_id])
        self.table.add_row(*cells.values(), key=job_id)
        self._shown[job_id] = {column: text.plain for column, text in cells.items()}

    def update_job(self, job: Any) -> None:
        previous = self.jobs.get(job.id)
        self.jobs[job.id] = job  # the status line's summary reads the newest at once
        self.throughput.record(job)
        if previous is None:
            self._add_row(job.id)
            self._select(job.id)  # the new job takes the cursor: p, x act on it
        elif previous.state is not job.state or previous.failures != job.failures:
            self._draw_row(job.id)
        else:
            self._stale.add(job.id)
            if self._redraw_timer is None:
                self._redraw_timer = self.set_timer(PROGRESS_EVERY, self._draw_stale)
            return  # its detail is redrawn with its row
        if job.id == self.selected_id:
            self._show_detail()

    def _select(self, job_id: str) -> None:
        try:
            row = self.table.get_row_index(job_id)
        except Exception:
            return
        self.table.move_cursor(row=row)
        self._show_detail()

    def _draw_stale(self) -> None:
        self._redraw_timer = None
        for job_id in list(self._stale):
            self._draw_row(job_id)
        self._show_detail()

    def _draw_row(self, job_id: str) -> None:
        """Put the newest snapshot of `job_id` in its row, touching only cells that changed."""
        self._stale.discard(job_id)
        shown = self._shown.get(job_id)
        if shown is None:
            return
        for column, value in self._cells(self.jobs[job_id]).items():
            if shown.get(column) != value.plain:
                self.table.update_cell(job_id, column, value)
                shown[column] = value.plain

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # The table takes Enter itself (transfer.details is listed for the help screen).
        event.stop()
        self.action_details()

    def _show_detail(self) -> None:
        job_id = self.selected_id
        job = self.jobs.get(job_id) if job_id else None
        if job is None:
            text = ""
        else:
            width = max(20, (self.size.width or self.app.size.width) - 2)
            text = "\n".join(detail_lines(job, width, self.ascii_only))
        self.detail.show(Text(text))

    @property
    def selected_id(self) -> str | None:
        if not self.jobs or self.table.cursor_row < 0 or not self.table.row_count:
            return None
        try:
            row_key, _ = self.table.coordinate_to_cell_key(Coordinate(self.table.cursor_row, 0))
        except Exception:
            return None
        return row_key.value

    def _act(self, verb: str) -> None:
        job_id = self.selected_id
        if job_id is None:
            self.notify("No transfer selected.", severity="warning", markup=False)
            return
        self.post_message(self.Action(verb, job_id))

    def action_pause(self) -> None:
        self._act("pause")

    def action_resume(self) -> None:
        self._act("resume")

    def action_cancel(self) -> None:
        self._act("cancel")

    def action_retry_failed(self) -> None:
        job_id = self.selected_id
        job = self.jobs.get(job_id) if job_id else None
        if job is None or not (job.failures or job.state is TaskState.FAILED):
            self.notify("The selected transfer has no failed files to retry.",
                        severity="warning", markup=False)  # fmt: skip
            return
        self._act("retry")

    def action_clear_finished(self) -> None:
        """Drop the rows of finished jobs (the engine keeps nothing running for them)."""
        finished = [i for i, j in self.jobs.items() if j.state.finished]
        for job_id in finished:
            self.table.remove_row(job_id)
            del self.jobs[job_id]
            self._shown.pop(job_id, None)
            self._stale.discard(job_id)
        self._show_detail()
        if not finished:
            self.notify("Nothing finished to clear.", markup=False)

    def action_details(self) -> None:
        job_id = self.selected_id
        job = self.jobs.get(job_id) if job_id else None
        if job is None:
            return
        from ossbrowse.ui.dialogs.transfer_details import TransferDetails

        self.app.push_screen(TransferDetails(job, self.ascii_only))

    def summary(self) -> str:
        running = [j for j in self.jobs.values() if j.state is TaskState.RUNNING]
        queued = sum(1 for j in self.jobs.values() if j.state is TaskState.QUEUED)
        failed = sum(1 for j in self.jobs.values() if state_word(j) == "failed")
        if not running and not queued and not failed:
            return ""
        parts = []
        if running:
            done = sum(j.bytes_done for j in running)
            total = sum(j.bytes_total for j in running) or 1
            rate = sum(j.rate for j in running)
            parts.append(f"{len(running)} running {done * 100 // total}% {human_size(int(rate))}/s")
        if queued:
            parts.append(f"{queued} queued")
        if failed:
            parts.append(f"{failed} failed (t shows why)")
        return "transfers: " + ", ".join(parts)
