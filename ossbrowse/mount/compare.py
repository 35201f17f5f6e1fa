"""Compare a mount with its prefix: a merge join of two ordered streams, each entry marked.

The local walk (`walk.py`) and the bucket listing (`bucket_side.py`) come in the same byte
order, so one pass pairs them up with one page and the directory stack in memory.

What costs a request, and why (the 3 s target for 20,000 entries allows ~20 listing pages and
few HEADs):
- "same" is decided from the listing: equal size, and a local mtime consistent with an upload
  on close, i.e. not later than LastModified (+2 s of clock slop) and not more than 60 s
  before it. ossfs shows `x-oss-meta-mtime` as the file's time when the object has it (the
  file's time when it was written, a little before the upload) and LastModified otherwise, so
  both cases land inside that window without a HEAD.
- Only a same-size pair outside the window is HEADed, to read `x-oss-meta-mtime` and tell
  "changed in the mount, not flushed" from "rewritten in the bucket by someone else" from
  "a long write that ossfs stamped correctly".
- `crc=True` HEADs every same-size pair and reads the local file (CRC-64, what OSS reports);
  `meta=True` HEADs every object, to report those without ossfs metadata.
A same-size rewrite by another instance inside the 60 s window is invisible without `crc`:
the price of not HEADing 20,000 objects.
"""

from __future__ import annotations

import enum
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ossbrowse.errors import ArchivedObjectError, NotFoundError, OssBrowseError
from ossbrowse.fs.merge_join import MergeJoin
from ossbrowse.fs.mtime_window import CLOCK_SLOP, UPLOAD_WINDOW
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.restore_state import RestoreStatus, describe_restore
from ossbrowse.fs.storage_classes import ARCHIVE_CLASSES
from ossbrowse.mount.bucket_side import BucketItem, BucketSide, UploadItem
from ossbrowse.mount.walk import LocalItem, walk_local
from ossbrowse.mount.writers import Writer


class Mark(enum.Enum):
    SAME = "same"
    ONLY_IN_MOUNT = "only-in-mount"
    ONLY_IN_BUCKET = "only-in-bucket"
    SIZE_DIFFERS = "size-differs"
    MTIME_DIFFERS = "mtime-differs"
    CRC_DIFFERS = "crc-differs"
    OPEN_FOR_WRITING = "open-for-writing"
    FOLDER_MARKER = "folder-marker"
    NO_METADATA = "no-ossfs-metadata"
    ARCHIVED = "archived"
    INCOMPLETE_UPLOAD = "incomplete-upload"
    UNREADABLE = "unreadable"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_difference(self) -> bool:
        """Whether this mark means mount and bucket disagree (notes do not)."""
        return self in DIFFERENCES


_LABELS = {
    Mark.SAME: "same",
    Mark.ONLY_IN_MOUNT: "only in mount",
    Mark.ONLY_IN_BUCKET: "only in bucket",
    Mark.SIZE_DIFFERS: "size differs",
    Mark.MTIME_DIFFERS: "time differs",
    Mark.CRC_DIFFERS: "content differs",
    Mark.OPEN_FOR_WRITING: "being written",
    Mark.FOLDER_MARKER: "folder marker",
    Mark.NO_METADATA: "no metadata",
    Mark.ARCHIVED: "archived",
    Mark.INCOMPLETE_UPLOAD: "upload pending",
    Mark.UNREADABLE: "unreadable",
}

DIFFERENCES = frozenset(
    {
        Mark.ONLY_IN_MOUNT,
        Mark.ONLY_IN_BUCKET,
        Mark.SIZE_DIFFERS,
        Mark.MTIME_DIFFERS,
        Mark.CRC_DIFFERS,
        Mark.OPEN_FOR_WRITING,
        Mark.UNREADABLE,
    }
)


