"""The part pool never starts a part once a pause was asked, even one that was already waiting
for a free slot when the pause came (it passed the pause check before it began to wait).

Synchronised by events only: the test knows when the submitter is waiting for a slot (a
semaphore that says so) and when it is waiting out the pause (a control that says so).
"""

import threading

from ossbrowse.tasks.control import Control
from ossbrowse.transfer.context import PartPool


class _TellingSlots:
    """The pool's semaphore, telling when a submitter is refused a slot."""

    def __init__(self, slots: threading.Semaphore) -> None:
        self._slots = slots
        self.refused = threading.Event()

    def acquire(self, timeout: float | None = None) -> bool:
        got = self._slots.acquire(timeout=timeout)
        if not got:
            self.refused.set()
        return got

    def release(self) -> None:
        self._slots.release()


class _TellingControl(Control):
    """A control that says when someone waits at its gate while paused."""

    __slots__ = ("settled",)

    def __init__(self, settled: threading.Event) -> None:
        super().__init__()
        self.settled = settled

    def gate(self) -> None:
        if self.paused:
            self.settled.set()
        super().gate()


def test_a_part_waiting_for_a_slot_does_not_start_after_a_pause():
    settled = threading.Event()  # the waiting part either started or is held by the pause
    control = _TellingControl(settled)
    pool = PartPool(1)
    slots = pool._slots = _TellingSlots(pool._slots)  # type: ignore[assignment]
    let_first_end = threading.Event()
    first = pool.submit(control, let_first_end.wait)
    started_while_paused = []

    def second() -> None:
        started_while_paused.append(control.paused)
        settled.set()

    submitted = []
    submitter = threading.Thread(target=lambda: submitted.append(pool.submit(control, second)))
    submitter.start()
    try:
        assert slots.refused.wait(30)  # the second part waits for the only slot
        control.pause()
        let_first_end.set()  # the slot frees while paused
        first.result(30)
        assert settled.wait(30)
        assert started_while_paused == []  # held by the pause, not started
        control.resume()
        submitter.join(30)
        submitted[0].result(30)
        assert started_while_paused == [False]  # it started once resumed
    finally:
        control.resume()
        let_first_end.set()
        submitter.join(30)
        pool.shutdown()
