"""Streamed walks: every file under a source folder, paired with where it goes, yielded as
found. A folder of 100,000 files starts moving with its first file, not after a full scan:
local folders go by `os.scandir` one directory at a time, OSS prefixes one ListObjects page
(1000 keys) at a time."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.transfer.locations import Location, safe_relative_key

# A filter's question, (path below the source, the file's row or the object's record) ->
# selected? (`ops.filters.predicate` gives one; None copies everything.) With a filter, folder
# markers and empty folders are not files and are not copied.
Select = Callable[[str, Entry | ObjectRecord], bool]


@dataclass(frozen=True, slots=True)
class WalkItem:
    """One file to move. `size` is known from the listing; `error` marks a name that cannot be
    moved (an unsafe key for a local path), reported as a failure rather than moved; `skipped`
    says why an entry that is not a file to copy (a FIFO, a socket, a link that would loop) is
    passed over, so the summary can name it instead of dropping it silently."""

    src: Location
    dst: Location
    size: int
    is_folder_marker: bool = False
    error: str | None = None
    skipped: str | None = None


class FileEntry(Protocol):
    """What `not_a_file` reads of an entry: an `os.DirEntry`, or a stand-in for a path."""

    @property
    def path(self) -> str: ...

    def is_symlink(self) -> bool: ...

    def is_dir(self) -> bool: ...

    def stat(self) -> os.stat_result: ...


def not_a_file(entry: FileEntry) -> str | None:
    """Why `entry` is not copied, or None for a regular file (or a link to one)."""
    try:
        if entry.is_symlink():
            if not os.path.exists(entry.path):
                return "a symbolic link to nothing"
            if entry.is_dir():
                return "a symbolic link to a folder, not followed (it could loop)"
        mode = entry.stat().st_mode
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def walk_local(src: Location, dst: Location, select: Select | None = None) -> Iterator[WalkItem]:
    """Depth-first, one directory listing held at a time per level; symlinked folders are not
    followed (they could loop), symlinked files are copied as the files they point to."""
    stack = [(src.path, "")]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield WalkItem(Location(None, folder), dst, 0, error=f"cannot list: {exc.strerror}")
            continue
        subfolders = []
        empty = True
        for entry in entries:
            child_rel = f"{rel}{entry.name}"
            try:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append((entry.path, child_rel + "/"))
                    empty = False
                    continue
                reason = not_a_file(entry)
                if reason is not None:
                    yield WalkItem(Location(None, entry.path), dst, 0, skipped=reason)
                    continue
                facts = entry.stat()
                size = facts.st_size
            except OSError as exc:
                reason = f"cannot be read: {exc.strerror}"
                yield WalkItem(Location(None, entry.path), dst, 0, skipped=reason)
                continue
            empty = False
            if select is not None:
                row = Entry(child_rel, entry.path, EntryKind.FILE, size, facts.st_mtime)
                if not select(child_rel, row):
                    continue
            yield WalkItem(Location(None, entry.path), dst.child(child_rel), size)
        if empty and rel and select is None:
            # An empty folder travels as a folder marker (OSS `dir/`), so it is not lost.
            yield WalkItem(Location(None, folder), dst.child(rel), 0, is_folder_marker=True)
        stack.extend(reversed(subfolders))


def walk_oss(
    bucket: Any, src: Location, dst: Location, select: Select | None = None
) -> Iterator[WalkItem]:
    """Every key under the prefix, page by page."""
    from ossbrowse.fs.listing_xml import iter_pages
    from ossbrowse.transfer.confine import Confinement

    prefix = src.path
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    # Checked as each file is reached (the walk is streamed): just before it is written.
    confined = None if dst.is_oss else Confinement(dst.path)
    for obj in (o for page in iter_pages(bucket, prefix=prefix) for o in page.object_list):
        relative = obj.key[len(prefix) :]
        if not relative:
            continue  # the folder's own marker
        if select is not None and not select(relative, obj):
            continue
        marker = relative.endswith("/")
        check = relative[:-1] if marker else relative
        where = Location(src.bucket, obj.key)
        if not dst.is_oss and safe_relative_key(check) is None:
            yield WalkItem(where, dst, obj.size, marker, error="the key is not a safe local path")
            continue
        target = dst.child(relative)
        refused = confined.refusal(target.path) if confined is not None else None
        if refused is not None:
            yield WalkItem(where, target, obj.size, marker, error=refused)
            continue
        yield WalkItem(where, target, obj.size, is_folder_marker=marker)
