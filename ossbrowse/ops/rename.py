"""Move objects and prefixes safely: plan, journal, verified parallel copies, batched deletes.

OSS has no rename: a move is a copy of every object and a delete of every source. A move
with a local end (upload, download, local to local) runs the same mover and journal, with the
copies, checks and deletes of `ops.move_ends`. The order
of each object's steps is what keeps data safe: copy, verify the copy (ETag or CRC64 equal
to the source's), record the verification in the journal (fsynced), check the source's ETag
once more (it must still be the one the copy was made from), and only then delete the source,
in DeleteMultipleObjects batches soon after the verification (at most a second or 1,000 keys
later). A source overwritten during the move is kept, and reported. At every moment each
object exists under at least one of its two names; a killed move is finished by running it
again.
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from ossbrowse.errors import NoSuchKey, NotFoundError, OssBrowseError, UsageError
from ossbrowse.fs.delete_batch import delete_keys
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.classes import DELETE_BATCH
from ossbrowse.ops.copying import CopyResult, copy_one, verified_source_etag, with_retries
from ossbrowse.ops.failures import oss_error
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.journal import MoveJournal, PlannedMove
from ossbrowse.ops.listing import (
    Enumeration,
    ProgressCallback,
    enumerate_prefix,
)
from ossbrowse.ops.pricing import Price, price_move
from ossbrowse.ops.recheck import current_etags
from ossbrowse.tasks import Cancelled, Control
from ossbrowse.tasks.control import INTERRUPTS
from ossbrowse.text import safe_text

if TYPE_CHECKING:
    from ossbrowse.ops.move_ends import LocalEnds

# Verified copies wait at most this long (or until 1,000 are waiting) for their sources'
# re-check and delete: the source of a verified copy is deleted soon, not at the move's end.
SETTLE_AFTER = 1.0
CHANGED = "changed during the move, kept under both names"


@dataclass
class MovePlan:
    """What a move will do and what it costs; `run_move` carries it out."""

    src_bucket: object  # the gateway's BucketHandle (OssClient.bucket)
    dst_bucket: object
    src: str  # the key or prefix as given, normalised
    dst: str
    is_prefix: bool
    pairs: list[tuple[ObjectRecord, str]]
    price: Price

    @property
    def movable(self) -> list[tuple[ObjectRecord, str]]:
        blocked = {b.key for b in self.price.blocked}
        return [(o, k) for o, k in self.pairs if o.key not in blocked]


@dataclass(frozen=True, slots=True)
class MoveProgress:
    total: int
    verified: int
    deleted: int
    failed: int
    bytes_copied: int
    bytes_total: int


@dataclass
class MoveReport:
    total: int = 0
    moved: int = 0
    resumed: bool = False
    already_done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key, reason)
    blocked: list[tuple[str, str]] = field(default_factory=list)
    # Sources overwritten after their copy was made: both names kept (the new name holds the
    # earlier content, the old name the newer).
    changed: list[str] = field(default_factory=list)
    cancelled: bool = False
    journal_id: str | None = None

    @property
    def complete(self) -> bool:
        return not self.failed and not self.cancelled and not self.blocked and not self.changed


MoveProgressCallback = Callable[[MoveProgress], None]


@dataclass(frozen=True)
class MoveHooks:
    """Points of a move's execution where a test or the stress campaign steps in, in order,
    without racing threads: each runs at a fixed step of one object's life."""

    # In the copying thread, once the copy of this item is verified (before the re-check).
    after_verify: Callable[[PlannedMove], None] | None = None
    # In the main thread, right after these items' sources were deleted.
    after_delete: Callable[[list[PlannedMove]], None] | None = None


def _name(bucket) -> str:
    return bucket.bucket_name


def _is_object(bucket, key: str) -> ObjectRecord | None:
    from ossbrowse.ops.listing import head_info

    return head_info(bucket, key)


class _Versionings(TypedDict):
    versioning: str
    dest_versioning: str


