"""Decide what to do when a destination already exists, and find `name (1).ext` names.

`same` skips a file when it is the same: equal size and equal CRC64 (a local file's CRC64 is
computed: fastcrc reads at several GB/s), or, where one side has no CRC64 (objects written by
old clients), equal whole-second modified times. Anything else is overwritten.

`keep-both` writes the new copy as `name (1).ext`, `name (2).ext`, ... the first that is free,
the way browsers name repeated downloads; `archive.tar.gz` becomes `archive (1).tar.gz`.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator

from ossbrowse.fs.base import Entry
from ossbrowse.transfer.events import ConflictPolicy

_COMPOUND = (".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tar.lz4")


def split_name(name: str) -> tuple[str, str]:
    """(stem, extension) for numbering: `a.txt` -> (`a`, `.txt`); `.bashrc` -> (`.bashrc`, ``)."""
    lower = name.lower()
    for ext in _COMPOUND:
        if lower.endswith(ext) and len(name) > len(ext):
            return name[: -len(ext)], name[-len(ext) :]
    stem, ext = posixpath.splitext(name)
    return (stem, ext) if stem else (name, "")


def numbered_names(name: str) -> Iterator[str]:
    """`name (1).ext`, `name (2).ext`, ... without end."""
    stem, ext = split_name(name)
    n = 1
    while True:
        yield f"{stem} ({n}){ext}"
        n += 1


def free_name(path: str, exists: Callable[[str], bool], sep: str = "/") -> str:
    """The first `name (n).ext` beside `path` for which `exists` is False."""
    folder, _, name = path.rpartition(sep)
    for candidate in numbered_names(name):
        full = f"{folder}{sep}{candidate}" if folder or path.startswith(sep) else candidate
        if not exists(full):
            return full
    raise AssertionError("unreachable")


def file_crc64(path: str) -> int:
    from ossbrowse.crc64 import crc64  # fastcrc loads only when a CRC is needed (start-up)

    crc = 0
    with open(path, "rb", buffering=0) as f:
        while block := f.read(8 * 1024 * 1024):
            crc = crc64(block, crc)
    return crc


def same_content(src: Entry, dst: Entry, crc_of: Callable[[Entry], int | None]) -> bool:
    """Size, then CRC64 where both sides can give one, else whole-second mtimes."""
    if src.size != dst.size:
        return False
    a, b = crc_of(src), crc_of(dst)
    if a is not None and b is not None:
        return a == b
    if src.mtime is None or dst.mtime is None:
        return False
    return int(src.mtime) == int(dst.mtime)


def local_entry(path: str) -> Entry | None:
    from ossbrowse.fs.base import EntryKind

    try:
        st = os.stat(path)
    except OSError:
        return None
    kind = EntryKind.FOLDER if os.path.isdir(path) else EntryKind.FILE
    return Entry(os.path.basename(path), path, kind, st.st_size, st.st_mtime)


def resolve(
    policy: ConflictPolicy,
    src: Entry,
    dst: Entry,
    ask: Callable[[Entry, Entry], ConflictPolicy] | None,
) -> ConflictPolicy:
    """The concrete policy for this pair: ASK becomes the answer of `ask` (OVERWRITE is never
    assumed silently: without someone to ask, ASK means SKIP)."""
    if policy is ConflictPolicy.ASK:
        answer = ask(src, dst) if ask is not None else ConflictPolicy.SKIP
        return ConflictPolicy.SKIP if answer is ConflictPolicy.ASK else answer
    return policy
