"""Find files under a folder that a process on this machine holds open for writing right now.

A mount uploads a file's content when it is flushed or closed, so a file open for writing is
one whose bucket copy is about to change. /proc/PID/fd/N links to the open file; the `flags:`
line of /proc/PID/fdinfo/N (octal) tells its access mode: O_WRONLY (1) or O_RDWR (2) is a
writer. Processes of other users cannot be read without privileges: they are not seen, which
is the best a non-root check can do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

_ACCESS_MODE = 0o3  # O_ACCMODE
_WRITING = (os.O_WRONLY, os.O_RDWR)


@dataclass(frozen=True, slots=True)
class Writer:
    pid: int
    name: str  # /proc/PID/comm: raw, escape it before printing
    fd: int

    def describe(self) -> str:
        return f"PID {self.pid} ({self.name})"


def _fd_flags(proc: str, pid: str, fd: str) -> int | None:
    try:
        with open(os.path.join(proc, pid, "fdinfo", fd), encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        return None
    return None


def _comm(proc: str, pid: str) -> str:
    try:
        with open(os.path.join(proc, pid, "comm"), encoding="utf-8", errors="replace") as fh:
            return fh.read().strip()
    except OSError:
        return "?"


def find_writers(root: str, proc: str = "/proc") -> dict[str, list[Writer]]:
    """Files under `root` (resolved) open for writing: key relative to root -> writers.

    Keys use `/` and are relative to `root`, as the compare walk names entries.
    """
    root = os.path.realpath(root)
    base = root.rstrip("/") + "/"
    found: dict[str, list[Writer]] = {}
    try:
        pids = [name for name in os.listdir(proc) if name.isdigit()]
    except OSError:
        return found
    for pid in pids:
        fd_dir = os.path.join(proc, pid, "fd")
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue  # gone, or another user's
        name = None
        for fd in fds:
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if not target.startswith(base):
                continue  # pipes, sockets, files elsewhere: cheap to skip before fdinfo
            flags = _fd_flags(proc, pid, fd)
            if flags is None or flags & _ACCESS_MODE not in _WRITING:
                continue
            if target.endswith(" (deleted)") and not os.path.exists(target):
                continue  # unlinked while open: it has no name in the mount any more
            if name is None:
                name = _comm(proc, pid)
            key = target[len(base) :]
            found.setdefault(key, []).append(Writer(int(pid), name, int(fd)))
    return found
