"""Moves with a local end: the journaled mover's copy, verify, re-check and delete there.

OSS to OSS, `ops.rename` copies inside OSS. When one end (or both) is the local disk, the same
mover, journal and order of steps apply -- copy, verify (size and CRC64), write the
verification to the journal (fsynced), check that the source is still what was copied, and
only then delete it -- with the copies made by the transfer engine's upload, download and
local copy (resumable parts, CRC64 checked on the way) and verified again afterwards against
what the destination holds. A local file's "ETag" in the journal is a fingerprint of its size
and modification time: the source is deleted only while it still has the fingerprint of the
bytes that were copied. Folder markers (an empty folder, an OSS `dir/` object) are items whose
source name ends in `/`. A destination that exists already is dealt with when the move is
planned, by the copy's own clash policy (overwrite, skip, keep both, or ask), so the journal
holds the names decided.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ossbrowse.errors import UsageError, from_os_error
from ossbrowse.fs.base import Entry
from ossbrowse.fs.delete_batch import DeleteOutcome, delete_keys
from ossbrowse.fs.gateway import objects
from ossbrowse.ops.journal import PlannedMove
from ossbrowse.ops.listing import head_info
from ossbrowse.ops.recheck import current_etags
from ossbrowse.tasks.control import Control
from ossbrowse.text import safe_text
from ossbrowse.transfer import conflict
from ossbrowse.transfer.conflict import file_crc64
from ossbrowse.transfer.context import Context
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.transfer.locations import Location
from ossbrowse.transfer.walk import WalkItem, walk_local, walk_oss

LOCAL = ""  # the journal's bucket name for the local disk
FOLDER = "folder"  # the fingerprint of a folder marker on the local disk
# What a copy holds when its source is already gone (moved by a run whose journal line was
# lost): the re-check finds no source, so there is nothing left to delete.
GONE = "gone"


def fingerprint(st: os.stat_result) -> str:
    """What a local file's journal line expects it to still be when it is deleted."""
    return f"{st.st_size}:{st.st_mtime_ns}"


def _local_fingerprint(path: str) -> str | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return FOLDER if os.path.isdir(path) else fingerprint(st)


@dataclass
class EndsPlan:
    """A move with a local end, enumerated: what the journal will hold."""

    src: Location
    dst: Location
    items: list[PlannedMove] = field(default_factory=list)
    blocked: list[tuple[str, str]] = field(default_factory=list)  # (source, why it stays)
    skipped: list[str] = field(default_factory=list)  # entries that are not files
    taken: list[str] = field(default_factory=list)  # names taken at the destination: kept

    @property
    def src_name(self) -> str:
        return self.src.bucket or LOCAL

    @property
    def dst_name(self) -> str:
        return self.dst.bucket or LOCAL


def journal_names(src: Location, dst: Location) -> tuple[str, str, str, str]:
    """(src bucket, src, dst bucket, dst) as the journal records them: the same move, the
    same journal, so running it again finds the interrupted one, from the UI or the verb
    alike (local paths normalised; a local folder's new prefix named without its last /)."""
    src_path = src.path if src.is_oss else os.path.normpath(os.path.abspath(src.path))
    if dst.is_oss:
        dst_path = dst.path if src.is_oss else dst.path.rstrip("/")
    else:
        dst_path = os.path.normpath(os.path.abspath(dst.path))
    return src.bucket or LOCAL, src_path, dst.bucket or LOCAL, dst_path


def _walk(src: Location, dst: Location, bucket_for: Any) -> list[WalkItem]:
    if src.is_oss:
        if src.path and not src.path.endswith("/"):
            one = head_info(bucket_for(src.bucket), src.path)
            if one is not None:
                return [WalkItem(src, dst, one.size)]
        return list(walk_oss(bucket_for(src.bucket), src, dst))
    if os.path.isdir(src.path) and not os.path.islink(src.path):
        return list(walk_local(src, dst))
    if not os.path.lexists(src.path):
        raise UsageError(f"{safe_text(src.path)} does not exist: nothing to move.")
    return [WalkItem(src, dst, os.path.getsize(src.path))]


Resolver = Callable[[Entry, Entry], ConflictPolicy]