def _versionings(src_bucket: object, dst_bucket: object, same_bucket: bool) -> _Versionings:
    """Both buckets' versioning, for the price: old versions stay billed where it is on."""
    from ossbrowse.ops.versions import versioning_for_price

    versioning = versioning_for_price(src_bucket)
    other = versioning if same_bucket else versioning_for_price(dst_bucket)
    return {"versioning": versioning, "dest_versioning": other}


def plan_move(
    src_bucket,
    src: str,
    dst_bucket,
    dst: str,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: Control | None = None,
    now: float | None = None,
    select: Callable[[str, ObjectRecord], bool] | None = None,
) -> MovePlan:
    """Enumerate what moving `src` to `dst` touches, and price it. Nothing is changed.

    `src` ending in `/` (or naming no object but a non-empty prefix) moves a prefix: every
    key under it keeps its path below the new prefix. A single object moves to `dst`, or into
    `dst` when `dst` ends in `/` (or is the bucket's top).
    """
    same_bucket = _name(src_bucket) == _name(dst_bucket)
    single = None
    if src and not src.endswith("/"):
        single = _is_object(src_bucket, src)
        if single is None:
            src = src + "/"
    if single is not None and select is not None:
        raise UsageError(
            f"{safe_text(src)} is one object; filters choose among what a prefix holds.",
            hint="Give the source folder (ending in /) to move what the filters select in it.",
        )
    if single is not None:
        new_key = dst + posixpath.basename(src) if dst == "" or dst.endswith("/") else dst
        if same_bucket and new_key == src:
            raise UsageError("The source and the destination are the same object.")
        existing = {}
        if (old := _is_object(dst_bucket, new_key)) is not None:
            existing[new_key] = old
        price = price_move(
            [(single, new_key)],
            list_requests=0,
            head_requests=2,
            existing=existing,
            now=now,
            **_versionings(src_bucket, dst_bucket, same_bucket),
        )
        return MovePlan(src_bucket, dst_bucket, src, new_key, False, [(single, new_key)], price)

    dst_prefix = dst if dst == "" or dst.endswith("/") else dst + "/"
    if same_bucket and dst_prefix.startswith(src):
        raise UsageError(
            f"Cannot move {safe_text(src)} into itself ({safe_text(dst_prefix)}).",
            hint="Choose a destination outside the source folder.",
        )
    # `select` (a filter, see `ops.filters`) keeps what it selects below the source prefix.
    found: Enumeration = enumerate_prefix(
        src_bucket, src, on_progress=on_progress, cancel=cancel, select=select
    )
    if not found.objects:  # nothing there: exit 1, as stat and ls for a missing key
        raise NotFoundError(
            f"Nothing to move: no object is named {safe_text(src.rstrip('/'))} and none is under "
            f"{safe_text(src)}.",
            hint="Check the URL (ossbrowse ls shows what is there).",
        )
    pairs = [(o, dst_prefix + o.key[len(src) :]) for o in found.objects]
    if same_bucket and src.startswith(dst_prefix):
        # Moving a folder up (a/b/ -> a/): new names may land on keys still waiting to move.
        old_keys = {o.key for o in found.objects}
        clash = next((k for _, k in pairs if k in old_keys), None)
        if clash is not None:
            raise UsageError(
                f"The new names overlap the old ones ({safe_text(clash)} is both).",
                hint="Move to a destination that does not contain the source folder's keys.",
            )
    dest = enumerate_prefix(dst_bucket, dst_prefix, cancel=cancel, inspect=False)
    existing = {o.key: o for o in dest.objects}
    price = price_move(
        pairs,
        list_requests=found.list_requests,
        head_requests=found.head_requests,
        existing=existing,
        dest_list_requests=dest.list_requests,
        now=now,
        **_versionings(src_bucket, dst_bucket, same_bucket),
    )
    return MovePlan(src_bucket, dst_bucket, src, dst_prefix, True, pairs, price)


