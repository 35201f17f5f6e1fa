"""Version operations over a prefix, planned and priced before anything changes, then run:

- undelete everything deleted after a time: which delete markers to remove (`plan_undelete`);
- revert to the state before a time, or one key to a given version (`plan_revert`);
- delete every version for good (`plan_delete_versions`, what `rm --all-versions` does).

A plan is data (the bucket handle aside): the keys and version ids it will touch, and its
price (`ops.version_pricing`). The `run_*` functions report (done, total) and stop between
requests on their cancel token, so they run as they are in a verb or as a task in the UI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ossbrowse.errors import OssBrowseError, UsageError
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.pricing import Price
from ossbrowse.ops.version_pricing import price_delete_versions, price_revert, price_undelete
from ossbrowse.ops.versions import (
    bucket_versioning,
    delete_version,
    find_version,
    key_versions,
    markers_on_top,
    restore_version,
    version_pages,
    why_not_restorable,
)
from ossbrowse.tasks.control import Control, check
from ossbrowse.text import safe_text

Progress = Callable[[int, int], None]  # (done, total)
Scanning = Callable[[int], None]  # keys looked at so far


@dataclass(slots=True)
class History:
    """Every version and delete marker of one key, newest first."""

    key: str
    versions: list[ObjectRecord]

    @property
    def current(self) -> ObjectRecord:
        return self.versions[0]


@dataclass(slots=True)
class Scan:
    histories: list[History]
    list_requests: int = 0


def histories(
    bucket: Any,
    prefix: str,
    *,
    cancel: Control | None = None,
    on_scan: Scanning | None = None,
    counter: list[int] | None = None,
) -> Iterator[History]:
    """Each key under `prefix` (the whole tree) with its versions, in key order, streamed:
    OSS lists a key's versions together, newest first, across page boundaries too.
    `counter[0]` counts the ListObjectVersions requests sent."""
    key: str | None = None
    found: list[ObjectRecord] = []
    seen = 0
    for page in version_pages(bucket, prefix, delimiter="", first_page=1000, cancel=cancel):
        if counter is not None:
            counter[0] += 1
        for record in page.records:
            if record.key != key:
                if key is not None:
                    yield History(key, found)
                    seen += 1
                key, found = record.key, []
            found.append(record)
        if on_scan is not None:
            on_scan(seen)
    if key is not None:
        yield History(key, found)


def _scan_one(bucket: Any, key: str, cancel: Control | None) -> Scan:
    versions = key_versions(bucket, key, cancel=cancel)
    return Scan([History(key, versions)] if versions else [], 1)


@dataclass(slots=True)
class Report:
    """What a run did: items done of the total, and those that failed with why."""

    done: int = 0
    total: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False


def _run(
    items: list[Any],
    one: Callable[[Any], None],
    name: Callable[[Any], str],
    *,
    cancel: Control | None,
    on_progress: Progress | None,
) -> Report:
    """Each item through `one`, a failure recorded against the item (the others go on)."""
    report = Report(total=len(items))
    for item in items:
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            break
        try:
            one(item)
        except OssBrowseError as exc:
            if cancel is not None and cancel.cancelled:
                report.cancelled = True
                break
            report.failed.append((name(item), str(exc)))
        else:
            report.done += 1
        if on_progress is not None:
            on_progress(report.done + len(report.failed), report.total)
    return report


# -- undelete everything deleted after a time -------------------------------------------------


@dataclass(slots=True)
class Undelete:
    """One key to bring back: the markers to remove (newest first) and the version it shows."""

    key: str
    markers: list[ObjectRecord]
    comes_back: ObjectRecord


@dataclass(slots=True)
class UndeletePlan:
    bucket: Any  # an oss2.Bucket, held as the gateway's opaque handle
    prefix: str
    after: float | None
    items: list[Undelete]
    price: Price
    still_deleted: int = 0  # deleted keys left as they are (deleted earlier, nothing to show)


def undelete_item(history: History, after: float | None) -> Undelete | None:
    """What undeleting `history`'s key takes, when its key was deleted after `after` (any time
    when None): the markers on top must all be that recent, and a version lie under them."""
    markers, comes_back = markers_on_top(history.versions)
    if not markers or comes_back is None:
        return None
    if after is not None and any((m.last_modified or 0.0) < after for m in markers):
        return None  # deleted before the time asked about: it stays deleted
    return Undelete(history.key, markers, comes_back)


def plan_undelete(
    bucket: Any,
    prefix: str,
    *,
    after: float | None = None,
    cancel: Control | None = None,
    on_scan: Scanning | None = None,
) -> UndeletePlan:
    """Every key under `prefix` whose delete markers on top were all added at or after
    `after`: their markers go, their newest versions are current again. Nothing changes."""
    counter = [0]
    items: list[Undelete] = []
    deleted = 0
    for history in histories(bucket, prefix, cancel=cancel, on_scan=on_scan, counter=counter):
        if history.current.delete_marker:
            deleted += 1
            item = undelete_item(history, after)
            if item is not None:
                items.append(item)
    price = price_undelete(
        [i.comes_back for i in items],
        sum(len(i.markers) for i in items),
        list_requests=counter[0],
        versioning=bucket_versioning(bucket),
    )
    return UndeletePlan(bucket, prefix, after, items, price, deleted - len(items))


def run_undelete(
    plan: UndeletePlan,
    *,
    cancel: Control | None = None,
    on_progress: Progress | None = None,
    read_only: bool = False,
) -> Report:
    """Remove each planned key's markers (DeleteObject with their version ids)."""
    ensure_writable(read_only, "undelete objects")

    def one(item: Undelete) -> None:
        for marker in item.markers:
            check(cancel)
            delete_version(plan.bucket, marker, cancel=cancel)

    return _run(plan.items, one, lambda i: i.key, cancel=cancel, on_progress=on_progress)


