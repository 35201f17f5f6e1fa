"""Compare two trees and plan a sync: what to copy (missing or different), what is extra.

One pass of a merge join (`fs.merge_join`) over the two streamed trees (`ops.sync_sides`);
"different" is decided from the listings, without a request per object:

- `size`: sizes only (`--size-only`).
- `time` (the default): sizes, then times. A copy is written after its source changed, so an
  object at the destination holds its source when it was written after the source's last
  change (`fs.mtime_window.written_after`, with the mount compare's clock slop): local files
  uploaded long after they were written stay "same" without a HEAD. A local destination is
  stamped by the copy: with the source file's time (local to local) or with the object's
  x-oss-meta-mtime, else its Last-Modified (downloads); the listing does not carry the
  metadata, so a downloaded file is "same" when its time is within the mount compare's upload
  window of the object's Last-Modified, and only outside it is the object HEADed to read
  x-oss-meta-mtime.
- `checksum`: sizes, then CRC-64: OSS's x-oss-hash-crc64ecma (a HEAD: listings do not carry
  it) against the local file's, read whole.

A same-size rewrite at the destination after the copy, with an older time, is invisible to
`time` (as to ossutil's and rsync's time rules): `checksum` sees it.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ossbrowse.fs.merge_join import MergeJoin
from ossbrowse.fs.mtime_window import same_time, within_upload_window, written_after
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.pricing import blocked_reason
from ossbrowse.ops.sync_sides import LocalTree, OssTree, Tree, TreeItem, mark_empty_folders
from ossbrowse.tasks import Control
from ossbrowse.transfer.conflict import file_crc64
from ossbrowse.transfer.locations import safe_relative_key
from ossbrowse.transfer.plan import format_size

MODES = ("time", "size", "checksum")


class Change(enum.Enum):
    """What the compare found for one key; the label is what a person reads."""

    SAME = "same"
    ONLY_SRC = "only in source"
    ONLY_DST = "only in destination"
    SIZE = "size differs"
    NEWER_SRC = "source newer"
    NEWER_DST = "destination newer"
    CONTENT = "content differs"
    BLOCKED = "cannot copy"

    @property
    def copies(self) -> bool:
        """Whether a sync copies this key from the source."""
        return self in (Change.ONLY_SRC, Change.SIZE, Change.NEWER_SRC, Change.NEWER_DST,
                        Change.CONTENT)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Difference:
    """One key of the compare: what each side holds, the change, a one-line reason (raw names:
    escape them with `text.safe_text` before printing)."""

    key: str
    change: Change
    reason: str
    src: TreeItem | None = None
    dst: TreeItem | None = None


@dataclass
class CompareStats:
    same: int = 0
    folders: int = 0  # folders and folder markers the same, or implied by their files
    filtered: int = 0  # left out by the filter
    list_requests: int = 0
    head_requests: int = 0
    crc_bytes: int = 0
    source_items: int = 0  # the files the source holds (filtered or not); folders not counted


# A filter's question: (relative key, item) -> selected? `ops.filters.predicate` gives one.
Select = Callable[[str, TreeItem], bool]


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def _raw(item: TreeItem) -> bytes:
    return item.raw


class TreeCompare:
    """Walk `src` and `dst` together; iterate `differences()` (every key that is not the
    same), then read `stats`. Memory: one item of each side and a listing page."""

    def __init__(
        self,
        src: Tree,
        dst: Tree,
        *,
        mode: str = "time",
        select: Select | None = None,
        cancel: Control | None = None,
        crc_of: Callable[[str], int] = file_crc64,
        names: tuple[str, str] = ("source", "destination"),
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown compare mode {mode!r}")
        self.src, self.dst = src, dst
        self.mode = mode
        self.select = select
        self.cancel = cancel
        self.crc_of = crc_of
        self.names = names
        self.stats = CompareStats()
        # The walk in progress: `_folder` reads what each side holds next.
        self._join: MergeJoin[TreeItem, TreeItem] = MergeJoin((), (), _raw, _raw)

    def differences(self) -> Iterator[Difference]:
        pairs = MergeJoin(
            mark_empty_folders(self.src.items(self.cancel)),
            mark_empty_folders(self.dst.items(self.cancel)),
            lambda item: item.raw,
            lambda item: item.raw,
        )
        self._join = pairs
        for src, dst in pairs:
            if src is not None and not src.is_dir:
                self.stats.source_items += 1
            found = self._pair(src, dst)
            if found is not None:
                yield found
        self.stats.list_requests = self.src.list_requests + self.dst.list_requests
        self.stats.head_requests = self.src.head_requests + self.dst.head_requests

    def _selected(self, item: TreeItem) -> bool:
        return self.select is None or self.select(item.key, item)

    def _pair(self, src: TreeItem | None, dst: TreeItem | None) -> Difference | None:
        either = src if src is not None else dst
        assert either is not None  # the merge never pairs two Nones
        if either.is_dir or (src is not None and dst is not None and dst.is_dir):
            return self._folder(src, dst)
        # The source decides what the filter selects when it has the key: a destination copy
        # the filter would not select is never taken for an extra and deleted.
        if not self._selected(src if src is not None else either):
            self.stats.filtered += 1
            return None
        src_name, dst_name = self.names
        if src is None:
            assert dst is not None
            return Difference(dst.key, Change.ONLY_DST, f"only in the {dst_name}", dst=dst)
        blocked = self._blocked(src)
        if blocked is not None:
            return Difference(src.key, Change.BLOCKED, blocked, src=src, dst=dst)
        if dst is None:
            return Difference(src.key, Change.ONLY_SRC, f"only in the {src_name}", src=src)
        found = self._judge(src, dst)
        if found is None:
            self.stats.same += 1
        return found

    def _folder(self, src: TreeItem | None, dst: TreeItem | None) -> Difference | None:
        """A folder (local) or folder marker (OSS `dir/`). A folder with files under it is
        implied by them; an empty one is synced as `cp -r` copies it (an empty local folder
        travels as a marker, a marker comes down as a folder), and a folder only in the
        destination is an extra. With a filter, folders are left alone (as `cp -r` does): an
        unselected file may be all that makes one non-empty."""
        src_name, dst_name = self.names
        join = self._join
        if self.select is not None or (src is not None and dst is not None):
            self.stats.folders += 1
            return None
        if src is not None:
            implied = join.pending_right  # the destination's next key: inside this folder?
            if src.empty and not (implied is not None and implied.key.startswith(src.key)):
                reason = f"an empty folder only in the {src_name}"
                return Difference(src.key, Change.ONLY_SRC, reason, src=src)
        elif dst is not None:
            implied = join.pending_left
            if dst.error is None and not (implied is not None and implied.key.startswith(dst.key)):
                reason = f"a folder only in the {dst_name}"
                return Difference(dst.key, Change.ONLY_DST, reason, dst=dst)
        self.stats.folders += 1
        return None

    def _blocked(self, src: TreeItem) -> str | None:
        if src.error is not None:
            return f"not copied: {src.error}"
        if src.record is not None and (why := blocked_reason(src.record)) is not None:
            return why
        if not self.dst.is_oss and safe_relative_key(src.key) is None:
            return "its key is not a safe local path (an empty, `.` or `..` segment)"
        return None

    def _judge(self, src: TreeItem, dst: TreeItem) -> Difference | None:
        src_name, dst_name = self.names
        if src.size != dst.size:
            sizes = f"{src_name} {format_size(src.size)}, {dst_name} {format_size(dst.size)}"
            return Difference(src.key, Change.SIZE, f"size differs ({sizes})", src, dst)
        if self.mode == "size":
            return None
        if self.mode == "checksum":
            return self._crc(src, dst)
        return self._time(src, dst)

    def _crc(self, src: TreeItem, dst: TreeItem) -> Difference | None:
        a, b = self._crc_of(self.src, src), self._crc_of(self.dst, dst)
        if a is None or b is None or a == b:
            return None  # an object without a CRC-64 (very old) is judged by its size
        return Difference(src.key, Change.CONTENT, "same size, different content (CRC-64 "
                          "differs)", src, dst)  # fmt: skip

    def _crc_of(self, tree: Tree, item: TreeItem) -> int | None:
        if isinstance(tree, OssTree):
            return tree.head(item.key).crc64
        self.stats.crc_bytes += item.size
        return self.crc_of(tree.path_of(item.key))

    def _time(self, src: TreeItem, dst: TreeItem) -> Difference | None:
        # `reference`: the time a fresh copy of `src` would show at the destination.
        if isinstance(self.dst, OssTree):
            agree, reference = written_after(dst.mtime, src.mtime), src.mtime
        elif isinstance(self.src, LocalTree):
            agree, reference = same_time(dst.mtime, src.mtime), src.mtime
        else:
            agree, reference = self._downloaded(src, dst)
        if agree:
            return None
        src_name, dst_name = self.names
        times = f"{src_name} {_when(src.mtime)}, {dst_name} {_when(dst.mtime)}"
        if dst.mtime > reference:
            reason = f"same size, the {dst_name} copy was changed after it was written ({times})"
            return Difference(src.key, Change.NEWER_DST, reason, src, dst)
        reason = f"same size, the {src_name} changed after the {dst_name} copy ({times})"
        return Difference(src.key, Change.NEWER_SRC, reason, src, dst)

    def _downloaded(self, src: TreeItem, dst: TreeItem) -> tuple[bool, float]:
        """(agree, the time a download of `src` stamps): a local copy of an object."""
        if within_upload_window(dst.mtime, src.mtime):
            return True, dst.mtime
        assert isinstance(self.src, OssTree)
        head: ObjectRecord = self.src.head(src.key)
        stamp = head.mtime if head.mtime is not None else src.mtime
        return same_time(dst.mtime, stamp), stamp


@dataclass
class SyncPlan:
    """What a sync will do: copies (missing or different), extras (deleted only with
    `delete`), and what it cannot copy. Data only; `ops.sync.run_sync` carries it out."""

    src: Tree
    dst: Tree
    mode: str
    delete: bool
    copies: list[Difference] = field(default_factory=list)
    extras: list[Difference] = field(default_factory=list)
    blocked: list[Difference] = field(default_factory=list)
    stats: CompareStats = field(default_factory=CompareStats)
    # The filter options the plan was made with, as a command line gives them: part of what
    # makes a sync "the same" for its journal, and what a resume from `transfers` repeats.
    filters: tuple[str, ...] = ()

    @property
    def deletes(self) -> list[Difference]:
        return self.extras if self.delete else []

    @property
    def copy_bytes(self) -> int:
        return sum(d.src.size for d in self.copies if d.src is not None)

    @property
    def nothing_to_do(self) -> bool:
        return not self.copies and not self.deletes


def plan_sync(
    src: Tree,
    dst: Tree,
    *,
    mode: str = "time",
    delete: bool = False,
    select: Select | None = None,
    cancel: Control | None = None,
    on_item: Callable[[Difference], None] | None = None,
) -> SyncPlan:
    """Compare `src` with `dst` and gather the plan. Nothing is changed."""
    compare = TreeCompare(src, dst, mode=mode, select=select, cancel=cancel)
    plan = SyncPlan(src, dst, mode, delete, stats=compare.stats)
    for difference in compare.differences():
        if difference.change is Change.ONLY_DST:
            plan.extras.append(difference)
        elif difference.change is Change.BLOCKED:
            plan.blocked.append(difference)
        else:
            plan.copies.append(difference)
        if on_item is not None:
            on_item(difference)
    return plan