def start_move(plan: MovePlan, *, directory: Path | None = None) -> MoveJournal:
    """Write the plan's journal: after this, the move can be resumed from disk."""
    items = [PlannedMove(o.key, k, o.etag, o.size, o.storage_class) for o, k in plan.movable]
    return MoveJournal.create(
        _name(plan.src_bucket), plan.src, _name(plan.dst_bucket), plan.dst, items, directory
    )


def run_move(
    plan: MovePlan,
    *,
    threads: int = 16,
    cancel: Control | None = None,
    on_progress: MoveProgressCallback | None = None,
    read_only: bool = False,
    directory: Path | None = None,
    hooks: MoveHooks | None = None,
) -> MoveReport:
    """Carry out a planned move; blocked objects are left where they are and reported."""
    ensure_writable(read_only, "move or rename objects")
    journal = start_move(plan, directory=directory)
    report = resume_move(
        journal,
        plan.src_bucket,
        plan.dst_bucket,
        threads=threads,
        cancel=cancel,
        on_progress=on_progress,
        read_only=read_only,
        infos={o.key: o for o, _ in plan.pairs},
        hooks=hooks,
    )
    report.blocked = [(b.key, b.reason) for b in plan.price.blocked]
    return report


class _Mover:
    """The loop of one run over a journal: copies in a bounded pool; re-checks and deletes in
    batches in the main thread, soon after each copy is verified."""

    def __init__(
        self,
        journal: MoveJournal,
        src_bucket,
        dst_bucket,
        threads: int,
        cancel: Control | None,
        on_progress: MoveProgressCallback | None,
        infos: dict[str, ObjectRecord],
        hooks: MoveHooks | None = None,
        ends: LocalEnds | None = None,
    ) -> None:
        self.journal = journal
        self.ends = ends  # a local end: its copies, checks and deletes (ops.move_ends)
        self.hooks = hooks or MoveHooks()
        self.src_bucket = src_bucket
        self.dst_bucket = dst_bucket
        self.threads = max(1, threads)
        self.cancel = cancel
        self.on_progress = on_progress
        self.infos = infos
        # Verified, waiting for the re-check and delete: index -> the source ETag the copy
        # holds; and when the oldest of them was verified.
        self.pending_delete: dict[int, str] = {}
        self._pending_since: float | None = None
        self.failed: dict[int, str] = {}
        self.changed: list[int] = []
        self.bytes_copied = 0
        self.bytes_total = sum(i.size for i in journal.items)
        self._last_emit = 0.0

    def info(self, index: int) -> ObjectRecord:
        item = self.journal.items[index]
        known = self.infos.get(item.src_key)
        if known is not None:
            return known
        return ObjectRecord(
            item.src_key, item.size, item.etag, 0.0, storage_class=item.storage_class
        )

    def emit(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.on_progress is None or (not force and now - self._last_emit < 0.1):
            return
        self._last_emit = now
        j = self.journal
        self.on_progress(
            MoveProgress(
                len(j.items),
                len(j.verified),
                len(j.deleted),
                len(self.failed),
                self.bytes_copied,
                self.bytes_total,
            )
        )

    # -- one object, in a worker thread ---------------------------------------------------
    def copy_and_verify(self, index: int, recheck: bool) -> str | None:
        """Copy (unless `recheck` finds the copy already good) and verify; returns the source
        ETag the verified copy holds, None when the copy could not be proven equal."""
        etag = self._copy_and_verify(index, recheck)
        if etag is not None and self.hooks.after_verify is not None:
            self.hooks.after_verify(self.journal.items[index])
        return etag

    def _copy_and_verify(self, index: int, recheck: bool) -> str | None:
        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled()
        item = self.journal.items[index]
        if self.ends is not None:
            return self.ends.copy_verified(item, recheck)
        obj = self.info(index)
        if recheck:
            etag = verified_source_etag(
                self.src_bucket, self.dst_bucket, obj, item.dst_key, CopyResult("", None)
            )
            if etag is not None:
                return etag
        try:
            copied = copy_one(
                self.dst_bucket,
                _name(self.src_bucket),
                obj,
                item.dst_key,
                cancel=self.cancel,
                src_bucket=self.src_bucket,
            )
        except OssBrowseError as exc:
            # Gone since the plan: moved by an earlier run whose journal line was lost, or
            # deleted by someone else. Done only if the new name holds it; the source is not
            # there to delete (the re-check finds it gone).
            gone = isinstance(exc, NoSuchKey)
            if gone and item.etag and self._exists(self.dst_bucket, item.dst_key):
                return item.etag  # a source made again since, with other bytes, is kept
            raise
        return verified_source_etag(self.src_bucket, self.dst_bucket, obj, item.dst_key, copied)

    @staticmethod
    def _exists(bucket, key: str) -> bool:
        try:
            with_retries(lambda: objects.head(bucket, key))
            return True
        except NotFoundError:
            return False

    # -- the main thread ---------------------------------------------------------------------
    def due(self) -> bool:
        """Whether the verified copies waiting should be settled now."""
        if not self.pending_delete:
            return False
        if len(self.pending_delete) >= DELETE_BATCH or self._pending_since is None:
            return True
        return time.monotonic() - self._pending_since >= SETTLE_AFTER

    def settle(self) -> None:
        """Re-check and delete the sources of the verified copies waiting, in batches."""
        while self.pending_delete:
            batch = sorted(self.pending_delete)[:DELETE_BATCH]
            expected = {i: self.pending_delete.pop(i) for i in batch}
            self.journal.sync()  # the V lines reach the disk before any source goes
            self._settle_batch(expected)
            self.emit()
        self._pending_since = None

    def _settle_batch(self, expected: dict[int, str]) -> None:
        items = self.journal.items
        keys = {items[i].src_key: i for i in expected}
        try:
            # Right before the delete: a source overwritten since its copy was made must stay.
            if self.ends is not None:
                now = self.ends.current(list(keys))
            else:
                now = current_etags(self.src_bucket, list(keys))
        except Exception as exc:
            where = None if self.src_bucket is None else _name(self.src_bucket)
            error = oss_error(exc, action="oss:ListObjects", bucket=where)
            for i in expected:
                self.failed[i] = (
                    f"copied, but the source could not be checked before its delete, so both "
                    f"names are kept: {error}"
                )
            return
        gone, kept, deletable = [], [], []
        for key, i in keys.items():
            etag = now.get(key)
            if etag is None:
                gone.append(i)  # deleted by someone else: nothing left to delete
            elif etag.upper() != expected[i].strip('"').upper():
                kept.append(i)
            else:
                deletable.append(i)
        if kept:
            self.changed.extend(kept)
            self.journal.mark_kept(kept)
        doomed = [items[i].src_key for i in deletable]
        if self.ends is not None:
            outcome = self.ends.delete(doomed)
        else:
            outcome = delete_keys(self.src_bucket, doomed)
        for key, why in outcome.failed:
            where = None if self.src_bucket is None else _name(self.src_bucket)
            error = oss_error(why, action="oss:DeleteObject", bucket=where)
            self.failed[keys[key]] = f"copied, but the source could not be deleted: {error}"
        done = gone + [keys[k] for k in outcome.deleted]
        if done:
            self.journal.mark_deleted(done)
            if self.hooks.after_delete is not None:
                self.hooks.after_delete([items[i] for i in done])

    def run(self, todo: list[int], recheck: set[int]) -> bool:
        """Returns False when cancelled."""
        cancelled = False
        window = self.threads * 4  # bounded: a million-object move keeps few futures alive
        queue = iter(todo)
        running: dict[Future, int] = {}
        pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="ossbrowse-mv")
        with pool:
            while True:
                while not cancelled and len(running) < window:
                    index = next(queue, None)
                    if index is None:
                        break
                    running[pool.submit(self.copy_and_verify, index, index in recheck)] = index
                if not running:
                    break
                done, _ = wait(list(running), timeout=0.2, return_when=FIRST_COMPLETED)
                if self.cancel is not None and self.cancel.cancelled:
                    cancelled = True
                newly: list[int] = []
                for future in done:
                    index = running.pop(future)
                    try:
                        etag = future.result()
                    except INTERRUPTS:  # cancelled, or stopped: the journal lets it resume
                        cancelled = True
                        continue
                    except Exception as exc:
                        error = oss_error(exc, action="oss:CopyObject")
                        self.failed[index] = str(error)
                        continue
                    if etag is not None:
                        newly.append(index)
                        self.pending_delete[index] = etag
                        self.bytes_copied += self.journal.items[index].size
                    else:
                        self.failed[index] = "the copy did not match its source (ETag and CRC64)"
                if newly:
                    self.journal.mark_verified(newly)
                    if self._pending_since is None:
                        self._pending_since = time.monotonic()
                if self.due():
                    self.settle()
                self.emit()
        # Verified copies are deleted even after a cancel: it keeps the journal short and
        # each object still exists under exactly one name.
        self.settle()
        self.emit(force=True)
        return not cancelled


