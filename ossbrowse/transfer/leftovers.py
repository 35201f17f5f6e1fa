"""What an unfinished transfer left on the local disk, and giving it up safely.

A clean-up takes the same lock the transfer holds (`destlock`), so it never removes a temporary
file or checkpoint that a running transfer is still writing; it removes only a temporary file
whose name we derived (`tempname`), never a path a checkpoint names.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

from ossbrowse.text import safe_text
from ossbrowse.transfer import destlock
from ossbrowse.transfer.checkpoint import CheckpointInfo, CheckpointStore
from ossbrowse.transfer.destlock import TransferBusy
from ossbrowse.transfer.tempname import is_temp_name


def temp_bytes(info: CheckpointInfo) -> int | None:
    """Bytes the transfer's temporary file holds on disk now (None: it has none)."""
    if not info.temp_path:
        return None
    try:
        st = os.lstat(info.temp_path)
    except OSError:
        return None
    # A download's temporary file is created at full size, sparse: what it occupies is what
    # arrived (and what removing it frees).
    return min(st.st_size, st.st_blocks * 512)


def _busy(info: CheckpointInfo, exc: BlockingIOError) -> TransferBusy:
    return destlock.busy(
        exc,
        f"{info.id} ({safe_text(info.src)} -> {safe_text(info.dst)}) is running in",
        hint="Stop that transfer first, then clean it.",
    )


@contextlib.contextmanager
def claimed(store: CheckpointStore, info: CheckpointInfo) -> Iterator[None]:
    """Hold the transfer's lock while it is given up; TransferBusy if it is running."""
    if info.temp_path and is_temp_name(os.path.basename(info.temp_path)):
        try:
            fd = destlock.acquire(info.temp_path)
        except BlockingIOError as exc:
            raise _busy(info, exc) from None
        except FileNotFoundError:
            fd = None  # its folder is gone, and the temporary file with it
        try:
            yield
        finally:
            if fd is not None:
                destlock.release(fd, info.temp_path)  # removes the temporary file
        return
    if info.kind == "upload":
        path = store.lock_path(info.id)
        try:
            fd = destlock.acquire(path)
        except BlockingIOError as exc:
            raise _busy(info, exc) from None
        try:
            yield
        finally:
            destlock.release(fd, path)
        return
    yield


def give_up(
    store: CheckpointStore,
    info: CheckpointInfo,
    abort: Callable[[CheckpointInfo], None] | None = None,
) -> None:
    """Give up an unfinished transfer under its lock: `abort` its multipart upload (when it has
    one on OSS), then its temporary file (removed by `claimed`) and its checkpoint. The one way
    every clean-up goes (the command line's and the engine's). TransferBusy if it is running."""
    with claimed(store, info):
        if abort is not None:
            abort(info)
        store.delete(info.id)


def clean_locally(store: CheckpointStore, info: CheckpointInfo) -> None:
    """Give up a transfer that has nothing on OSS to abort."""
    give_up(store, info)
