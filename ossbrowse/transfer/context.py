"""What one file's transfer runs with: the job's flags and meter, the shared part pool, the
checkpoint store, the retry policy; and `run_parts`, the loop that sends parts in parallel.

Memory stays bounded because a part's bytes are read by the worker that sends it, and the pool
admits at most `threads` parts at once (queued plus running), whatever the file's size.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from ossbrowse.fs.retrying import DEFAULT_RETRY, RetryPolicy
from ossbrowse.tasks.control import Cancelled, Control, Stopped
from ossbrowse.tasks.progress import ProgressMeter
from ossbrowse.transfer.checkpoint import CheckpointStore

T = TypeVar("T")
R = TypeVar("R")

_POOL_PREFIX = "ossbrowse-part"
CHUNK = 1024 * 1024  # between two chunks a worker checks for cancel and reports progress


class PartPool:
    """A thread pool that admits at most `threads` tasks at a time (queued + running)."""

    def __init__(self, threads: int) -> None:
        self.threads = max(1, threads)
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix=_POOL_PREFIX)
        self._slots = threading.Semaphore(self.threads)

    def submit(self, control: Control, fn: Callable[[], R]) -> Future[R]:
        """Start `fn` once a slot is free; never while paused (a pause asked while this waited
        for a slot holds the part back: the slot goes back and the pause is waited out)."""
        while True:
            control.gate()
            if not self._slots.acquire(timeout=0.1):
                continue
            if not control.paused and not control.cancelled:
                break
            self._slots.release()
        try:
            future = self._executor.submit(fn)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())
        return future

    def shutdown(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=True)


@dataclass
class Context:
    """Everything a file transfer needs besides its source and destination."""

    control: Control
    meter: ProgressMeter
    pool: PartPool
    store: CheckpointStore | None  # None: --no-checkpoint
    retry: RetryPolicy = DEFAULT_RETRY
    part_size: int | None = None  # None: the default, grown for big files
    note: Callable[[str], None] = field(default=lambda _text: None)  # "source changed..."
    # The task's `add_cleanup`: what to undo if the task is cancelled (a multipart upload's
    # abort), run by the task runner once the task has ended. None: no task, undone at once.
    add_cleanup: Callable[[Callable[[], None]], Callable[[], None]] | None = None


def run_parts(ctx: Context, items: Iterable[T], work: Callable[[T], R]) -> list[R]:
    """`work(item)` for every item on the pool, in parallel; results in the items' order.

    The first failure stops new parts from starting; parts in flight finish (or notice the
    cancel flag between chunks), then the failure is raised. A real error wins over the
    cancel or stop it may have caused in other parts.
    """
    if threading.current_thread().name.startswith(_POOL_PREFIX):
        # Already on a pool thread (a small file's task that turned out to have parts):
        # waiting there for more pool slots could deadlock, so send the parts one by one.
        out = []
        for item in items:
            ctx.control.gate()
            out.append(work(item))
        return out
    futures: list[Future[R]] = []
    failed = threading.Event()

    def watch(future: Future[R]) -> None:
        if future.exception() is not None:
            failed.set()

    try:
        for item in items:
            ctx.control.gate()
            if failed.is_set():
                break
            future = ctx.pool.submit(ctx.control, functools.partial(work, item))
            future.add_done_callback(watch)
            futures.append(future)
    except (Cancelled, Stopped) as exc:
        interrupted: BaseException | None = exc
    else:
        interrupted = None
    results: list[R] = []
    first_error: BaseException | None = None
    for future in futures:
        try:
            results.append(future.result())
        except (Cancelled, Stopped) as exc:
            interrupted = interrupted or exc
        except BaseException as exc:
            first_error = first_error or exc
    if first_error is not None:
        raise first_error
    if interrupted is not None:
        raise interrupted
    return results