# -- revert to a time, or to a version --------------------------------------------------------


@dataclass(slots=True)
class Revert:
    """One key to revert: copy `source` over `current`, or (source None) hide `current`
    behind a delete marker, because the key did not exist at the time asked for."""

    key: str
    source: ObjectRecord | None
    current: ObjectRecord | None  # None: the key is deleted now (a marker on top)


@dataclass(slots=True)
class RevertPlan:
    bucket: Any
    target: str  # the key or prefix
    before: float | None
    items: list[Revert]
    price: Price
    unchanged: int = 0  # keys already as they were


def _same_content(a: ObjectRecord, b: ObjectRecord) -> bool:
    return bool(a.etag) and a.etag == b.etag and a.size == b.size


def revert_item(history: History, before: float) -> Revert | None:
    """What makes `history`'s key read as it did just before `before`, or None if it does.

    The version current then is the newest entry older than `before`: a version is copied
    over the current one; a delete marker (or nothing: the key was made later) means the key
    did not exist, so it is deleted (a marker, undeletable) if it exists now."""
    now = history.current
    current = None if now.delete_marker else now
    then = next((v for v in history.versions if (v.last_modified or 0.0) < before), None)
    if then is None or then.delete_marker:
        return Revert(history.key, None, current) if current is not None else None
    if then is now or (current is not None and _same_content(then, current)):
        return None  # already reads as it did (a revert run before made a copy of `then`)
    return Revert(history.key, then, current)


def _price_revert(bucket: Any, items: list[Revert], list_requests: int) -> Price:
    copies = [(i.source, i.current) for i in items if i.source is not None]
    hides = [i.current for i in items if i.source is None and i.current is not None]
    return price_revert(
        copies, hides, list_requests=list_requests, versioning=bucket_versioning(bucket)
    )


