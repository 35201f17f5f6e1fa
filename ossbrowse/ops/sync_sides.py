"""The two trees a sync or a folder compare reads: a local folder or an OSS prefix, streamed in
OSS key order (`fs.ordered_walk`, ListObjectsV2 pages), one item at a time.

A tree is named by what a person typed: `oss://bucket/prefix` is always a folder (ossutil adds
the `/`, and without it `oss://b/dst` would also list `dst2/...`), a local path is a folder.
The OSS side counts its requests by kind: "nothing to do" must cost list requests only.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ossbrowse.errors import UsageError
from ossbrowse.fs import listing_xml
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.ordered_walk import LocalItem, walk_local
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.classes import LIST_PAGE
from ossbrowse.ops.failures import oss_error
from ossbrowse.tasks.control import Control, check
from ossbrowse.transfer.walk import not_a_file


@dataclass(frozen=True, slots=True)
class TreeItem:
    """One file or folder of a tree, keyed relative to the tree's top (`/`-joined; a folder or
    a folder marker ends in `/`). Has what a filter reads (size, mtime, storage_class)."""

    key: str
    raw: bytes  # the key as bytes: what the merge compares
    size: int
    mtime: float  # a local file's modification time; an object's Last-Modified
    is_dir: bool = False
    record: ObjectRecord | None = None  # the listing's record of an object
    error: str | None = None  # a local file or folder that could not be read
    empty: bool = False  # a folder (or marker) with nothing under it: `mark_empty_folders`

    @property
    def storage_class(self) -> str | None:
        return self.record.storage_class if self.record is not None else None


def mark_empty_folders(items: Iterator[TreeItem]) -> Iterator[TreeItem]:
    """The same items, a folder with nothing under it marked `empty` (one item of look-ahead:
    in key order, whatever is under `dir/` comes right after it)."""
    current = next(items, None)
    while current is not None:
        following = next(items, None)
        inside = following is not None and following.key.startswith(current.key)
        if current.is_dir and current.error is None and not inside:
            current = dataclasses.replace(current, empty=True)
        yield current
        current = following


class Tree:
    """A tree to compare: `items()` in key order; `url` as a person reads it."""

    is_oss = False
    url = ""
    list_requests = 0
    head_requests = 0

    def items(self, cancel: Control | None = None) -> Iterator[TreeItem]:
        raise NotImplementedError

    def path_of(self, key: str) -> str:
        """The local path or the full key of an item of this tree."""
        raise NotImplementedError


class LocalTree(Tree):
    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(os.path.expanduser(root))
        self.url = self.root

    def items(self, cancel: Control | None = None) -> Iterator[TreeItem]:
        if not os.path.isdir(self.root):
            return  # a destination that does not exist yet holds nothing
        for n, item in enumerate(walk_local(self.root)):
            if n % LIST_PAGE == 0:
                check(cancel)
            if item.special:
                yield _special(item)
                continue
            yield TreeItem(item.key, item.raw, item.size, item.mtime, item.is_dir, None, item.error)

    def path_of(self, key: str) -> str:
        return os.path.join(self.root, *key.rstrip("/").split("/"))


class _PathEntry:
    """A path as `transfer.walk.not_a_file` reads an entry (following links, as it does)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def is_symlink(self) -> bool:
        return os.path.islink(self.path)

    def is_dir(self) -> bool:
        return os.path.isdir(self.path)

    def stat(self) -> os.stat_result:
        return os.stat(self.path)


def _special(item: LocalItem) -> TreeItem:
    """A link to a file is the file it points to, as `cp -r` copies it; a link to a folder, a
    FIFO, a socket or a device is not a file to copy (an upload would read a FIFO forever)."""
    why = not_a_file(_PathEntry(item.path))
    if why is None:
        try:
            st = os.stat(item.path)
        except OSError as exc:
            why = f"cannot be read: {exc.strerror}"
        else:
            return TreeItem(item.key, item.raw, st.st_size, st.st_mtime)
    return TreeItem(item.key, item.raw, item.size, item.mtime, error=why)


class OssTree(Tree):
    is_oss = True

    def __init__(self, bucket: Any, prefix: str) -> None:
        self.bucket = bucket
        self.bucket_name: str = bucket.bucket_name
        self.prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        self.url = f"oss://{self.bucket_name}/{self.prefix}"
        self.list_requests = 0
        self.head_requests = 0

    def _pages(self, cancel: Control | None) -> Iterator[list[ObjectRecord]]:
        pages = listing_xml.iter_pages(self.bucket, prefix=self.prefix, max_keys=LIST_PAGE)
        while True:
            check(cancel)
            try:
                page = next(pages, None)
            except Exception as exc:
                raise oss_error(exc, action="oss:ListObjects", bucket=self.bucket_name) from exc
            if page is None:
                return
            self.list_requests += 1
            yield page.object_list

    def items(self, cancel: Control | None = None) -> Iterator[TreeItem]:
        cut = len(self.prefix)
        # The next page is fetched while this one is compared: the listing's latency hides
        # behind the merge, with at most two pages in memory.
        for page in listing_xml.prefetch(self._pages(cancel)):
            for record in page:
                key = record.key[cut:]
                if not key:
                    continue  # the `prefix/` marker of the tree's own top
                raw = key.encode("utf-8", "surrogatepass")
                when = float(record.last_modified or 0)
                yield TreeItem(key, raw, record.size, when, key.endswith("/"), record)

    def head(self, key: str) -> ObjectRecord:
        full = self.prefix + key
        try:
            found = objects.head(self.bucket, full)
        except Exception as exc:
            raise oss_error(
                exc, action="oss:HeadObject", bucket=self.bucket_name, key=full
            ) from exc
        self.head_requests += 1
        return found

    def path_of(self, key: str) -> str:
        return self.prefix + key


def overlap(src: Tree, dst: Tree) -> str | None:
    """Why syncing `src` into `dst` would read what it writes (one inside the other), or None."""
    if isinstance(src, OssTree) and isinstance(dst, OssTree):
        if src.bucket_name != dst.bucket_name:
            return None
        a, b = src.prefix, dst.prefix
        inside = a.startswith(b) or b.startswith(a)
    elif isinstance(src, LocalTree) and isinstance(dst, LocalTree):
        a, b = os.path.realpath(src.root), os.path.realpath(dst.root)
        inside = os.path.commonpath([a, b]) in (a, b)
    else:
        return None
    if not inside:
        return None
    if a == b:
        return "the source and the destination are the same folder"
    return "one of the two folders is inside the other"


def refuse_overlap(src: Tree, dst: Tree) -> None:
    why = overlap(src, dst)
    if why is not None:
        raise UsageError(
            f"Cannot sync {src.url} into {dst.url}: {why}.",
            hint="Name two separate folders.",
        )
