"""Copy one local file to another: chunked (cancel acts between chunks), into a temp file
beside the destination, fsynced, then renamed; the modified time travels with it."""

from __future__ import annotations

import contextlib
import os
import shutil

from ossbrowse.transfer.context import CHUNK, Context
from ossbrowse.transfer.control import TransferCancelled, TransferStopped
from ossbrowse.transfer.failures import describe

_BLOCK = 8 * CHUNK  # bigger blocks: local disks like them, and cancel still acts within ~10 ms


def copy_local(ctx: Context, src: str, dst: str) -> int:
    """Copy `src` to `dst`; returns the size copied."""
    folder, name = os.path.split(dst)
    temp = os.path.join(folder, f".{name}.ossbrowse-{os.getpid()}.part")
    try:
        with open(src, "rb") as fin:
            st = os.fstat(fin.fileno())
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                copied = 0
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
                os.fsync(fd)
            finally:
                os.close(fd)
        shutil.copymode(src, temp)
        os.utime(temp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(temp, dst)
        return copied
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        if isinstance(exc, TransferCancelled | TransferStopped) or not isinstance(exc, Exception):
            raise
        raise describe(exc, action="copy") from exc
