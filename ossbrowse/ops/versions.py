"""Versions of objects in a versioned bucket: the bucket's state, a prefix's versions page by
page, one key's versions, and the single-version actions: restore a version over the current
one (ossutil's revert), undelete (remove the delete markers on top), delete a version for good.

Plans over a whole prefix (undelete everything deleted after a time, revert to a time, delete
every version) are in `ops.version_plans`, their prices in `ops.version_pricing`. Everything
goes through the gateway (`fs.gateway.versions`, `fs.gateway.objects` with `version_id=`);
what OSS refuses leaves as an `ossbrowse.errors` sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ossbrowse.errors import NotFoundError, OssBrowseError, UsageError
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.gateway import versions as gateway
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.retrying import DEFAULT_RETRY
from ossbrowse.ops.copying import copy_one
from ossbrowse.ops.failures import oss_error
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.pricing import blocked_reason
from ossbrowse.tasks.control import Control, check
from ossbrowse.text import safe_text

ENABLED = gateway.ENABLED
SUSPENDED = gateway.SUSPENDED
# The first page is small so the first rows show at once (as the panes and `ls` do).
FIRST_PAGE = 100


def _name(bucket: Any) -> str:
    return str(bucket.bucket_name)


def bucket_versioning(bucket: Any) -> str:
    """ "Enabled", "Suspended", or "" for a bucket never versioned (or a server that does not
    do versioning: it answers NotImplemented, and such a bucket behaves as never versioned)."""
    try:
        return gateway.get_versioning(bucket)
    except OssBrowseError as exc:
        if exc.code == "NotImplemented":
            return ""
        raise


def _shared_start(keys: set[str]) -> str:
    """The longest prefix all `keys` share (that of the first and last in order)."""
    first, last = min(keys), max(keys)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def versioning_for_price(bucket: Any) -> str:
    """The bucket's versioning for a price: "" when it cannot be read (a RAM policy without
    GetBucketVersioning): the price is then that of an unversioned bucket, the usual case."""
    try:
        return bucket_versioning(bucket)
    except OssBrowseError:
        return ""


def with_version_ids(
    bucket: Any, records: list[ObjectRecord], versioning: str
) -> tuple[list[ObjectRecord], int]:
    """`records` (from a plain listing) with their current version ids, and the list requests
    it took: only a suspended bucket needs them (whether a delete or an overwrite frees a
    record's bytes depends on its current version being the null one)."""
    if versioning != SUSPENDED or not records:
        return records, 0
    from dataclasses import replace

    wanted = {r.key for r in records if not r.version_id}
    if not wanted:
        return records, 0
    last = max(wanted)
    ids: dict[str, str] = {}
    requests = 0
    for page in version_pages(bucket, _shared_start(wanted), delimiter="",
                              first_page=gateway.PAGE_SIZE):  # fmt: skip
        requests += 1
        for record in page.records:
            if record.is_latest and record.key in wanted:
                ids[record.key] = record.version_id
        if page.records and page.records[-1].key > last:
            break
    return [replace(r, version_id=ids.get(r.key, r.version_id)) for r in records], requests


def version_pages(
    bucket: Any,
    prefix: str = "",
    *,
    delimiter: str = "/",
    first_page: int = FIRST_PAGE,
    cancel: Control | None = None,
) -> Iterator[gateway.VersionsPage]:
    """ListObjectVersions under `prefix` page by page as they come (one level with the
    delimiter, the whole tree without); the first page small, the rest 1000 entries."""
    pages = gateway.iter_version_pages(bucket, prefix, delimiter, first_page_size=first_page)
    while True:
        check(cancel)  # between pages: the next request goes out only when asked for
        try:
            page = next(pages, None)
        except Exception as exc:
            raise oss_error(exc, action="oss:ListObjectVersions", bucket=_name(bucket)) from exc
        if page is None:
            return
        yield page


def key_versions(bucket: Any, key: str, *, cancel: Control | None = None) -> list[ObjectRecord]:
    """Every version and delete marker of exactly `key`, newest first (empty: none)."""
    found: list[ObjectRecord] = []
    for page in version_pages(bucket, key, delimiter="", first_page=gateway.PAGE_SIZE,
                              cancel=cancel):  # fmt: skip
        for record in page.records:
            # OSS lists by key, so `key`'s entries come before any longer key it prefixes.
            if record.key != key:
                return found
            found.append(record)
    return found


def find_version(
    bucket: Any,
    key: str,
    version_id: str,
    *,
    cancel: Control | None = None,
    versions: list[ObjectRecord] | None = None,
) -> ObjectRecord:
    """The listed version `version_id` of `key` ("null" names the null version), looked for
    in `versions` (the key's, already listed) or listed now."""
    if versions is None:
        versions = key_versions(bucket, key, cancel=cancel)
    for record in versions:
        if record.version_id == version_id:
            return record
    raise NotFoundError(
        f"oss://{_name(bucket)}/{safe_text(key)} has no version {safe_text(version_id)}.",
        hint=f"ossbrowse ls --versions oss://{_name(bucket)}/{safe_text(key)} lists its versions.",
    )


def version_head(bucket: Any, key: str, version_id: str) -> ObjectRecord:
    """HEAD of one version: every header-borne fact (CRC64, restore state, metadata)."""
    try:
        return DEFAULT_RETRY.call(lambda: objects.head(bucket, key, version_id=version_id))
    except Exception as exc:
        raise oss_error(exc, action="oss:HeadObject", bucket=_name(bucket), key=key) from exc


def why_not_restorable(version: ObjectRecord) -> str | None:
    """Why `version` cannot be copied over its key's current version, or None."""
    if version.delete_marker:
        return "it is a delete marker: it has no content (undelete removes it instead)"
    return blocked_reason(version) or None


@dataclass(frozen=True, slots=True)
class Restored:
    """A version copied over the current one: the new current version's id."""

    key: str
    from_version: str
    new_version: str


def restore_version(
    bucket: Any,
    version: ObjectRecord,
    *,
    read_only: bool = False,
    cancel: Control | None = None,
) -> Restored:
    """Copy `version` over its key's current version (CopyObject with the version as source,
    keeping its storage class; over 1 GB the transfer engine's part copies, each pinned to the
    version): the key reads as that version again, and the version that was current stays as
    an older one. ossutil's `revert`."""
    ensure_writable(read_only, "restore a version")
    key = version.key
    reason = why_not_restorable(version)
    if reason:
        raise UsageError(
            f"Version {safe_text(version.version_id)} of {safe_text(key)} cannot be restored: "
            f"{reason}."
        )
    # Copying the same version again writes the same bytes again: safe to repeat.
    copied = copy_one(bucket, _name(bucket), version, key, cancel=cancel, src_bucket=bucket,
                      version_id=version.version_id)  # fmt: skip
    new_version = copied.version_id
    if not new_version:  # a part copy's completion: the key's current version is the copy
        new_version = version_head(bucket, key, "").version_id
    return Restored(key, version.version_id, new_version)


def markers_on_top(history: list[ObjectRecord]) -> tuple[list[ObjectRecord], ObjectRecord | None]:
    """The delete markers above a key's newest version (newest first), and that version: what
    an undelete removes and what it brings back. `history` is newest first, in the listing's
    own order (`key_versions`), so the markers on top are those before the first version."""
    markers: list[ObjectRecord] = []
    for record in history:
        if not record.delete_marker:
            return (markers if markers and markers[0].is_latest else []), record
        markers.append(record)
    return (markers if markers and markers[0].is_latest else []), None


def undelete(
    bucket: Any,
    key: str,
    *,
    read_only: bool = False,
    cancel: Control | None = None,
) -> ObjectRecord:
    """Remove the delete markers on top of `key`, so its newest version is current again;
    that version. Nothing is copied: it is the very version that was there before."""
    ensure_writable(read_only, "undelete an object")
    where = f"oss://{_name(bucket)}/{safe_text(key)}"
    markers, comes_back = markers_on_top(key_versions(bucket, key, cancel=cancel))
    if not markers:
        raise UsageError(f"{where} is not deleted: its current version is not a delete marker.")
    if comes_back is None:
        raise UsageError(
            f"{where} has only delete markers: there is no version to bring back.",
            hint="Its versions were deleted for good.",
        )
    for marker in markers:
        delete_version(bucket, marker, read_only=read_only, cancel=cancel)
    return comes_back


def delete_version(
    bucket: Any,
    version: ObjectRecord,
    *,
    read_only: bool = False,
    cancel: Control | None = None,
) -> objects.Deleted:
    """Delete one version (or delete marker) by its id, for good. Irreversible: callers price
    it and ask first (`version_pricing.price_delete_versions`)."""
    ensure_writable(read_only, "delete a version")
    if not version.version_id:
        raise UsageError(f"{safe_text(version.key)} has no version id: it is not a listed version.")
    key, version_id = version.key, version.version_id

    def attempt() -> objects.Deleted:
        return objects.delete_object(bucket, key, version_id=version_id)

    try:
        # Deleting a version that is already gone succeeds: safe to send again.
        return DEFAULT_RETRY.call(attempt, cancel=cancel)
    except Exception as exc:
        raise oss_error(exc, action="oss:DeleteObject", bucket=_name(bucket), key=key) from exc
