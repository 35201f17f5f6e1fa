"""The permission bits a written file ends with, as `cp` chooses them.

A temporary file is created 0600 (a half-written download of a private object is nobody
else's business) and given its final mode just before it takes its name: an overwrite keeps the
mode of the file it replaces; a new file gets the process's umask applied to 0666 (a download)
or to the source's bits (a local copy). Downloads used to end 0600 always, and an overwrite reset
the existing file's mode (issue 16, case 2).
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading

_umask_lock = threading.Lock()


def current_umask() -> int:
    """The umask, without changing it where Linux can tell (/proc/self/status); elsewhere by
    setting and restoring it under a lock (a short window other threads could see)."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii", errors="replace") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def final_mode(dest: str, source_mode: int | None = None) -> int:
    """The bits `dest` should have once written: those of the regular file already there, or
    the source's (0666 for an object) less the umask."""
    with contextlib.suppress(OSError):
        st = os.lstat(dest)
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)
    base = 0o666 if source_mode is None else stat.S_IMODE(source_mode) & 0o777
    return base & ~current_umask()


def apply_final_mode(fd: int, dest: str, source_mode: int | None = None) -> None:
    """Give the open temporary file its final mode (see `final_mode`)."""
    os.fchmod(fd, final_mode(dest, source_mode))
