"""Usage (du) of a bucket, a prefix or a local folder, counted as the listing streams in.

OSS: ListObjectsV2 without a delimiter, 1000 keys a page, read lean (`fs.listing_xml`: key,
size, class, time; no record per object), the next page fetched while this one is added up;
then ListMultipartUploads and, for each unfinished upload, ListParts for the bytes its parts
hold. List requests only: no HEAD (the listing says all du needs), counted by kind. With
`all_versions` (a versioned bucket), ListObjectVersions instead, read lean too: every
version is counted, and delete markers apart; without it, only current versions count (what
ListObjectsV2 shows).
A local folder is walked with `fs.ordered_walk` (files only; no classes, uploads or minimum
durations there).

Totals are kept per folder down to `depth` (`ops.usage_tally`), never per object. The walk
checks its cancel token between pages and reports snapshots through `on_progress`, at most
every `progress_interval` seconds (throttled here, at the source).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from ossbrowse.fs import listing_xml
from ossbrowse.fs.gateway import multipart
from ossbrowse.fs.retrying import DEFAULT_RETRY
from ossbrowse.fs.url import format_oss_url, is_oss_url, parse_oss_url
from ossbrowse.ops.failures import error_code, oss_error
from ossbrowse.ops.usage_tally import FileUsage, Usage, UsageRow, UsageTally
from ossbrowse.tasks.control import Control, check

T = TypeVar("T")
PAGE = listing_xml.MAX_KEYS
PARTS_PAGE = 1000  # oss2's PartIterator asks for this many parts a request
LOCAL_BATCH = 1000  # local files added (and the cancel token checked) this many at a time


@dataclass(slots=True)
class UsageReport:
    """The totals of one usage walk (a snapshot while `complete` is False)."""

    url: str  # the root: oss://bucket/prefix/ or a local folder
    depth: int | None
    rows: list[UsageRow]  # the root first, then each folder down to `depth`, in path order
    files: list[FileUsage] = field(default_factory=list)  # the largest direct files, if asked
    requests: dict[str, int] = field(default_factory=dict)  # by OSS API name
    now: float = 0.0  # the time early deletion was counted at
    complete: bool = False
    local: bool = False
    all_versions: bool = False
    unreadable: int = 0  # local files or folders that could not be read

    @property
    def total(self) -> Usage:
        return self.rows[0].usage if self.rows else Usage()

    def children(self) -> list[UsageRow]:
        """The folders one level below the root."""
        return [row for row in self.rows if row.depth == 1]


ProgressCallback = Callable[[UsageReport], None]


class _Walk:
    """One walk's tally, request counts and throttled progress."""

    def __init__(
        self,
        url: str,
        depth: int | None,
        now: float,
        *,
        largest: int,
        local: bool,
        all_versions: bool,
        cancel: Control | None,
        on_progress: ProgressCallback | None,
        progress_interval: float,
        clock: Callable[[], float],
    ) -> None:
        self.url = url
        self.tally = UsageTally(depth, now, largest=largest)
        self.requests: dict[str, int] = {}
        self.local = local
        self.all_versions = all_versions
        self.unreadable = 0
        self.cancel = cancel
        self.on_progress = on_progress
        self.interval = progress_interval
        self.clock = clock
        self.last_report: float | None = None

    def count(self, kind: str, n: int = 1) -> None:
        self.requests[kind] = self.requests.get(kind, 0) + n

    def report(self, complete: bool) -> UsageReport:
        return UsageReport(
            self.url,
            self.tally.depth,
            self.tally.rows(),
            self.tally.largest_files(),
            dict(self.requests),
            self.tally.now,
            complete,
            self.local,
            self.all_versions,
            self.unreadable,
        )

    def step(self) -> None:
        """Between pages: stop if cancelled; report progress if it is time to."""
        check(self.cancel)
        if self.on_progress is None:
            return
        now = self.clock()
        if self.last_report is not None and now - self.last_report < self.interval:
            return
        self.last_report = now
        self.on_progress(self.report(False))
        # A cancel asked while this snapshot was shown stops here, before another page is
        # taken from the prefetch (which would let it fetch one more ahead).
        check(self.cancel)

    def finish(self) -> UsageReport:
        check(self.cancel)
        final = self.report(True)
        if self.on_progress is not None:
            self.on_progress(final)
        return final


def _translated(pages: Iterator[T], action: str, bucket: str, key: str) -> Iterator[T]:
    """`pages`, with what oss2 or the network raised turned into a sentence to act on."""
    while True:
        try:
            page = next(pages, None)
        except Exception as exc:
            raise oss_error(exc, action=action, bucket=bucket, key=key) from exc
        if page is None:
            return
        yield page


def _walk_objects(walk: _Walk, bucket: Any, prefix: str) -> None:
    cut = len(prefix)
    pages = listing_xml.prefetch(listing_xml.iter_lean_pages(bucket, prefix=prefix, max_keys=PAGE))
    for page in _translated(pages, "oss:ListObjectsV2", bucket.bucket_name, prefix):
        walk.count("ListObjectsV2")
        walk.tally.add_objects(page.objects, cut)
        walk.step()


def _walk_versions(walk: _Walk, bucket: Any, prefix: str) -> None:
    cut = len(prefix)
    pages = listing_xml.prefetch(
        listing_xml.iter_lean_version_pages(bucket, prefix=prefix, max_keys=PAGE)
    )
    for page in _translated(pages, "oss:ListObjectVersions", bucket.bucket_name, prefix):
        walk.count("ListObjectVersions")
        for key in page.delete_markers:
            walk.tally.add_delete_marker(key[cut:])
        walk.tally.add_objects(page.objects, cut)
        walk.step()


