"""The sentence shown for an error: ours as they are, anything else briefly (no traceback)."""

from __future__ import annotations

from ossbrowse.errors import OssBrowseError


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, OssBrowseError):
        return str(exc)
    text = str(exc) or type(exc).__name__
    return f"Unexpected error ({type(exc).__name__}): {text}"
