"""Copy one local file to another: chunked (cancel acts between chunks), into a temp file
beside the destination, fsynced, then renamed; the modified time travels with it.

The temporary name has a fixed length (`tempname`), so any name the file system accepts can be
copied; the file gets its mode as `cp` gives it (`filemode`); and only the file this copy wrote
(checked by inode) takes the destination's name.

A kill (SIGKILL, a power cut) runs no clean-up, so the temporary file must be findable
afterwards: its name is derived from the copy's id (`tempname.transfer_temp_path`), the copy
holds its lock (`destlock`) while it writes, and a small record in the checkpoint folder names
it while the copy runs, so `ossbrowse transfers` lists it and `--clean` removes it, as it does
for a download's.
"""

from __future__ import annotations

import contextlib
import os

from ossbrowse.errors import OssBrowseError
from ossbrowse.tasks.control import Cancelled, Stopped
from ossbrowse.text import safe_text
from ossbrowse.transfer import destlock
from ossbrowse.transfer.checkpoint import checkpoint_id
from ossbrowse.transfer.context import CHUNK, Context
from ossbrowse.transfer.destlock import same_file
from ossbrowse.transfer.failures import describe
from ossbrowse.transfer.filemode import apply_final_mode
from ossbrowse.transfer.tempname import transfer_temp_path

_BLOCK = 8 * CHUNK  # bigger blocks: local disks like them, and cancel still acts within ~10 ms
KIND = "localcopy"  # the checkpoint kind of a local copy's record
# Tests only: "BYTES:PATH" makes a copy, once BYTES are written, create PATH and wait until it
# is removed -- a point at which a test kills the process, with no timing involved.
HOLD_ENV = "OSSBROWSE_TEST_HOLD_LOCAL_COPY"


def copy_local(ctx: Context, src: str, dst: str) -> int:
    """Copy `src` to `dst`; returns the size copied."""
    src, dst = os.path.abspath(src), os.path.abspath(dst)
    ident = checkpoint_id(KIND, src, dst)
    temp = transfer_temp_path(dst, ident)
    fd = None
    recorded = False
    try:
        with open(src, "rb") as fin:
            st = os.fstat(fin.fileno())
            doing = f"{safe_text(dst)} is already being copied from {safe_text(src)} by"
            fd = destlock.lock_temp(temp, dst, doing)
            os.ftruncate(fd, 0)  # what a killed run of this copy left is started over
            if ctx.store is not None:
                with contextlib.suppress(OSError):  # only a listing after a kill is at stake
                    record = {"kind": KIND, "src": src, "dst": dst, "size": st.st_size}
                    ctx.store.save(ident, record, durable=False)
                    recorded = True
            copied = 0
            hold = _hold_point()
            while True:
                ctx.control.check()
                block = fin.read(_BLOCK)
                if not block:
                    break
                view = memoryview(block)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                copied += len(block)
                ctx.meter.add(len(block))
                if hold is not None and copied >= hold[0]:
                    _wait_at(hold[1])
                    hold = None
            os.fsync(fd)
        apply_final_mode(fd, dst, st.st_mode)
        os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))
        if not same_file(fd, temp):
            raise OssBrowseError(
                f"The temporary file for {safe_text(dst)} was replaced by another program "
                "while it was being written, so nothing was published.",
                hint="Make sure nothing else writes into that folder, then copy it again.",
            )
        os.replace(temp, dst)
        os.close(fd)
        fd = None
        if recorded and ctx.store is not None:
            with contextlib.suppress(OSError):  # published: a stale record is only listed
                ctx.store.delete(ident)
        return copied
    except BaseException as exc:
        if fd is not None:
            if same_file(fd, temp):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            os.close(fd)
            if recorded and ctx.store is not None:
                with contextlib.suppress(OSError):
                    ctx.store.delete(ident)
        if isinstance(exc, Cancelled | Stopped) or not isinstance(exc, Exception):
            raise
        if isinstance(exc, OSError) and not exc.filename:
            # A failed write or fsync names no file; without one it would pass for a network
            # failure. The person knows the destination, not the temporary name.
            raise describe(OSError(exc.errno, exc.strerror, dst), action="copy") from exc
        raise describe(exc, action="copy") from exc


def _hold_point() -> tuple[int, str] | None:
    """The test hold (`HOLD_ENV`), if one is asked."""
    value = os.environ.get(HOLD_ENV)
    if not value:
        return None
    count, _, path = value.partition(":")
    return int(count), path


def _wait_at(path: str) -> None:
    import time

    with open(path, "w", encoding="ascii"):
        pass
    while os.path.exists(path):
        time.sleep(0.01)
