"""The one gate every write action of the UI passes: refused at once when nothing may change.

A write action is decorated with `@writes("what it does", where=...)`. Before it runs, the
gate refuses it with `ops.guard`'s message when the session is read-only (`--read-only`, or a
profile's `read_only`), and with `mount.ensure_writable`'s when the local folder it writes to
is on a read-only OSS mount. Restore, view, inspect and presign are not writes of data and are
not gated. `WRITE_ACTIONS` lists the gated actions so a test can check every one of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from ossbrowse.errors import OssBrowseError
from ossbrowse.ops.guard import ensure_writable

F = TypeVar("F", bound=Callable[..., Any])
Where = Callable[..., "str | None"]  # (self, *args) -> the folder written to, if known now

WRITE_ACTIONS: dict[str, str] = {}  # method name -> what it does


def check_writable(app: Any, what: str, path: str | None = None) -> None:
    """Raise ReadOnlyError if `what` may not run now (session read-only, or a read-only mount)."""
    ensure_writable(bool(getattr(app, "read_only", False)), what)
    if path and not path.startswith("oss://"):
        from ossbrowse.mount import ensure_writable as mount_writable

        mount_writable(path)


def writes(what: str, where: Where | None = None) -> Callable[[F], F]:
    """Gate a screen method that writes: refused with a notification instead of running."""

    def decorate(method: F) -> F:
        WRITE_ACTIONS[method.__name__] = what

        @functools.wraps(method)
        def gated(self, *args, **kwargs):
            try:
                check_writable(self.app, what, where(self, *args) if where else None)
            except OssBrowseError as exc:
                self.app.show_error(exc)
                return None
            return method(self, *args, **kwargs)

        gated.__writes__ = what  # type: ignore[attr-defined]
        return gated  # type: ignore[return-value]

    return decorate
