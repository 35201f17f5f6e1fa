"""When a file's modification time and an object's LastModified tell "the same copy".

Shared by the mount compare and sync, so both judge times alike: ossfs and ossbrowse store the
file's time in whole seconds (x-oss-meta-mtime) and an instance's clock and OSS's differ a
little (`CLOCK_SLOP`); ossfs uploads a file when it is closed, so a mounted file's last change
precedes its object by up to `UPLOAD_WINDOW`.
"""

from __future__ import annotations

CLOCK_SLOP = 2.0  # seconds: ossfs stores whole seconds; instance and OSS clocks differ a little
UPLOAD_WINDOW = 60.0  # seconds a file's last change may precede its upload on close


def written_after(written: float, changed: float) -> bool:
    """Whether a copy written at `written` can hold a source last changed at `changed`."""
    return written + CLOCK_SLOP >= changed


def same_time(a: float, b: float) -> bool:
    """Two stamps of one moment, as copies carry it (whole seconds, clocks a little apart)."""
    return abs(a - b) <= CLOCK_SLOP


def within_upload_window(file_mtime: float, last_modified: float) -> bool:
    """A file's time consistent with an upload on close: not after the object (+ slop), and
    not more than `UPLOAD_WINDOW` before it."""
    return written_after(last_modified, file_mtime) and (
        last_modified - file_mtime <= UPLOAD_WINDOW
    )
