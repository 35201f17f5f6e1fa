"""Streamed walks: every file under a source folder, paired with where it goes, yielded as
found. A folder of 100,000 files starts moving with its first file, not after a full scan:
local folders go by `os.scandir` one directory at a time, OSS prefixes one ListObjects page
(1000 keys) at a time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from ossbrowse.transfer.locations import Location, safe_relative_key


@dataclass(frozen=True, slots=True)
class WalkItem:
    """One file to move. `size` is known from the listing; `error` marks a name that cannot be
    moved (an unsafe key for a local path), reported as a failure rather than moved."""

    src: Location
    dst: Location
    size: int
    is_folder_marker: bool = False
    error: str | None = None


def walk_local(src: Location, dst: Location) -> Iterator[WalkItem]:
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
                if not entry.is_file():
                    continue  # sockets, fifos, devices, dangling links: not files to copy
                size = entry.stat().st_size
            except OSError:
                continue
            empty = False
            yield WalkItem(Location(None, entry.path), dst.child(child_rel), size)
        if empty and rel:
            # An empty folder travels as a folder marker (OSS `dir/`), so it is not lost.
            yield WalkItem(Location(None, folder), dst.child(rel), 0, is_folder_marker=True)
        stack.extend(reversed(subfolders))


def walk_oss(bucket, src: Location, dst: Location) -> Iterator[WalkItem]:
    """Every key under the prefix, page by page."""
    from ossbrowse.fs.listing_xml import iter_pages

    prefix = src.path
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    for obj in (o for page in iter_pages(bucket, prefix=prefix) for o in page.object_list):
        relative = obj.key[len(prefix) :]
        if not relative:
            continue  # the folder's own marker
        marker = relative.endswith("/")
        check = relative[:-1] if marker else relative
        where = Location(src.bucket, obj.key)
        if not dst.is_oss and safe_relative_key(check) is None:
            yield WalkItem(where, dst, obj.size, marker, error="the key is not a safe local path")
            continue
        yield WalkItem(where, dst.child(relative), obj.size, is_folder_marker=marker)