@dataclass(frozen=True, slots=True)
class CompareEntry:
    """One key of the compare: what each side holds, its marks (first is the main one) and a
    one-line reason a person understands (raw names inside: escape before printing)."""

    key: str
    marks: tuple[Mark, ...]
    reason: str
    local: LocalItem | None = None
    remote: BucketItem | None = None
    head: ObjectRecord | None = None
    writers: tuple[Writer, ...] = ()
    upload: UploadItem | None = None

    @property
    def mark(self) -> Mark:
        return self.marks[0]

    @property
    def in_sync(self) -> bool:
        return not any(m.is_difference for m in self.marks)


@dataclass
class CompareStats:
    counts: Counter[Mark] = field(default_factory=Counter)  # main mark -> entries
    entries: int = 0
    differences: int = 0
    list_requests: int = 0
    head_requests: int = 0
    crc_bytes: int = 0
    uploads_unchecked: str | None = None  # why incomplete uploads could not be listed

    @property
    def in_sync(self) -> bool:
        return self.differences == 0


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - loop always returns


def human_time(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def human_age(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{int(seconds)} s"
    if seconds < 90 * 60:
        return f"{int(seconds // 60)} min"
    if seconds < 36 * 3600:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} days"


def _restore_phrase(item: BucketItem, head: ObjectRecord | None) -> tuple[str, bool]:
    """(phrase, readable) for an archived object (its state from the one restore reader, so
    a restored copy whose expiry date has passed counts as not restored)."""
    state = head.restore if head is not None else item.restore
    if state.status is RestoreStatus.IN_PROGRESS:
        return (
            f"{item.storage_class} object being restored: the mount cannot read it yet "
            "(Input/output error) until the restore finishes",
            False,
        )
    if state.readable:
        until = describe_restore(state).removeprefix("restored")
        return f"{item.storage_class} object, restored copy readable{until}", True
    return (
        f"{item.storage_class} object, not restored: reading it through the mount fails with "
        "Input/output error; restore it first",
        False,
    )


def _writers_phrase(writers: tuple[Writer, ...]) -> str:
    who = ", ".join(w.describe() for w in writers[:3])
    more = f" and {len(writers) - 3} more" if len(writers) > 3 else ""
    return f"open for writing by {who}{more}: its content reaches OSS on flush or close"


def file_crc64(path: str) -> int:
    """CRC-64 of a local file, read in 1 MiB pieces (memory stays flat)."""
    from ossbrowse.crc64 import Crc64

    crc = Crc64()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            crc.update(chunk)
    return crc.value


class MountCompare:
    """Walk `local_root` and `side` together; iterate `entries()`, then read `stats`.

    `writers` maps keys (relative to `local_root`) to the processes writing them, from
    `writers.find_writers`. `now` is for the age of uploads (tests pin it).
    """

    def __init__(
        self,
        local_root: str,
        side: BucketSide,
        *,
        writers: dict[str, list[Writer]] | None = None,
        crc: bool = False,
        meta: bool = False,
        uploads: bool = True,
        now: float | None = None,
        crc_of: Callable[[str], int] = file_crc64,
    ) -> None:
        self.local_root = local_root
        self.side = side
        self.writers = writers or {}
        self.crc = crc
        self.meta = meta
        self.uploads = uploads
        self.now = now
        self.crc_of = crc_of
        self.stats = CompareStats()

    # -- the walk --------------------------------------------------------------------------

    def entries(self) -> Iterator[CompareEntry]:
        """Every entry of both sides in key order, then the incomplete uploads."""
        for entry in self._merge():
            self._count(entry)
            yield entry
        if self.uploads:
            now = time.time() if self.now is None else self.now
            try:
                for upload in self.side.iter_uploads():
                    entry = self._upload_entry(upload, now)
                    self._count(entry)
                    yield entry
            except OssBrowseError as exc:
                # A read-only mount's RAM policy often grants ListObjects and GetObject only:
                # the compare stands without this listing, and says what it could not check.
                self.stats.uploads_unchecked = str(exc)
        self.stats.list_requests = self.side.list_requests
        self.stats.head_requests = self.side.head_requests

    def _count(self, entry: CompareEntry) -> None:
        self.stats.entries += 1
        self.stats.counts[entry.mark] += 1
        if not entry.in_sync:
            self.stats.differences += 1

    def _merge(self) -> Iterator[CompareEntry]:
        pairs = MergeJoin(
            walk_local(self.local_root),
            self.side.iter_items(),
            lambda item: item.raw,
            lambda item: item.raw,
        )
        skip: bytes | None = None  # an unreadable local folder: its bucket keys are not judged
        for local, remote in pairs:
            if local is None:
                if remote is not None and not (skip is not None and remote.raw.startswith(skip)):
                    yield self._only_in_bucket(remote)
            elif local.error is not None:
                skip = local.raw if local.is_dir else skip
                yield self._unreadable(local)
            elif remote is None:
                waiting = pairs.pending_right  # the next bucket key, after this folder's name
                if local.is_dir and waiting is not None and waiting.raw.startswith(local.raw):
                    yield CompareEntry(
                        local.key,
                        (Mark.SAME,),
                        "folder, implied by the keys under it (no marker object)",
                        local=local,
                    )
                else:
                    yield self._only_in_mount(local)
            else:
                yield self._both(local, remote)

    # -- one entry -------------------------------------------------------------------------

    def _unreadable(self, local: LocalItem) -> CompareEntry:
        what = "folder" if local.is_dir else "file"
        return CompareEntry(
            local.key,
            (Mark.UNREADABLE,),
            f"cannot read this {what} in the mount ({local.error}): it was not compared",
            local=local,
        )

    def _only_in_bucket(self, remote: BucketItem) -> CompareEntry:
        if remote.key.endswith("/"):
            reason = (
                "folder marker only in the bucket: made by another instance or tool, "
                "not yet visible through this mount"
            )
        else:
            reason = (
                "only in the bucket: written by another instance or tool, "
                "not yet visible through this mount"
            )
        marks = [Mark.ONLY_IN_BUCKET]
        if remote.storage_class in ARCHIVE_CLASSES:
            phrase, _ = _restore_phrase(remote, None)
            marks.append(Mark.ARCHIVED)
            reason = f"{reason}; {phrase}"
        return CompareEntry(remote.key, tuple(marks), reason, remote=remote)

    def _only_in_mount(self, local: LocalItem) -> CompareEntry:
        writers = tuple(self.writers.get(local.key, ()))
        if local.is_dir:
            reason = "folder only in the mount: nothing under it has reached the bucket yet"
        elif writers:
            reason = f"only in the mount, {_writers_phrase(writers)}"
        else:
            reason = (
                "only in the mount: not flushed or closed yet, or written here after the "
                "bucket was listed"
            )
        marks = (Mark.ONLY_IN_MOUNT, Mark.OPEN_FOR_WRITING) if writers else (Mark.ONLY_IN_MOUNT,)
        return CompareEntry(local.key, marks, reason, local=local, writers=writers)

    def _both(self, local: LocalItem, remote: BucketItem) -> CompareEntry:
        if local.is_dir:
            if remote.size:
                reason = (
                    f"folder marker object holding {human_size(remote.size)} "
                    "that the mount does not show"
                )
            else:
                reason = "folder marker object (a zero-byte `name/` key) shown as a folder"
            return CompareEntry(
                local.key, (Mark.FOLDER_MARKER,), reason, local=local, remote=remote
            )
        return self._files(local, remote)

    def _files(self, local: LocalItem, remote: BucketItem) -> CompareEntry:
        writers = tuple(self.writers.get(local.key, ()))
        archived = remote.storage_class in ARCHIVE_CLASSES
        same_size = local.size == remote.size
        outside_window = (
            local.mtime > remote.mtime + CLOCK_SLOP or remote.mtime - local.mtime > UPLOAD_WINDOW
        )
        need_head = self.meta or (same_size and (self.crc or outside_window))
        head = self._head(remote) if need_head else None

        marks: list[Mark] = []
        phrases: list[str] = []
        readable = True
        if archived:
            phrase, readable = _restore_phrase(remote, head)

        if not same_size:
            marks.append(Mark.SIZE_DIFFERS)
            phrases.append(self._size_phrase(local, remote, head))
        elif self.crc and readable and head is not None and head.crc64 is not None:
            try:
                local_crc = self.crc_of(local.path)
                self.stats.crc_bytes += local.size
            except OSError as exc:
                marks.append(Mark.UNREADABLE)
                phrases.append(f"cannot read it in the mount ({exc.strerror}) to check its CRC")
            else:
                if local_crc != head.crc64:
                    marks.append(Mark.CRC_DIFFERS)
                    phrases.append("same size, different content (CRC-64 differs)")
                else:
                    phrases.append("same size and CRC-64")
        else:
            reference = head.meta_mtime if head and head.meta_mtime is not None else None
            if reference is not None:
                agree = abs(local.mtime - reference) <= CLOCK_SLOP
            else:
                agree = not outside_window
                reference = remote.mtime
            if agree:
                phrases.append("same size and modified time")
            else:
                marks.append(Mark.MTIME_DIFFERS)
                phrases.append(self._time_phrase(local.mtime, reference))

        # Order: the difference first, then "being written", then the notes; the first is
        # the entry's main mark.
        if writers:
            marks.append(Mark.OPEN_FOR_WRITING)
            phrases.append(_writers_phrase(writers))
        if archived:
            marks.append(Mark.ARCHIVED)
            phrases.append(phrase)
        if head is not None and (head.meta_mtime is None or head.meta_mode is None):
            missing = [
                name
                for name, value in (
                    ("x-oss-meta-mode", head.meta_mode),
                    ("x-oss-meta-mtime", head.meta_mtime),
                )
                if value is None
            ]
            marks.append(Mark.NO_METADATA)
            phrases.append(
                f"no ossfs metadata ({', '.join(missing)}): the mount shows default "
                "permissions and the upload time"
            )
        if not marks:
            marks.append(Mark.SAME)
        return CompareEntry(
            local.key,
            tuple(marks),
            "; ".join(phrases),
            local=local,
            remote=remote,
            head=head,
            writers=writers,
        )

    def _head(self, remote: BucketItem) -> ObjectRecord | None:
        try:
            return self.side.head(remote.key)
        except (ArchivedObjectError, NotFoundError):
            # A server that refuses HEAD on an unrestored archive, or a key deleted since the
            # listing: the listing's answer stands.
            return None

    def _size_phrase(self, local: LocalItem, remote: BucketItem, head: ObjectRecord | None) -> str:
        if remote.size == 0 and local.size > 0:
            return (
                f"the bucket holds an empty object, the mount {human_size(local.size)}: the file "
                "is still being written, or was never flushed or closed"
            )
        sizes = f"mount {human_size(local.size)}, bucket {human_size(remote.size)}"
        if local.mtime > remote.mtime + CLOCK_SLOP:
            return f"size differs ({sizes}): changed in the mount and not flushed yet"
        return (
            f"size differs ({sizes}): the bucket copy was rewritten later, by another "
            "instance or tool; this mount still shows the old one"
        )

    @staticmethod
    def _time_phrase(local_mtime: float, reference: float) -> str:
        times = f"mount {human_time(local_mtime)}, bucket {human_time(reference)}"
        if local_mtime > reference:
            return (
                f"modified time differs ({times}): changed in the mount after the bucket copy "
                "was written; not flushed yet, or the upload failed"
            )
        return (
            f"modified time differs ({times}): the bucket copy was written later, by another "
            "instance or tool; this mount still shows the old one"
        )

    @staticmethod
    def _upload_entry(upload: UploadItem, now: float) -> CompareEntry:
        age = human_age(now - upload.initiated)
        return CompareEntry(
            upload.key,
            (Mark.INCOMPLETE_UPLOAD,),
            f"incomplete multipart upload started {age} ago: invisible until completed "
            "(a large file still being written?); if abandoned, abort it: it costs storage",
            upload=upload,
        )
