"""Copy one local file to another: chunked (cancel acts between chunks), into a temp file
beside the destination, fsynced, then renamed; the modified time travels with it.

The temporary name has a fixed length (`tempname`), so any name the file system accepts can be
copied; the file gets its mode as `cp` gives it (`filemode`); and only the file this copy wrote
(checked by inode) takes the destination's name.
"""

from __future__ import annotations

import contextlib
import os

from ossbrowse.errors import OssBrowseError
from ossbrowse.tasks.control import Cancelled, Stopped
from ossbrowse.text import safe_text
from ossbrowse.transfer.context import CHUNK, Context
from ossbrowse.transfer.destlock import same_file
from ossbrowse.transfer.failures import describe
from ossbrowse.transfer.filemode import apply_final_mode
from ossbrowse.transfer.tempname import private_temp_path

_BLOCK = 8 * CHUNK  # bigger blocks: local disks like them, and cancel still acts within ~10 ms


def copy_local(ctx: Context, src: str, dst: str) -> int:
    """Copy `src` to `dst`; returns the size copied."""
    temp = private_temp_path(dst)
    fd = None
    try:
        with open(src, "rb") as fin:
            st = os.fstat(fin.fileno())
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
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
        return copied
    except BaseException as exc:
        if fd is not None:
            if same_file(fd, temp):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            os.close(fd)
        if isinstance(exc, Cancelled | Stopped) or not isinstance(exc, Exception):
            raise
        if isinstance(exc, OSError) and not exc.filename:
            # A failed write or fsync names no file; without one it would pass for a network
            # failure. The person knows the destination, not the temporary name.
            raise describe(OSError(exc.errno, exc.strerror, dst), action="copy") from exc
        raise describe(exc, action="copy") from exc
