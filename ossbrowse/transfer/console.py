"""Plain-text progress for the `cp` and `transfers` verbs: a one-line bar redrawn in place on a
terminal, quiet lines when piped. No Textual: a verb must start fast and stay light."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from typing import TextIO

from ossbrowse.tasks import Event, TaskSnapshot, TaskState, TaskStateChanged
from ossbrowse.text import safe_message, safe_text
from ossbrowse.transfer.plan import format_size


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def progress_line(snap: TaskSnapshot, width: int) -> str:
    """`[#####-----]  45%  115.2 MiB/256.0 MiB  85.1 MiB/s  0:02 left  3/10 name`."""
    total = snap.bytes_total
    fraction = min(1.0, snap.bytes_done / total) if total else 0.0
    size = f"{format_size(snap.bytes_done)}/{format_size(total)}" + ("+" if snap.scanning else "")
    left = "scanning" if snap.scanning else f"{format_duration(snap.eta)} left"
    files = f"{snap.files_done}/{snap.files_total}{'+' if snap.scanning else ''}"
    text = f"{fraction * 100:3.0f}%  {size}  {format_size(snap.rate)}/s  {left}  {files}"
    name = safe_text((snap.current or "").rsplit("/", 1)[-1])
    bar_width = max(10, min(30, width - len(text) - 20))
    filled = int(bar_width * fraction)
    line = f"[{'#' * filled}{'-' * (bar_width - filled)}] {text}  {name}"
    return line[: max(20, width - 1)]


class ConsoleReporter:
    """Listens to engine events: redraws a bar on a TTY (at most 10 times a second), and on
    a pipe prints one line per finished job."""

    def __init__(self, out: TextIO | None = None, *, tty: bool | None = None) -> None:
        self.out = out or sys.stderr
        self.tty = self.out.isatty() if tty is None else tty
        self._lock = threading.Lock()
        self._last_draw = 0.0
        self._drawn = False

    def __call__(self, event: Event) -> None:
        snap = event.job
        if isinstance(event, TaskStateChanged) and snap.state.finished:
            self.finished(snap)
            return
        if not self.tty:
            return
        now = time.monotonic()
        with self._lock:
            if now - self._last_draw < 0.1:
                return
            self._last_draw = now
            width = shutil.get_terminal_size((100, 20)).columns
            self.out.write("\r" + progress_line(snap, width).ljust(width - 1))
            self.out.flush()
            self._drawn = True

    def _clear(self) -> None:
        if self.tty and self._drawn:
            width = shutil.get_terminal_size((100, 20)).columns
            self.out.write("\r" + " " * (width - 1) + "\r")
            self._drawn = False

    def finished(self, snap: TaskSnapshot) -> None:
        with self._lock:
            self._clear()
            src, dst = safe_text(snap.src), safe_text(snap.dst)
            if snap.state is TaskState.DONE:
                skipped = f", {snap.files_skipped} skipped" if snap.files_skipped else ""
                self.out.write(
                    f"copied {src} -> {dst}: {snap.files_done - snap.files_skipped} file(s), "
                    f"{format_size(snap.bytes_done)}{skipped}\n"
                )
            elif snap.state is TaskState.CANCELLED:
                self.out.write(f"cancelled {src} -> {dst}\n")
            for failure in snap.failures:
                self.out.write(
                    f"failed {safe_text(failure.src)}: {safe_message(failure.message)}\n"
                )
            if snap.state is TaskState.FAILED and not snap.failures and snap.error:
                self.out.write(f"failed {src} -> {dst}: {safe_message(snap.error)}\n")
            for note in snap.notes:
                self.out.write(f"note: {safe_text(note)}\n")
            self.out.flush()
