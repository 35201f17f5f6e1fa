"""One transfer at a time per destination: an advisory lock (`flock`) on a file, refusing a
second holder with a message that names the process holding it.

Two runs of the same download share one temporary file, and two runs of the same upload share
one checkpoint and one multipart upload; without this lock the second run took over the first
one's files while it was still writing them (issue 11, case 1). A second run refuses rather
than waits: waiting would only download the same bytes again once the first had published
them, and a refusal tells the person that the same transfer is already running somewhere.

`flock` (not `fcntl` record locks) because its locks belong to an open file, so two transfers
in one process (the UI running one job twice) exclude each other too, and closing some other
descriptor of the file does not drop the lock. Linux reports the holder's process id in
/proc/locks; elsewhere the message says "another process".
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os

from ossbrowse.errors import OssBrowseError


class TransferBusy(OssBrowseError):
    """The same transfer (same destination, same shared files) is running elsewhere."""

    def __init__(self, message: str, *, hint: str = "", pid: int | None = None) -> None:
        super().__init__(message, hint=hint)
        self.pid = pid


def same_file(fd: int, path: str) -> bool:
    """Whether `path` still names the file open as `fd` (not a file put in its place)."""
    try:
        here, there = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def holder_pid(fd: int) -> int | None:
    """The process holding a `flock` on the file open as `fd`, from /proc/locks (Linux)."""
    st = os.fstat(fd)
    wanted = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as table:
            lines = table.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; waiters are marked "->".
        if len(fields) < 6 or fields[1] == "->" or fields[1] != "FLOCK":
            continue
        if fields[5] == wanted:
            with contextlib.suppress(ValueError):
                pid = int(fields[4])
                return pid if pid > 0 else None
    return None


RUN_AGAIN = "Let that transfer finish (or stop it), then run this again if still needed."


def busy(exc: BlockingIOError, doing: str, *, hint: str = RUN_AGAIN) -> TransferBusy:
    """The refusal for a lock `acquire` found held: "<doing> <who holds it>."."""
    pid = getattr(exc, "pid", None)
    return TransferBusy(f"{doing} {who(pid)}.", hint=hint, pid=pid)


def who(pid: int | None) -> str:
    """How a message names the holder."""
    if pid is None:
        return "another process"
    if pid == os.getpid():
        return f"another transfer in this program (process {pid})"
    return f"process {pid}"


def acquire(path: str, *, mode: int = 0o600) -> int:
    """Open `path` (created if missing, never through a symbolic link) and lock it; returns the
    descriptor, which holds the lock until it is closed. Raises BlockingIOError carrying the
    holder's pid in `.pid` when another open file holds it.

    The lock is only worth something on the file the path names now: a holder may rename or
    unlink it between our open and our lock, so the name is checked again once locked.
    """
    for _ in range(100):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            # A symbolic link planted under our own name: remove the link (never what it
            # points to) and take the name.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            exc.pid = holder_pid(fd)  # type: ignore[attr-defined]
            os.close(fd)
            raise
        except BaseException:
            os.close(fd)
            raise
        if same_file(fd, path):
            return fd
        os.close(fd)  # the holder published or removed it between our open and our lock
    raise OSError(errno.EBUSY, "the file kept being replaced while it was being locked", path)


def release(fd: int, path: str | None = None) -> None:
    """Drop the lock; with `path`, remove the lock file first if it is still ours."""
    try:
        if path is not None and same_file(fd, path):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    finally:
        os.close(fd)


def lock_temp(temp: str, dest: str, doing: str) -> int:
    """Open and lock a transfer's temporary file (one run of that transfer at a time); the
    refusal reads "<doing> <who holds it>.", an error names `dest` (not the temporary name)."""
    try:
        return acquire(temp)
    except BlockingIOError as exc:
        raise busy(exc, doing) from None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, dest) from exc
