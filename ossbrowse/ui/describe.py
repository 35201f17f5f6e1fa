"""The sentence shown for an error: ours as they are, anything else briefly (no traceback)."""

from __future__ import annotations

from typing import Any

from textual.app import App

from ossbrowse.errors import OssBrowseError


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, OssBrowseError):
        return str(exc)
    text = str(exc) or type(exc).__name__
    return f"Unexpected error ({type(exc).__name__}): {text}"


def show_error(app: App[Any], exc: BaseException) -> None:
    """The one way an error reaches the user: a short notification with its own message."""
    app.notify(describe_error(exc), title="Error", severity="error", markup=False, timeout=8)
