"""Move objects and prefixes safely: plan, journal, verified parallel copies, batched deletes.

OSS has no rename: a move is a copy of every object and a delete of every source. The order
of each object's steps is what keeps data safe: copy, verify the copy (ETag or CRC64 equal
to the source's), record the verification in the journal (fsynced), and only then delete the
source, in DeleteMultipleObjects batches of up to 1000. At every moment each object exists
under at least one of its two names; a killed move is finished by running it again.
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from ossbrowse.errors import OssBrowseError, UsageError
from ossbrowse.ops.cancel import Cancelled, CancelToken
from ossbrowse.ops.classes import DELETE_BATCH
from ossbrowse.ops.copying import CopyResult, copy_one, verify_copy, with_retries
from ossbrowse.ops.failures import oss_error
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.journal import MoveJournal, PlannedMove
from ossbrowse.ops.listing import (
    Enumeration,
    ObjectInfo,
    ProgressCallback,
    enumerate_prefix,
)
from ossbrowse.ops.pricing import Price, price_move
from ossbrowse.text import safe_text


@dataclass
class MovePlan:
    """What a move will do and what it costs; `run_move` carries it out."""

    src_bucket: object  # oss2.Bucket
    dst_bucket: object
    src: str  # the key or prefix as given, normalised
    dst: str
    is_prefix: bool
    pairs: list[tuple[ObjectInfo, str]]
    price: Price

    @property
    def movable(self) -> list[tuple[ObjectInfo, str]]:
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
    cancelled: bool = False
    journal_id: str | None = None

    @property
    def complete(self) -> bool:
        return not self.failed and not self.cancelled and not self.blocked


MoveProgressCallback = Callable[[MoveProgress], None]


def _name(bucket) -> str:
    return bucket.bucket_name


def _is_object(bucket, key: str) -> ObjectInfo | None:
    from ossbrowse.ops.listing import head_info

    return head_info(bucket, key)


def plan_move(
    src_bucket,
    src: str,
    dst_bucket,
    dst: str,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    now: float | None = None,
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
    if single is not None:
        new_key = dst + posixpath.basename(src) if dst == "" or dst.endswith("/") else dst
        if same_bucket and new_key == src:
            raise UsageError("The source and the destination are the same object.")
        existing = {}
        if (old := _is_object(dst_bucket, new_key)) is not None:
            existing[new_key] = old
        price = price_move(
            [(single, new_key)], list_requests=0, head_requests=2, existing=existing, now=now
        )
        return MovePlan(src_bucket, dst_bucket, src, new_key, False, [(single, new_key)], price)

    dst_prefix = dst if dst == "" or dst.endswith("/") else dst + "/"
    if same_bucket and dst_prefix.startswith(src):
        raise UsageError(
            f"Cannot move {safe_text(src)} into itself ({safe_text(dst_prefix)}).",
            hint="Choose a destination outside the source folder.",
        )
    found: Enumeration = enumerate_prefix(src_bucket, src, on_progress=on_progress, cancel=cancel)
    if not found.objects:
        raise UsageError(
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
    cancel: CancelToken | None = None,
    on_progress: MoveProgressCallback | None = None,
    read_only: bool = False,
    directory: Path | None = None,
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
    )
    report.blocked = [(b.key, b.reason) for b in plan.price.blocked]
    return report


class _Mover:
    """The loop of one run over a journal: copies in a bounded pool, deletes in batches."""

    def __init__(
        self,
        journal: MoveJournal,
        src_bucket,
        dst_bucket,
        threads: int,
        cancel: CancelToken | None,
        on_progress: MoveProgressCallback | None,
        infos: dict[str, ObjectInfo],
    ) -> None:
        self.journal = journal
        self.src_bucket = src_bucket
        self.dst_bucket = dst_bucket
        self.threads = max(1, threads)
        self.cancel = cancel
        self.on_progress = on_progress
        self.infos = infos
        self.pending_delete: list[int] = []
        self.failed: dict[int, str] = {}
        self.bytes_copied = 0
        self.bytes_total = sum(i.size for i in journal.items)
        self._last_emit = 0.0

    def info(self, index: int) -> ObjectInfo:
        item = self.journal.items[index]
        known = self.infos.get(item.src_key)
        if known is not None:
            return known
        return ObjectInfo(item.src_key, item.size, item.etag, 0.0, storage_class=item.storage_class)

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
    def copy_and_verify(self, index: int, recheck: bool) -> bool:
        """Copy (unless `recheck` finds the copy already good) and verify; True when verified."""
        import oss2

        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled()
        item = self.journal.items[index]
        obj = self.info(index)
        if recheck and verify_copy(
            self.src_bucket, self.dst_bucket, obj, item.dst_key, CopyResult("", None)
        ):
            return True
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
            # deleted by someone else. Done only if the new name holds it.
            gone = isinstance(exc.__cause__, oss2.exceptions.NoSuchKey) or "NoSuchKey" in str(exc)
            if gone and self._exists(self.dst_bucket, item.dst_key):
                return True
            raise
        return verify_copy(self.src_bucket, self.dst_bucket, obj, item.dst_key, copied)

    @staticmethod
    def _exists(bucket, key: str) -> bool:
        import oss2

        try:
            bucket.head_object(key)
            return True
        except oss2.exceptions.NotFound:
            return False

    # -- the main thread ---------------------------------------------------------------------
    def delete_batch(self) -> None:
        import oss2

        while self.pending_delete:
            batch = self.pending_delete[:DELETE_BATCH]
            self.journal.sync()  # the V lines reach the disk before any source goes
            keys = [self.journal.items[i].src_key for i in batch]
            try:
                with_retries(lambda k=keys: self.src_bucket.batch_delete_objects(k))
            except oss2.exceptions.OssError as exc:
                raise oss_error(
                    exc, action="oss:DeleteMultipleObjects", bucket=_name(self.src_bucket)
                ) from exc
            self.journal.mark_deleted(batch)
            del self.pending_delete[: len(batch)]
            self.emit()

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
                        ok = future.result()
                    except Cancelled:
                        cancelled = True
                        continue
                    except Exception as exc:
                        self.failed[index] = str(exc) or type(exc).__name__
                        continue
                    if ok:
                        newly.append(index)
                        self.bytes_copied += self.journal.items[index].size
                    else:
                        self.failed[index] = "the copy did not match its source (ETag and CRC64)"
                if newly:
                    self.journal.mark_verified(newly)
                    self.pending_delete.extend(newly)
                if len(self.pending_delete) >= DELETE_BATCH:
                    self.delete_batch()
                self.emit()
        # Verified copies are deleted even after a cancel: it keeps the journal short and
        # each object still exists under exactly one name.
        self.delete_batch()
        self.emit(force=True)
        return not cancelled


def resume_move(
    journal: MoveJournal,
    src_bucket,
    dst_bucket,
    *,
    threads: int = 16,
    cancel: CancelToken | None = None,
    on_progress: MoveProgressCallback | None = None,
    read_only: bool = False,
    infos: dict[str, ObjectInfo] | None = None,
) -> MoveReport:
    """Finish the move a journal describes: re-check, copy what is missing, delete what is safe."""
    ensure_writable(read_only, "move or rename objects")
    resumed = bool(journal.verified or journal.deleted) or infos is None
    already = len(journal.deleted)
    mover = _Mover(journal, src_bucket, dst_bucket, threads, cancel, on_progress, infos or {})
    # Verified but not deleted: a kill came between the journal line and the delete. Check the
    # copy again before deleting (someone may have changed either side since).
    recheck = {i for i in journal.verified if i not in journal.deleted}
    todo = [i for i in range(len(journal.items)) if i not in journal.deleted]
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
    if report.cancelled:
        lines.append("Cancelled. Run the same command again to finish the move.")
    elif report.failed:
        lines.append("Run the same command again to retry what was not moved.")
    return lines
