"""One transfer run outside the engine's queue: a context of its own for a caller that moves
one object and waits for it (the mover's copy over 1 GB, a version's restore over 1 GB, the
local copy a viewer reads), through the same download and server-copy code as `cp`.

No checkpoint store: what is run this way is not resumed (a resumable copy is a job of the
`TransferEngine`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ossbrowse.tasks.control import Control
from ossbrowse.tasks.progress import ProgressMeter
from ossbrowse.transfer.context import Context, PartPool

THREADS = 4  # parts in flight, as `cp` sends by default


@contextmanager
def one_transfer(
    control: Control | None = None,
    *,
    on_bytes: Callable[[int, int], None] | None = None,
    threads: int = THREADS,
) -> Iterator[Context]:
    """A Context with its own part pool, shut down on leaving; `on_bytes(done, total)` is
    told the meter's counts as they move."""
    pool = PartPool(threads)
    meter: ProgressMeter

    def emit() -> None:
        if on_bytes is not None:
            on_bytes(meter.done, meter.total)

    meter = ProgressMeter(emit)
    try:
        yield Context(control if control is not None else Control(), meter, pool, store=None)
    finally:
        pool.shutdown(wait=False)
