"""Enumerate what an operation will touch: every object under a prefix, page by page.

Progress is reported once a page and the walk checks its cancel token between requests, so a
person can stop the enumeration of a million-object prefix at once. Archived objects whose
restore state the listing does not carry, and cold-class objects (whose minimum storage
duration counts from the transition time), are HEADed in parallel: they are the ones where
the price depends on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from ossbrowse.errors import ArchivedObjectError, NotFoundError
from ossbrowse.fs import records
from ossbrowse.fs.gateway.objects import head as head_record
from ossbrowse.fs.listing_xml import iter_pages as iter_listing_pages
from ossbrowse.fs.listing_xml import prefetch
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.restore_state import NOT_RESTORED
from ossbrowse.fs.storage_classes import COUNTS_FROM_TRANSITION
from ossbrowse.ops.classes import LIST_PAGE
from ossbrowse.tasks.control import Control, check


@dataclass(frozen=True, slots=True)
class Progress:
    objects: int
    bytes: int
    pages: int
    done: bool = False


@dataclass(slots=True)
class Enumeration:
    objects: list[ObjectRecord]
    list_requests: int = 0
    head_requests: int = 0

    @property
    def bytes(self) -> int:
        return sum(o.size for o in self.objects)


ProgressCallback = Callable[[Progress], None]


def info_from_head(key: str, head) -> ObjectRecord:
    """The record of a HEAD's answer (`gateway.objects.HeadAnswer`, read by fs.records)."""
    return records.from_head(key, head.headers)


def head_info(bucket, key: str, known: ObjectRecord | None = None) -> ObjectRecord | None:
    """HEAD `key` into an ObjectRecord; None when it does not exist.

    OSS answers HEAD on an unrestored archived object (HeadObject needs no restore, says the
    RestoreObject reference); a server that refuses it with InvalidObjectState has told us
    the same thing, so that answer is read as "archived, not restored" rather than failing.
    """
    try:
        return head_record(bucket, key)
    except NotFoundError:
        return None
    except ArchivedObjectError:
        base = known or ObjectRecord(key, 0, "", 0.0, storage_class="Archive")
        return replace(base, restore=NOT_RESTORED, restore_known=True)


def head_object(bucket, key: str) -> ObjectRecord:
    found = head_info(bucket, key)
    if found is None:
        head_record(bucket, key)  # raises the error that says why (no such key or bucket)
    return found  # type: ignore[return-value]


def _needs_head(obj: ObjectRecord) -> bool:
    return not obj.restore_known or (
        obj.storage_class in COUNTS_FROM_TRANSITION and obj.transition_time is None
    )


def complete_with_heads(
    bucket, objects: list[ObjectRecord], *, threads: int = 8, cancel: Control | None = None
) -> int:
    """HEAD the objects whose price depends on what only HEAD says; returns the HEAD count."""

    todo = [i for i, o in enumerate(objects) if _needs_head(o)]
    if not todo:
        return 0

    def one(index: int) -> None:
        check(cancel)
        obj = objects[index]
        head = head_info(bucket, obj.key, obj)
        if head is None:
            return  # deleted meanwhile: the run will find out and say so
        objects[index] = replace(
            obj,
            restore=head.restore,
            restore_known=True,
            transition_time=head.transition_time,
            crc64=head.crc64,
        )

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for future in [pool.submit(one, i) for i in todo]:
            future.result()
    return len(todo)


def iter_pages(bucket, prefix: str, *, cancel: Control | None = None):
    """Pages (lists of ObjectRecord) of every object whose key starts with `prefix`."""
    # The fs layer's listing path: same fields as oss2's parser, several times cheaper; the
    # next page is fetched while this one is read (a cancel leaves at most that one behind).
    pages = prefetch(iter_listing_pages(bucket, prefix=prefix, max_keys=LIST_PAGE))
    while True:
        check(cancel)
        result = next(pages, None)
        if result is None:
            return
        yield result.object_list  # already records (fs.records.from_listing)


def enumerate_prefix(
    bucket,
    prefix: str,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: Control | None = None,
    inspect: bool = True,
    threads: int = 8,
    select: Callable[[str, ObjectRecord], bool] | None = None,
) -> Enumeration:
    """Every object under `prefix` (the folder marker included), with counts of requests.

    `select` (`ops.filters.predicate`) keeps only what a filter selects, asked with the key
    below `prefix`, page by page: the left-out objects are neither held nor HEADed."""
    found = Enumeration(objects=[])
    total_bytes = 0
    for page in iter_pages(bucket, prefix, cancel=cancel):
        found.list_requests += 1
        if select is not None:
            page = [o for o in page if select(o.key[len(prefix) :], o)]
        found.objects.extend(page)
        total_bytes += sum(o.size for o in page)
        if on_progress:
            on_progress(Progress(len(found.objects), total_bytes, found.list_requests))
    if inspect:
        found.head_requests = complete_with_heads(
            bucket, found.objects, threads=threads, cancel=cancel
        )
    if on_progress:
        on_progress(Progress(len(found.objects), total_bytes, found.list_requests, done=True))
    return found


def enumerate_keys(
    bucket, keys: Iterable[str], *, cancel: Control | None = None, threads: int = 8
) -> Enumeration:
    """Marked entries: HEAD each (in parallel); missing keys are left out."""

    keys = list(keys)
    results: list[ObjectRecord | None] = [None] * len(keys)

    def one(index: int) -> None:
        check(cancel)
        results[index] = head_info(bucket, keys[index])

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for future in [pool.submit(one, i) for i in range(len(keys))]:
            future.result()
    return Enumeration([r for r in results if r is not None], 0, len(keys))