class _Clashes:
    """Where each file goes when its name is taken at the destination (the copy's rule)."""

    def __init__(
        self, src: Location, dst: Location, bucket_for: Any, policy: ConflictPolicy,
        ask: Resolver | None,
    ) -> None:  # fmt: skip
        self.src_bucket = bucket_for(src.bucket) if src.is_oss else None
        self.dst_bucket = bucket_for(dst.bucket) if dst.is_oss else None
        self.policy = policy
        self.ask = ask
        self.taken: set[str] = set()  # names this plan gave already (keep-both twice)

    def _exists(self, target: str) -> bool:
        if target in self.taken:
            return True
        if self.dst_bucket is None:
            return os.path.lexists(target)
        return head_info(self.dst_bucket, target) is not None

    def _entry(self, bucket: Any, path: str) -> Entry | None:
        if bucket is None:
            return conflict.local_entry(path)
        record = head_info(bucket, path)
        if record is None:
            return None
        name = path.rstrip("/").rpartition("/")[2]
        return Entry.from_record(record, name, f"oss://{bucket.bucket_name}/{path}")

    def target(self, source: str, target: str) -> str | None:
        """The name to move `source` to (None: skip it, it stays where it is)."""
        if self.policy is ConflictPolicy.OVERWRITE or not self._exists(target):
            self.taken.add(target)
            return target
        policy: ConflictPolicy = self.policy
        if policy is ConflictPolicy.ASK:
            mine = self._entry(self.src_bucket, source)
            theirs = self._entry(self.dst_bucket, target)
            if mine is not None and theirs is not None:
                policy = conflict.resolve(policy, mine, theirs, self.ask)
            else:
                policy = ConflictPolicy.SKIP
        if policy is ConflictPolicy.SKIP:
            return None
        if policy is ConflictPolicy.KEEP_BOTH:
            sep = "/" if self.dst_bucket is not None else os.sep
            target = conflict.free_name(target, self._exists, sep)
        # OVERWRITE, SAME (the same bytes are simply written again), KEEP_BOTH's free name.
        self.taken.add(target)
        return target


def plan_ends_move(
    src: Location,
    dst: Location,
    bucket_for: Any,
    *,
    cancel: Control | None = None,
    on_found: Any = None,
    if_exists: ConflictPolicy = ConflictPolicy.OVERWRITE,
    resolve_conflict: Resolver | None = None,
) -> EndsPlan:
    """Enumerate the files under `src` (or the one file) and where each goes under `dst`; a
    name taken at the destination is overwritten, skipped, kept beside (`name (1).ext`) or
    asked about (`resolve_conflict`), as `if_exists` says."""
    if src.is_oss == dst.is_oss and src.is_oss:
        raise UsageError("A move inside OSS goes through ops.rename (server-side copies).")
    plan = EndsPlan(src, dst)
    clashes = _Clashes(src, dst, bucket_for, if_exists, resolve_conflict)
    for n, item in enumerate(_walk(src, dst, bucket_for), 1):
        if cancel is not None:
            cancel.check()
        if on_found is not None and n % 1000 == 0:
            on_found(n)
        source = item.src.path
        if item.skipped:
            plan.skipped.append(f"{source}: {item.skipped}")
            continue
        if item.error:
            plan.blocked.append((source, item.error))
            continue
        if item.is_folder_marker:
            source = source if source.endswith("/") else source + "/"
            target = item.dst.path if item.dst.path.endswith("/") else item.dst.path + "/"
            plan.items.append(PlannedMove(source, target, FOLDER, 0))
            continue
        chosen = clashes.target(source, item.dst.path)
        if chosen is None:
            plan.taken.append(source)
            continue
        if src.is_oss:
            etag = ""  # read at the copy: the source may change until then
        else:
            try:
                etag = fingerprint(os.stat(source))
            except OSError as exc:
                plan.blocked.append((source, str(from_os_error(exc, source, doing="read"))))
                continue
        plan.items.append(PlannedMove(source, chosen, etag, item.size))
    return plan


