"""The transfer panel: every job with a progress bar, rate and time left; pause, resume, cancel.

It only draws snapshots the app hands it (`update_job`); the app turns engine events into
messages and calls the engine for the actions, so this widget never blocks.
"""

from __future__ import annotations

from typing import Any

import humanize
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Label

from ossbrowse.ops.tasks import is_task_id
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import JobState
from ossbrowse.ui import keys
from ossbrowse.ui.rows import human_size

BAR_WIDTH = 20
# Progress redraws the table at most this often (seconds); a new job or a state change at
# once. DataTable redraws every cell of every row on any change (~10 ms), and progress came
# ~15 times a second during one upload: keys pressed meanwhile waited behind those redraws.
PROGRESS_EVERY = 0.25


def progress_bar(done: int, total: int, ascii_only: bool, width: int = BAR_WIDTH) -> str:
    fraction = min(1.0, done / total) if total else 0.0
    filled = int(fraction * width)
    if ascii_only:
        return "[" + "#" * filled + "." * (width - filled) + "]"
    return "█" * filled + "░" * (width - filled)


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return humanize.naturaldelta(seconds) if seconds >= 1 else "<1s"


def short_path(path: str, width: int = 28, ascii_only: bool = False) -> str:
    text = safe_text(path)
    return text if len(text) <= width else ("~" if ascii_only else "…") + text[-(width - 1) :]


class TransferPanel(Vertical):
    """Shown and hidden with `t`; the row under the cursor is 'the selected transfer'."""

    BINDINGS = keys.bindings(keys.TRANSFER_KEYS)

    class Action(Message):
        """The user asked to pause, resume or cancel one job."""

        def __init__(self, verb: str, job_id: str) -> None:
            super().__init__()
            self.verb = verb
            self.job_id = job_id

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.jobs: dict[str, Any] = {}
        self.table: DataTable = DataTable(cursor_type="row", id="transfer-table")
        self._shown: dict[str, dict[str, str]] = {}  # job id -> column -> text in the table
        self._stale: set[str] = set()  # jobs whose progress is newer than their row
        self._redraw_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        dot = "-" if self.ascii_only else "·"
        yield Label(f"Transfers  p pause {dot} u resume {dot} x cancel {dot} P/R/X all",
                    classes="panel-title")  # fmt: skip
        yield self.table

    def on_mount(self) -> None:
        for label, key in (("State", "state"), ("From", "src"), ("To", "dst"),
                           ("Progress", "bar"), ("Done", "done"), ("Rate", "rate"),
                           ("Left", "eta")):  # fmt: skip
            self.table.add_column(label, key=key)

    def _cells(self, job: Any) -> dict[str, Text]:
        state = job.state.value + (" (scanning)" if getattr(job, "scanning", False) else "")
        if job.state is JobState.FAILED and job.error:
            state = "failed"
        task = is_task_id(job.id)  # a move, delete or restore of the operations layer
        if task:
            state = f"{job.current} {state}"  # the kind first: "move running"
        dot = "-" if self.ascii_only else "·"
        if task and not job.bytes_total:
            done = f"{job.files_done:,}/{job.files_total:,} objects"
        else:
            done = f"{human_size(job.bytes_done)} / {human_size(job.bytes_total)}"
            if job.files_total > 1 or task:
                unit = "objects" if task else "files"
                done += f" {dot} {job.files_done}/{job.files_total} {unit}"
        # A restore or delete counts objects, not bytes: its bar follows the objects.
        counts = (job.files_done, job.files_total) if task and not job.bytes_total else (
            job.bytes_done, job.bytes_total)  # fmt: skip
        rate = f"{human_size(int(job.rate))}/s" if job.state is JobState.RUNNING else ""
        eta = format_eta(job.eta) if job.state is JobState.RUNNING else ""
        return {
            "state": Text(state),
            "src": Text(short_path(job.src, ascii_only=self.ascii_only)),
            "dst": Text(short_path(job.dst, ascii_only=self.ascii_only)),
            "bar": Text(progress_bar(*counts, self.ascii_only)),
            "done": Text(done),
            "rate": Text(rate),
            "eta": Text(eta),
        }

    def update_job(self, job: Any) -> None:
        previous = self.jobs.get(job.id)
        self.jobs[job.id] = job  # the status line's summary reads the newest at once
        if previous is None:
            cells = self._cells(job)
            self.table.add_row(*cells.values(), key=job.id)
            self._shown[job.id] = {column: text.plain for column, text in cells.items()}
        elif previous.state is not job.state:
            self._draw_row(job.id)
        else:
            self._stale.add(job.id)
            if self._redraw_timer is None:
                self._redraw_timer = self.set_timer(PROGRESS_EVERY, self._draw_stale)

    def _draw_stale(self) -> None:
        self._redraw_timer = None
        for job_id in list(self._stale):
            self._draw_row(job_id)

    def _draw_row(self, job_id: str) -> None:
        """Put the newest snapshot of `job_id` in its row, touching only cells that changed."""
        self._stale.discard(job_id)
        shown = self._shown[job_id]
        for column, value in self._cells(self.jobs[job_id]).items():
            if shown.get(column) != value.plain:
                self.table.update_cell(job_id, column, value)
                shown[column] = value.plain

    @property
    def selected_id(self) -> str | None:
        if not self.jobs or self.table.cursor_row < 0:
            return None
        try:
            row_key, _ = self.table.coordinate_to_cell_key((self.table.cursor_row, 0))
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

    def summary(self) -> str:
        running = [j for j in self.jobs.values() if j.state is JobState.RUNNING]
        queued = sum(1 for j in self.jobs.values() if j.state is JobState.QUEUED)
        failed = sum(1 for j in self.jobs.values() if j.state is JobState.FAILED)
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
            parts.append(f"{failed} failed")
        return "transfers: " + ", ".join(parts)
