"""Progress counting for one task: thread-safe totals, rate over a sliding window, and
coalescing, so a listener hears about progress at most about ten times a second per task.

Coalescing happens here, at the source: a part's 1 MiB chunks land from several threads at
once, and turning each into a UI message costs far more than the bytes (see STYLE.md).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

EMIT_INTERVAL = 0.1  # seconds between two progress events of one task
RATE_WINDOW = 3.0  # seconds of history the rate is measured over


class ProgressMeter:
    """Counts bytes; calls `emit()` from the adding thread when an update is due."""

    def __init__(
        self, emit: Callable[[], None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._emit = emit
        self._clock = clock
        self._lock = threading.Lock()
        self.done = 0
        self.total = 0
        self._samples: deque[tuple[float, int]] = deque()
        self._last_emit = 0.0

    def add_total(self, n: int) -> None:
        with self._lock:
            self.total += n

    def add(self, n: int) -> None:
        """`n` more bytes moved (negative when a retried part gives its bytes back)."""
        self._record(n, None, None)

    def set(self, done: int, total: int) -> None:
        """The counts as a whole (an operation that reports them rather than adding)."""
        self._record(0, done, total)

    def poke(self) -> None:
        """Something other than bytes moved on (objects counted): an update, if one is due."""
        self._record(0, None, None)

    def _record(self, n: int, done: int | None, total: int | None) -> None:
        now = self._clock()
        with self._lock:
            self.done = self.done + n if done is None else done
            if total is not None:
                self.total = total
            self._samples.append((now, self.done))
            while len(self._samples) > 2 and now - self._samples[0][0] > RATE_WINDOW:
                self._samples.popleft()
            due = now - self._last_emit >= EMIT_INTERVAL
            if due:
                self._last_emit = now
        if due:
            self._emit()

    def rate(self) -> float:
        now = self._clock()
        with self._lock:
            if not self._samples:
                return 0.0
            t0, d0 = self._samples[0]
            t1, d1 = self._samples[-1]
        if now - t1 > RATE_WINDOW:  # nothing moved lately (paused, or a slow part)
            return 0.0
        span = max(now - t0, 1e-3)
        return max(0.0, (d1 - d0) / span)

    def eta(self, rate: float | None = None) -> float | None:
        rate = self.rate() if rate is None else rate
        if rate <= 0 or self.total <= 0:
            return None
        return max(0.0, (self.total - self.done) / rate)