class LocalEnds:
    """Copy, verify, re-check and delete for a move with a local end (see the module doc).
    Called by `ops.rename`'s mover: `copy_verified` on its copying threads, the rest on its
    main thread."""

    def __init__(self, src_bucket: Any, dst_bucket: Any, ctx: Context) -> None:
        self.src_bucket = src_bucket  # None: the local disk
        self.dst_bucket = dst_bucket
        self.ctx = ctx

    # -- one item, on a copying thread ---------------------------------------------------
    def copy_verified(self, item: PlannedMove, recheck: bool) -> str | None:
        """Copy (unless `recheck` finds the copy already good) and verify; the fingerprint or
        ETag of the source the destination provably holds, None when unproven."""
        self.ctx.control.gate()
        if item.src_key.endswith("/"):
            return self._folder(item)
        if self.src_bucket is None:
            return self._from_local(item, recheck)
        return self._from_oss(item, recheck)

    def _folder(self, item: PlannedMove) -> str | None:
        if self.dst_bucket is None:
            os.makedirs(item.dst_key, exist_ok=True)
        else:
            bucket, key = self.dst_bucket, item.dst_key
            self.ctx.retry.call(lambda: objects.put_object(bucket, key, b""), self.ctx.control)
        return FOLDER if self.src_bucket is None else _etag_of(self.src_bucket, item.src_key)

    def _from_local(self, item: PlannedMove, recheck: bool) -> str | None:
        from ossbrowse.transfer.localcopy import copy_local
        from ossbrowse.transfer.upload import upload_file

        path = item.src_key
        try:
            before = os.stat(path)
        except FileNotFoundError:
            # Moved by an earlier run whose journal line was lost, or deleted since: done
            # only if the destination holds a file of the planned size.
            return GONE if self._holds(item.dst_key, item.size) else None
        except OSError as exc:
            raise from_os_error(exc, path, doing="read") from exc
        expected = fingerprint(before)
        if recheck and self._same(path, item.dst_key, before.st_size):
            return expected
        if self.dst_bucket is not None:
            upload_file(self.ctx, path, self.dst_bucket, item.dst_key)
        else:
            if _same_device(path, item.dst_key):
                # One rename of the file system: atomic, nothing to copy or verify, and the
                # source is gone at once (the re-check finds it so).
                os.makedirs(os.path.dirname(item.dst_key) or ".", exist_ok=True)
                os.replace(path, item.dst_key)
                return expected
            os.makedirs(os.path.dirname(item.dst_key) or ".", exist_ok=True)
            copy_local(self.ctx, path, item.dst_key)
        try:
            unchanged = fingerprint(os.stat(path)) == expected
        except FileNotFoundError:
            unchanged = False
        return expected if unchanged and self._same(path, item.dst_key, before.st_size) else None

    def _from_oss(self, item: PlannedMove, recheck: bool) -> str | None:
        from ossbrowse.transfer.download import download_object

        info = head_info(self.src_bucket, item.src_key)
        if info is None:
            return GONE if self._holds(item.dst_key, item.size) else None
        etag = (info.etag or "").strip('"')
        if recheck and _file_matches(item.dst_key, info.size, info.crc64):
            return etag
        os.makedirs(os.path.dirname(item.dst_key) or ".", exist_ok=True)
        download_object(self.ctx, self.src_bucket, item.src_key, item.dst_key, info)
        return etag if _file_matches(item.dst_key, info.size, info.crc64) else None

    def _holds(self, dst: str, size: int) -> bool:
        if self.dst_bucket is None:
            return os.path.isfile(dst) and os.path.getsize(dst) == size
        head = head_info(self.dst_bucket, dst)
        return head is not None and head.size == size

    def _same(self, path: str, dst: str, size: int) -> bool:
        """The destination holds `size` bytes whose CRC64 is the local file's."""
        if self.dst_bucket is None:
            return _file_matches(dst, size, file_crc64(path) if os.path.isfile(dst) else None)
        head = head_info(self.dst_bucket, dst)
        if head is None or head.size != size or head.crc64 is None:
            return False  # an unknown CRC never counts as equal
        return head.crc64 == file_crc64(path)

    # -- the mover's main thread ---------------------------------------------------------
    def current(self, keys: list[str]) -> dict[str, str | None]:
        """What each source is now (None: gone), to compare with what was copied."""
        if self.src_bucket is not None:
            return current_etags(self.src_bucket, keys, cancel=self.ctx.control)
        return {key: _local_fingerprint(key.rstrip("/") or "/") for key in keys}

    def delete(self, keys: list[str]) -> DeleteOutcome:
        if self.src_bucket is not None:
            return delete_keys(self.src_bucket, keys, cancel=self.ctx.control)
        outcome = DeleteOutcome()
        for key in keys:
            path = key.rstrip("/")
            try:
                if key.endswith("/"):
                    os.rmdir(path)
                else:
                    os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                outcome.failed.append((key, from_os_error(exc, path, doing="delete")))
                continue
            outcome.deleted.append(key)
        return outcome


def remove_emptied_folders(root: str) -> None:
    """After a local folder was moved out: its folders left empty go too (deepest first);
    a folder holding anything (a file kept because it changed) stays."""
    if not os.path.isdir(root) or os.path.islink(root):
        return
    for folder, _subfolders, _files in os.walk(root, topdown=False):
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def _etag_of(bucket: Any, key: str) -> str | None:
    info = head_info(bucket, key)
    return None if info is None else (info.etag or "").strip('"')


def _file_matches(path: str, size: int, crc: int | None) -> bool:
    if crc is None or not os.path.isfile(path) or os.path.getsize(path) != size:
        return False
    return file_crc64(path) == crc


def _same_device(src: str, dst: str) -> bool:
    parent = os.path.dirname(dst) or "."
    while not os.path.exists(parent):
        parent = os.path.dirname(parent) or "."
    try:
        return os.stat(src).st_dev == os.stat(parent).st_dev
    except OSError:
        return False


__all__ = [
    "FOLDER",
    "LOCAL",
    "EndsPlan",
    "LocalEnds",
    "fingerprint",
    "journal_names",
    "plan_ends_move",
    "remove_emptied_folders",
]