def resume_move(
    journal: MoveJournal,
    src_bucket,
    dst_bucket,
    *,
    threads: int = 16,
    cancel: Control | None = None,
    on_progress: MoveProgressCallback | None = None,
    read_only: bool = False,
    infos: dict[str, ObjectRecord] | None = None,
    hooks: MoveHooks | None = None,
    ends: LocalEnds | None = None,
) -> MoveReport:
    """Finish the move a journal describes: re-check, copy what is missing, delete what is safe.
    `ends` when one end is the local disk (then the buckets of that end are None)."""
    ensure_writable(read_only, "move or rename objects")
    resumed = bool(journal.verified or journal.deleted) or infos is None
    already = len(journal.deleted)
    mover = _Mover(
        journal, src_bucket, dst_bucket, threads, cancel, on_progress, infos or {}, hooks, ends
    )
    # Verified but not deleted: a kill came between the journal line and the delete. Check the
    # copy again before deleting (someone may have changed either side since).
    recheck = {i for i in journal.verified if i not in journal.deleted and i not in journal.kept}
    todo = [i for i in range(len(journal.items)) if i not in journal.deleted | journal.kept]
    if recheck:
        journal.verified.difference_update(recheck)
    try:
        finished = mover.run(todo, recheck)
    finally:
        journal.close()
    report = MoveReport(
        total=len(journal.items),
        moved=len(journal.deleted) - already,
        resumed=resumed,
        already_done=already,
        failed=[(journal.items[i].src_key, why) for i, why in sorted(mover.failed.items())],
        changed=[journal.items[i].src_key for i in sorted(mover.changed)],
        cancelled=not finished,
        journal_id=journal.id,
    )
    if journal.finished:
        journal.remove()
    return report


def describe_report(report: MoveReport) -> list[str]:
    lines = []
    if report.resumed and report.already_done:
        lines.append(f"Resumed: {report.already_done:,} objects had been moved before.")
    lines.append(f"Moved {report.moved:,} of {report.total:,} objects.")
    for key, why in report.failed[:10]:
        lines.append(f"  not moved: {safe_text(key)}: {why} (the source is untouched)")
    if len(report.failed) > 10:
        lines.append(f"  ... and {len(report.failed) - 10:,} more not moved")
    for key, why in report.blocked[:10]:
        lines.append(f"  skipped: {safe_text(key)}: {why}")
    for key in report.changed[:10]:
        lines.append(f"  kept: {safe_text(key)}: {CHANGED}")
    if len(report.changed) > 10:
        lines.append(f"  ... and {len(report.changed) - 10:,} more kept")
    if report.changed:
        lines.append(
            "Sources written to during the move were kept: the new name holds the content "
            "that was copied, the old name the newer one. Compare them, or move again."
        )
    if report.cancelled:
        lines.append("Cancelled. Run the same command again to finish the move.")
    elif report.failed:
        lines.append("Run the same command again to retry what was not moved.")
    return lines
