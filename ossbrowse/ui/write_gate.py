"""The one gate every write action of the UI passes: refused at once when nothing may change.

A write action is decorated with `@writes("what it does", where=...)`. Before it runs, the
gate refuses it with `ops.guard`'s message when the session is read-only (`--read-only`, or a
profile's `read_only`), and with `mount.ensure_writable`'s when the local folder it writes to
is on a read-only OSS mount. Restore, view, inspect and presign are not writes of data and are
not gated. `WRITE_ACTIONS` lists the gated actions so a test can check every one of them.

The mount answer costs reading the config, /proc/self/mountinfo and every /proc/PID/cmdline,
so it is not asked on the UI thread: a `MountGate` keeps one answer per destination folder,
computed once in a thread worker, after which the action goes on (on the UI thread). The
answers are forgotten on a reload (ctrl+r) and after `TTL` seconds: mounts change only when
someone mounts or unmounts, which a person does in another terminal and then expects to see
within seconds; a stale "writable" only means the mount itself refuses the write (EROFS),
never that data goes where it should not, and a stale "read-only" is cleared by ctrl+r.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ossbrowse.errors import OssBrowseError
from ossbrowse.ops.guard import ensure_writable

F = TypeVar("F", bound=Callable[..., Any])
Where = Callable[..., "str | None"]  # (self, *args) -> the folder written to, if known now
Check = Callable[[str], None]  # raises ReadOnlyError when the folder is on a read-only mount

WRITE_ACTIONS: dict[str, str] = {}  # method name -> what it does
TTL = 30.0  # seconds an answer is kept (see the module's docstring)


def mount_check(path: str) -> None:
    """The costly part: every known mount (config, mountinfo, ossfs command lines)."""
    from ossbrowse.mount import ensure_writable as mount_writable

    mount_writable(path)


class MountGate:
    """One answer per destination folder, kept `ttl` seconds; computed once however many ask.

    Pure logic: `check` and `clock` are seams. `answer` is called from worker threads; a lock
    makes two askers of the same folder share one computation.
    """

    def __init__(
        self,
        check: Check | None = None,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = TTL,
    ) -> None:
        self._check = check or (lambda path: mount_check(path))  # looked up when asked
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._answers: dict[str, tuple[float, OssBrowseError | None]] = {}

    @staticmethod
    def _key(path: str) -> str:
        return path.rstrip("/") or "/"

    def cached(self, path: str) -> tuple[bool, OssBrowseError | None]:
        """(known, refusal): known False means `answer` must be asked (off the UI thread)."""
        with self._lock:
            found = self._answers.get(self._key(path))
        if found is None or self._clock() - found[0] > self._ttl:
            return False, None
        return True, found[1]

    def answer(self, path: str) -> OssBrowseError | None:
        """The refusal for writing into `path`, or None: blocking, for a worker thread."""
        key = self._key(path)
        with self._lock:  # one computation at a time: a second asker finds the first's answer
            found = self._answers.get(key)
            if found is not None and self._clock() - found[0] <= self._ttl:
                return found[1]
            try:
                self._check(path)
                refusal: OssBrowseError | None = None
            except OssBrowseError as exc:
                refusal = exc
            self._answers[key] = (self._clock(), refusal)
            return refusal

    def forget(self) -> None:
        """Ask again next time (a reload: the person may have mounted or unmounted)."""
        with self._lock:
            self._answers.clear()


def check_writable(app: Any, what: str, path: str | None = None) -> None:
    """Raise ReadOnlyError if `what` may not run now (session read-only, or a read-only mount).

    Blocking on a cache miss: for a destination typed in a dialog, just confirmed. The gate
    itself (`writes`) never blocks the UI thread.
    """
    ensure_writable(bool(getattr(app, "read_only", False)), what)
    if path and not path.startswith("oss://"):
        gate = getattr(app, "write_gate", None)
        if gate is None:
            mount_check(path)
            return
        known, refusal = gate.cached(path)
        if not known:
            refusal = gate.answer(path)
        if refusal is not None:
            raise refusal


def gate_then(app: Any, what: str, path: str | None, go: Callable[[], Any]) -> None:
    """Run `go` on the UI thread once `what` may write into `path`; else show the refusal.

    The session's read-only flag is answered at once, and so is an OSS destination (no mount)
    or a folder the app's `MountGate` knows; an unknown folder is asked in a thread worker and
    `go` runs (or the refusal shows) when the answer comes back on the UI thread.
    """
    gate = getattr(app, "write_gate", None)
    try:
        ensure_writable(bool(getattr(app, "read_only", False)), what)
        if not path or path.startswith("oss://") or gate is None:
            check_writable(app, what, path)
            go()
            return
        known, refusal = gate.cached(path)
    except OssBrowseError as exc:
        app.show_error(exc)
        return
    if known:
        if refusal is not None:
            app.show_error(refusal)
        else:
            go()
        return

    def decided(refusal: OssBrowseError | None) -> None:  # on the UI thread
        if refusal is not None:
            app.show_error(refusal)
        else:
            go()

    def ask() -> None:  # in a thread worker
        refusal = gate.answer(path)
        try:
            app.call_later(decided, refusal)
        except RuntimeError:
            pass  # the app is closing: nothing left to run

    app.run_worker(ask, thread=True, group="write-gate", exit_on_error=False,
                   name=f"write gate: {what}")  # fmt: skip


def writes(what: str, where: Where | None = None) -> Callable[[F], F]:
    """Gate a screen method that writes: refused with a notification instead of running
    (`gate_then`: never a mount lookup on the UI thread)."""

    def decorate(method: F) -> F:
        WRITE_ACTIONS[method.__name__] = what

        @functools.wraps(method)
        def gated(self, *args, **kwargs):
            try:
                path = where(self, *args) if where else None
            except OssBrowseError as exc:
                self.app.show_error(exc)
                return None
            gate_then(self.app, what, path, lambda: method(self, *args, **kwargs))
            return None

        gated.__writes__ = what  # type: ignore[attr-defined]
        return gated  # type: ignore[return-value]

    return decorate
