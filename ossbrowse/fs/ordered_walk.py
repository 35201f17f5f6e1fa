"""Walk a local folder in the exact order OSS lists keys, with bounded memory.

Shared by the mount compare (`mount.compare`) and sync (`ops.sync_plan`): both merge-join this
walk with a listing (`fs.merge_join`).

ListObjectsV2 without a delimiter returns keys in byte order of their UTF-8. To merge-join the
two sides, each local directory's names are sorted as bytes, a directory compared as `name/`:
so `a-c` (0x2d) comes before `a/b` (0x2f) before `a0`, as in the bucket, and every key under
`a/` follows `a/` at once. Memory: the sorted names of each directory on the current path
(the directory stack), never the whole tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LocalItem:
    """One file or folder of a local tree, named as its key relative to the compared root."""

    key: str  # `/`-joined, folders end in `/`
    raw: bytes  # the key as bytes: what the merge compares
    is_dir: bool
    size: int
    mtime: float
    path: str
    error: str | None = None  # a folder we could not read (its children were not walked)
    # Not a folder and not a regular file: a symbolic link, a FIFO, a socket, a device (from
    # the directory entry's type: no extra system call).
    special: bool = False


def _children(path: str) -> list[tuple[bytes, os.DirEntry[str], bool]]:
    rows = []
    with os.scandir(path) as it:
        for entry in it:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            raw = os.fsencode(entry.name) + (b"/" if is_dir else b"")
            rows.append((raw, entry, is_dir))
    rows.sort(key=lambda row: row[0])
    return rows


def walk_local(root: str) -> Iterator[LocalItem]:
    """Every file and folder under `root` (not `root` itself), in OSS key order.

    Symbolic links are not followed (a link to `..` would loop): they are reported as files,
    the way ossfs stores them (an object holding the target).
    """
    stack: list[tuple[bytes, str, Iterator[tuple[bytes, os.DirEntry[str], bool]]]] = [
        (b"", "", iter(_children(root)))
    ]
    while stack:
        raw_prefix, key_prefix, rows = stack[-1]
        row = next(rows, None)
        if row is None:
            stack.pop()
            continue
        raw_name, entry, is_dir = row
        name = entry.name + ("/" if is_dir else "")
        key = key_prefix + name
        raw = raw_prefix + raw_name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield LocalItem(key, raw, is_dir, 0, 0.0, entry.path, exc.strerror or str(exc))
            continue
        if not is_dir:
            special = not entry.is_file(follow_symlinks=False)
            yield LocalItem(key, raw, False, st.st_size, st.st_mtime, entry.path, None, special)
            continue
        try:
            children = _children(entry.path)
        except OSError as exc:
            yield LocalItem(key, raw, True, 0, st.st_mtime, entry.path, exc.strerror or str(exc))
            continue
        yield LocalItem(key, raw, True, 0, st.st_mtime, entry.path)
        stack.append((raw, key, iter(children)))