def _walk_uploads(walk: _Walk, bucket: Any, prefix: str) -> None:
    cut = len(prefix)
    name = bucket.bucket_name
    key_marker = upload_marker = ""
    while True:
        check(walk.cancel)
        ask = partial(
            multipart.list_uploads,
            bucket,
            prefix=prefix,
            key_marker=key_marker,
            upload_id_marker=upload_marker,
            max_uploads=PAGE,
        )
        try:
            page = DEFAULT_RETRY.call(ask)
        except Exception as exc:
            action = "oss:ListMultipartUploads"
            raise oss_error(exc, action=action, bucket=name, key=prefix) from exc
        walk.count("ListMultipartUploads")
        for upload in page.uploads:
            check(walk.cancel)
            size = _parts_bytes(walk, bucket, upload.key, upload.upload_id)
            if size is not None:
                walk.tally.add_upload(upload.key[cut:], size)
        walk.step()
        if not page.truncated:
            return
        key_marker, upload_marker = page.next_key_marker, page.next_upload_id_marker


def _parts_bytes(walk: _Walk, bucket: Any, key: str, upload_id: str) -> int | None:
    """The bytes an unfinished upload's parts hold; None if it ended meanwhile."""
    try:
        parts = DEFAULT_RETRY.call(lambda: multipart.list_parts(bucket, key, upload_id))
    except Exception as exc:
        # oss2's exception or the gateway's translated error: both carry OSS's code
        if error_code(exc) == "NoSuchUpload":
            walk.count("ListParts")
            return None  # completed or aborted since it was listed
        raise oss_error(exc, action="oss:ListParts", bucket=bucket.bucket_name, key=key) from exc
    walk.count("ListParts", max(1, math.ceil(len(parts) / PARTS_PAGE)))
    return sum(part.size for part in parts)


def oss_usage(
    bucket: Any,
    prefix: str,
    *,
    depth: int | None = 1,
    now: float | None = None,
    all_versions: bool = False,
    uploads: bool = True,
    largest: int = 0,
    cancel: Control | None = None,
    on_progress: ProgressCallback | None = None,
    progress_interval: float = 0.1,
    clock: Callable[[], float] = time.monotonic,
) -> UsageReport:
    """The usage under `prefix` of an oss2.Bucket (the whole bucket for ""); raises
    `Cancelled` when `cancel` is set, `OssBrowseError` when OSS refuses."""
    walk = _Walk(
        format_oss_url(bucket.bucket_name, prefix),
        depth,
        time.time() if now is None else now,
        largest=largest,
        local=False,
        all_versions=all_versions,
        cancel=cancel,
        on_progress=on_progress,
        progress_interval=progress_interval,
        clock=clock,
    )
    if all_versions:
        _walk_versions(walk, bucket, prefix)
    else:
        _walk_objects(walk, bucket, prefix)
    if uploads:
        _walk_uploads(walk, bucket, prefix)
    return walk.finish()


def local_usage(
    root: str,
    *,
    depth: int | None = 1,
    largest: int = 0,
    cancel: Control | None = None,
    on_progress: ProgressCallback | None = None,
    progress_interval: float = 0.1,
    clock: Callable[[], float] = time.monotonic,
) -> UsageReport:
    """The usage of a local folder: files and bytes per folder (symbolic links not followed)."""
    import os

    from ossbrowse.errors import NotFoundError, UsageError
    from ossbrowse.fs.ordered_walk import walk_local
    from ossbrowse.text import safe_text

    if not os.path.lexists(root):
        raise NotFoundError(f"{safe_text(root)} does not exist.", hint="Check the path.")
    if not os.path.isdir(root):
        raise UsageError(f"{safe_text(root)} is not a folder: give a folder to count.")
    walk = _Walk(
        root,
        depth,
        time.time(),
        largest=largest,
        local=True,
        all_versions=False,
        cancel=cancel,
        on_progress=on_progress,
        progress_interval=progress_interval,
        clock=clock,
    )
    batch: list[tuple[str, int, str | None, float | None]] = []
    for item in walk_local(root):
        if item.error is not None:
            walk.unreadable += 1
        elif not item.is_dir:
            batch.append((item.key, item.size, None, item.mtime))
            if len(batch) >= LOCAL_BATCH:
                walk.tally.add_objects(batch)
                batch = []
                walk.step()
    walk.tally.add_objects(batch)
    return walk.finish()


def folder_prefix(key: str) -> str:
    """A URL's key as the prefix of a folder: `logs` and `logs/` both count `logs/...`."""
    return key if not key or key.endswith("/") else key + "/"


def usage_of(
    path: str,
    bucket_for: Callable[[str], Any] | None,
    **options: Any,
) -> UsageReport:
    """The usage of an oss:// bucket or prefix (through `bucket_for(name)`) or a local folder;
    `options` are `oss_usage`'s (`local_usage` takes the ones that apply to it)."""
    if is_oss_url(path):
        url = parse_oss_url(path)
        if not url.bucket:
            from ossbrowse.errors import UsageError

            raise UsageError("Name a bucket to count: oss://BUCKET/ or oss://BUCKET/PREFIX/.")
        if bucket_for is None:
            from ossbrowse.errors import OssBrowseError

            raise OssBrowseError("No OSS connection to count with.")
        return oss_usage(bucket_for(url.bucket), folder_prefix(url.key or ""), **options)
    for name in ("now", "all_versions", "uploads"):
        options.pop(name, None)
    return local_usage(path, **options)
