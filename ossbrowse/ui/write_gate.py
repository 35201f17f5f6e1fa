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
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from ossbrowse.errors import OssBrowseError
from ossbrowse.ops.guard import ensure_writable

if TYPE_CHECKING:
    from ossbrowse.ui.services import Services

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


class GateOwner(Protocol):
    """What the gate needs of the node that asks it: the session's services, and a way to run
    a thread worker and to call back on the UI thread (an App or a Screen has both)."""

    services: Services

    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool: ...

    def run_worker(self, work: Any, name: str | None = ..., group: str = ...,
                   description: str = ..., exit_on_error: bool = ..., start: bool = ...,
                   exclusive: bool = ..., thread: bool = ...) -> Any: ...  # fmt: skip


class Gated(Protocol):
    """An object with gated write actions: it names the node the gate works through."""

    @property
    def gate_owner(self) -> GateOwner: ...


def check_writable(owner: GateOwner, what: str, path: str | None = None) -> None:
    """Raise ReadOnlyError if `what` may not run now (session read-only, or a read-only mount).

    Blocking on a cache miss: for a destination typed in a dialog, just confirmed. The gate
    itself (`writes`) never blocks the UI thread.
    """
    services = owner.services
    ensure_writable(services.read_only, what)
    if path and not path.startswith("oss://"):
        gate = services.write_gate
        known, refusal = gate.cached(path)
        if not known:
            refusal = gate.answer(path)
        if refusal is not None:
            raise refusal


def gate_then(owner: GateOwner, what: str, path: str | None, go: Callable[[], object]) -> None:
    """Run `go` on the UI thread once `what` may write into `path`; else show the refusal.

    The session's read-only flag is answered at once, and so is an OSS destination (no mount)
    or a folder the `MountGate` knows; an unknown folder is asked in a thread worker and `go`
    runs (or the refusal shows) when the answer comes back on the UI thread.
    """
    services = owner.services
    gate = services.write_gate
    try:
        ensure_writable(services.read_only, what)
        if not path or path.startswith("oss://"):
            go()
            return
        known, refusal = gate.cached(path)
    except OssBrowseError as exc:
        services.show_error(exc)
        return
    if known:
        if refusal is not None:
            services.show_error(refusal)
        else:
            go()
        return
    folder = path

    def decided(refusal: OssBrowseError | None) -> None:  # on the UI thread
        if refusal is not None:
            services.show_error(refusal)
        else:
            go()

    def ask() -> None:  # in a thread worker
        refusal = gate.answer(folder)
        try:
            owner.call_later(decided, refusal)
        except RuntimeError:
            pass  # the app is closing: nothing left to run

    owner.run_worker(ask, thread=True, group="write-gate", exit_on_error=False,
                     name=f"write gate: {what}")  # fmt: skip


def writes(what: str, where: Where | None = None) -> Callable[[F], F]:
    """Gate a method that writes: refused with a notification instead of running (`gate_then`:
    never a mount lookup on the UI thread). Its object names its `gate_owner` (`Gated`)."""

    def decorate(method: F) -> F:
        WRITE_ACTIONS[method.__name__] = what

        @functools.wraps(method)
        def gated(self: Gated, *args: Any, **kwargs: Any) -> None:
            owner = self.gate_owner
            try:
                path = where(self, *args) if where else None
            except OssBrowseError as exc:
                owner.services.show_error(exc)
                return
            gate_then(owner, what, path, lambda: method(self, *args, **kwargs))

        gated.__dict__["__writes__"] = what
        return cast(F, gated)

    return decorate
