"""Usage totals per prefix, added object by object as listing pages stream in.

One `Usage` a folder down to the depth asked, never one entry per object: an object is added
to the deepest folder (at most `depth` levels below the root) that holds it, and the folders'
totals are rolled up into their parents only when rows are asked for. Memory is the number
of folders down to that depth, plus the `largest` direct files a usage view shows.

Early deletion: an object of a class with a minimum storage duration (IA, Archive, the cold
classes: `fs.storage_classes`) that is younger than that minimum is charged for the rest if
deleted or overwritten now. It counts as exposed, with its size times the days left (the
byte-days OSS would bill, `days_left`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from ossbrowse.fs.storage_classes import MINIMUM_DAYS, days_left

ROOT = ""


@dataclass(slots=True)
class Usage:
    """What one prefix holds (everything below it, once rolled up)."""

    objects: int = 0
    bytes: int = 0
    # storage class -> [objects, bytes]; a local folder's files have no class
    classes: dict[str, list[int]] = field(default_factory=dict)
    uploads: int = 0  # incomplete multipart uploads
    upload_bytes: int = 0  # the bytes of the parts they hold
    early_objects: int = 0  # inside their class's minimum storage duration
    early_bytes: int = 0
    early_byte_days: int = 0  # sum of size x days left: what deleting them now is billed
    delete_markers: int = 0  # counted only when every version is asked for

    def add(self, other: Usage) -> None:
        self.objects += other.objects
        self.bytes += other.bytes
        for name, (count, size) in other.classes.items():
            mine = self.classes.get(name)
            if mine is None:
                self.classes[name] = [count, size]
            else:
                mine[0] += count
                mine[1] += size
        self.uploads += other.uploads
        self.upload_bytes += other.upload_bytes
        self.early_objects += other.early_objects
        self.early_bytes += other.early_bytes
        self.early_byte_days += other.early_byte_days
        self.delete_markers += other.delete_markers

    def copy(self) -> Usage:
        fresh = Usage()
        fresh.add(self)
        return fresh


@dataclass(frozen=True, slots=True)
class UsageRow:
    """One prefix's totals: `path` relative to the root ("" is the root, folders end in /)."""

    path: str
    depth: int
    usage: Usage


@dataclass(frozen=True, slots=True)
class FileUsage:
    """One object (or file) directly in the root, among the largest there."""

    name: str
    size: int
    storage_class: str


def depth_of(path: str) -> int:
    return path.count("/")


class UsageTally:
    """Totals per folder down to `depth` (None: every level) below a root."""

    def __init__(self, depth: int | None, now: float, *, largest: int = 0) -> None:
        if depth is not None and depth < 0:
            raise ValueError("the depth must be 0 or more")
        self.depth = depth
        self.now = now
        self.largest = largest
        self._own: dict[str, Usage] = {}
        self._files: list[tuple[int, str, str]] = []  # a min-heap of the largest direct files

    def folder_of(self, rel: str) -> str:
        """The folder (at most `depth` levels deep) whose row counts the object `rel`."""
        end = rel.rfind("/")
        if end < 0 or self.depth == 0:
            return ROOT
        if self.depth is None:
            return rel[: end + 1]
        pos = -1
        for _ in range(self.depth):
            nxt = rel.find("/", pos + 1)
            if nxt < 0:
                break
            pos = nxt
        return rel[: pos + 1]

    def _usage(self, folder: str) -> Usage:
        usage = self._own.get(folder)
        if usage is None:
            usage = self._own[folder] = Usage()
        return usage

    def add_objects(
        self, objects: Iterable[tuple[str, int, str | None, float | None]], cut: int = 0
    ) -> None:
        """Add (key, size, storage class or None, last modified) each; `cut` characters of
        each key (the root prefix) are left out of its name."""
        # The hot loop of a million-object du (about a microsecond an object): the keys are
        # not sliced unless a folder row needs it, and the folder of consecutive keys, usually
        # the same (a listing is in key order), has its Usage looked up once per run of keys.
        last_folder: str | None = None
        usage = Usage()
        minimum = MINIMUM_DAYS
        now = self.now
        one_level = self.depth == 1
        for key, size, storage, modified in objects:
            if one_level:
                end = key.find("/", cut)
                folder = ROOT if end < 0 else key[cut : end + 1]
            else:
                folder = self.folder_of(key[cut:])
            if folder != last_folder:
                usage = self._usage(folder)
                last_folder = folder
            usage.objects += 1
            usage.bytes += size
            if storage is not None:
                counts = usage.classes.get(storage)
                if counts is None:
                    usage.classes[storage] = [1, size]
                else:
                    counts[0] += 1
                    counts[1] += size
                if storage in minimum:
                    days = days_left(storage, modified, None, now)
                    if days:
                        usage.early_objects += 1
                        usage.early_bytes += size
                        usage.early_byte_days += size * days
            if self.largest and not folder and len(key) > cut:
                self._keep_file(size, key[cut:], storage or "")

    def _keep_file(self, size: int, name: str, storage: str) -> None:
        item = (size, name, storage)
        if len(self._files) < self.largest:
            heapq.heappush(self._files, item)
        elif item > self._files[0]:
            heapq.heapreplace(self._files, item)

    def add_upload(self, rel: str, size: int) -> None:
        """An incomplete multipart upload of key `rel` whose parts hold `size` bytes."""
        usage = self._usage(self.folder_of(rel))
        usage.uploads += 1
        usage.upload_bytes += size

    def add_delete_marker(self, rel: str) -> None:
        self._usage(self.folder_of(rel)).delete_markers += 1

    def rows(self) -> list[UsageRow]:
        """Every folder's totals, its subfolders' included, in path order; the root first."""
        totals: dict[str, Usage] = {ROOT: Usage()}
        for path, own in self._own.items():
            # the folder itself and each of its ancestors, the root included
            start = 0
            while True:
                cut = path.find("/", start)
                ancestor = ROOT if start == 0 else path[:start]
                total = totals.get(ancestor)
                if total is None:
                    total = totals[ancestor] = Usage()
                total.add(own)
                if cut < 0:
                    break
                start = cut + 1
        return [UsageRow(path, depth_of(path), totals[path]) for path in sorted(totals)]

    def largest_files(self) -> list[FileUsage]:
        """The largest objects directly in the root, biggest first."""
        return [
            FileUsage(name, size, storage)
            for size, name, storage in sorted(self._files, key=lambda f: (-f[0], f[1]))
        ]