def plan_revert(
    bucket: Any,
    target: str,
    *,
    before: float | None = None,
    version_id: str | None = None,
    recursive: bool = False,
    cancel: Control | None = None,
    on_scan: Scanning | None = None,
) -> RevertPlan:
    """Revert the key `target` to `version_id`, or `target` (a key, or a prefix with
    `recursive`) to its state just before `before`. Nothing changes."""
    if (before is None) == (version_id is None):
        raise UsageError("Say what to revert to: a version id, or a time.")
    if version_id is not None:
        if recursive or not target or target.endswith("/"):
            raise UsageError("A version id names one object's version: give the object's URL.")
        versions = key_versions(bucket, target, cancel=cancel)
        source = find_version(bucket, target, version_id, versions=versions)
        now = versions[0]
        current = None if now.delete_marker else now
        one = [] if source is now else [Revert(target, source, current)]
        return RevertPlan(bucket, target, None, one, _price_revert(bucket, one, 1), 1 - len(one))
    assert before is not None
    if recursive:
        counter = [0]
        found: Iterable[History] = histories(
            bucket, target, cancel=cancel, on_scan=on_scan, counter=counter
        )
    else:
        if not target or target.endswith("/"):
            raise UsageError(
                f"{safe_text(target) or 'The bucket'} is a folder.",
                hint="Add -r to revert everything under it.",
            )
        scan = _scan_one(bucket, target, cancel)
        found, counter = scan.histories, [scan.list_requests]
    items: list[Revert] = []
    unchanged = 0
    for history in found:
        item = revert_item(history, before)
        if item is None:
            unchanged += 1
        else:
            items.append(item)
    return RevertPlan(bucket, target, before, items, _price_revert(bucket, items, counter[0]),
                      unchanged)  # fmt: skip


def run_revert(
    plan: RevertPlan,
    *,
    cancel: Control | None = None,
    on_progress: Progress | None = None,
    read_only: bool = False,
) -> Report:
    """Copy each planned version over its key, or delete (a marker) what did not exist."""
    ensure_writable(read_only, "revert objects")
    from ossbrowse.fs.gateway import objects
    from ossbrowse.fs.retrying import DEFAULT_RETRY
    from ossbrowse.ops.failures import oss_error

    bucket = plan.bucket

    def one(item: Revert) -> None:
        if item.source is not None:
            reason = why_not_restorable(item.source)
            if reason:
                raise UsageError(f"not reverted: {reason}")
            restore_version(bucket, item.source, cancel=cancel)
            return
        key = item.key
        try:
            DEFAULT_RETRY.call(lambda: objects.delete_object(bucket, key), cancel=cancel)
        except Exception as exc:
            raise oss_error(exc, action="oss:DeleteObject", bucket=bucket.bucket_name,
                            key=key) from exc  # fmt: skip

    return _run(plan.items, one, lambda i: i.key, cancel=cancel, on_progress=on_progress)


# -- delete every version for good ------------------------------------------------------------


@dataclass(slots=True)
class DeleteVersionsPlan:
    bucket: Any
    versions: list[ObjectRecord]
    price: Price
    keys: int = 0


def plan_delete_versions(
    bucket: Any,
    *,
    prefixes: Iterable[str] = (),
    keys: Iterable[str] = (),
    versions: Iterable[ObjectRecord] = (),
    cancel: Control | None = None,
    on_scan: Scanning | None = None,
    now: float | None = None,
) -> DeleteVersionsPlan:
    """Every version and delete marker under each of `prefixes` (the whole tree; "" is the
    bucket), of each of `keys`, and the listed `versions` themselves: deleted for good, priced
    per version. Nothing changes."""
    chosen: list[ObjectRecord] = list(versions)
    counter = [0]
    names: set[str] = {v.key for v in chosen}
    for prefix in prefixes:
        for history in histories(bucket, prefix, cancel=cancel, on_scan=on_scan, counter=counter):
            chosen.extend(history.versions)
            names.add(history.key)
    for key in keys:
        found = key_versions(bucket, key, cancel=cancel)
        counter[0] += 1
        chosen.extend(found)
        if found:
            names.add(key)
    seen: set[tuple[str, str]] = set()
    unique = []
    for version in chosen:
        ident = (version.key, version.version_id)
        if ident not in seen:
            seen.add(ident)
            unique.append(version)
    price = price_delete_versions(
        unique, list_requests=counter[0], versioning=bucket_versioning(bucket), now=now
    )
    return DeleteVersionsPlan(bucket, unique, price, len(names))


def run_delete_versions(
    plan: DeleteVersionsPlan,
    *,
    cancel: Control | None = None,
    on_progress: Progress | None = None,
    read_only: bool = False,
) -> Report:
    """Delete each planned version by its id (DeleteObject with versionId), for good."""
    ensure_writable(read_only, "delete versions")

    def one(version: ObjectRecord) -> None:
        delete_version(plan.bucket, version, cancel=cancel)

    def name(version: ObjectRecord) -> str:
        return f"{version.key} (version {version.version_id})"

    return _run(plan.versions, one, name, cancel=cancel, on_progress=on_progress)
