"""The transfer panel's top line: the total rate and each running transfer's, as sparklines.

`RateHistory` keeps one sample a second per job (the newest rate the engine reported in that
second), at most `SAMPLES` of them, and forgets a job once it stops running. `ThroughputLine`
draws it on one fixed line (a redraw never asks for a new layout, as the status line does).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.widget import Widget

from ossbrowse.tasks import TaskState
from ossbrowse.text import safe_text
from ossbrowse.ui.rows import human_size

SAMPLES = 12
BLOCKS = "▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.-:=+*#"


def sparkline(values: Sequence[float], ascii_only: bool = False) -> str:
    """One character a value, scaled to the largest; zero is the lowest bar."""
    levels = ASCII_LEVELS if ascii_only else BLOCKS
    top = max(values, default=0.0)
    if top <= 0:
        return levels[0] * len(values)
    last = len(levels) - 1
    return "".join(levels[min(last, round(v / top * last))] for v in values)


class RateHistory:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.samples: dict[str, deque[float]] = {}
        self.totals: deque[float] = deque(maxlen=SAMPLES)
        self._second: dict[str, int] = {}
        self._total_second = -1
        self.names: dict[str, str] = {}

    def record(self, job: Any) -> None:
        # A restore or delete counts objects, not bytes: it has no rate to draw.
        counts_objects = job.kind != "copy" and not job.bytes_total
        if job.state is not TaskState.RUNNING or counts_objects:
            self.samples.pop(job.id, None)
            self._second.pop(job.id, None)
            self.names.pop(job.id, None)
            return
        second = int(self.clock())
        history = self.samples.setdefault(job.id, deque(maxlen=SAMPLES))
        if self._second.get(job.id) == second and history:
            history[-1] = job.rate  # the newest rate of this second
        else:
            history.append(job.rate)
            self._second[job.id] = second
        self.names[job.id] = (job.src or "").rstrip("/").rpartition("/")[2] or job.src
        total = sum(h[-1] for h in self.samples.values() if h)
        if self._total_second == second and self.totals:
            self.totals[-1] = total
        else:
            self.totals.append(total)
            self._total_second = second

    def describe(self, width: int, ascii_only: bool = False) -> str:
        """`total <spark> 3.1 MiB/s | a.bin <spark> 1.0 MiB/s | ...`, cut to `width`."""
        if not self.samples:
            return ""
        sep = " | " if ascii_only else " │ "
        total = self.totals[-1] if self.totals else 0.0
        parts = [f"total {sparkline(self.totals, ascii_only)} {human_size(int(total))}/s"]
        for job_id, history in self.samples.items():
            name = safe_text(self.names.get(job_id, job_id))[:24]
            parts.append(
                f"{name} {sparkline(history, ascii_only)} {human_size(int(history[-1]))}/s"
            )
        line = sep.join(parts)
        return line if len(line) <= width else line[: max(0, width - 3)] + "..."


class ThroughputLine(Widget):
    """One line above the transfers: empty (no height) while nothing runs."""

    DEFAULT_CSS = "ThroughputLine { height: 1; }"

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.history = RateHistory()
        self.text = Text()
        self.display = False

    def render(self) -> Text:
        return self.text

    def record(self, job: Any) -> None:
        self.history.record(job)
        text = Text(self.history.describe(self.size.width or 80, self.ascii_only), no_wrap=True)
        if text.plain != self.text.plain:
            self.text = text
            self.display = bool(text.plain)  # a layout only when it appears or goes
            self.refresh()
