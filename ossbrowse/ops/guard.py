"""The read-only guard: one place that refuses writes when the session or mount is read-only."""

from __future__ import annotations

from ossbrowse.errors import ReadOnlyError


def ensure_writable(read_only: bool, what: str) -> None:
    """Raise ReadOnlyError naming the refused action when `read_only` is set."""
    if read_only:
        raise ReadOnlyError(
            f"Refused to {what}: ossbrowse is running read-only.",
            hint="Nothing was changed. Start ossbrowse without --read-only to make changes.",
        )
