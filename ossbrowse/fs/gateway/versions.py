"""Versioned buckets through oss2: the bucket's versioning status, and its versions listed.

Versions and delete markers come back as the product's one object record (`fs.records`):
`version_id`, `is_latest` and `delete_marker` say which is which. Single versions of an object
are read, copied, deleted, restored and ACL'd through `gateway.objects` with `version_id=`.

Every call here is idempotent, so each goes through the one retry rule (`fs.retrying`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ossbrowse.fs.gateway.failures import request
from ossbrowse.fs.gateway.handle import BucketHandle, sdk_bucket
from ossbrowse.fs.records import ObjectRecord, delete_marker, from_version
from ossbrowse.fs.retrying import DEFAULT_RETRY, RetryPolicy

ENABLED = "Enabled"
SUSPENDED = "Suspended"
STATUSES = (ENABLED, SUSPENDED)
PAGE_SIZE = 1000  # the most one ListObjectVersions page may hold


@request("oss:GetBucketVersioning", key=None)
def _get_versioning(handle: BucketHandle) -> Any:
    return sdk_bucket(handle).get_bucket_versioning()


@request("oss:PutBucketVersioning", key=None)
def _put_versioning(handle: BucketHandle, config: Any) -> None:
    sdk_bucket(handle).put_bucket_versioning(config)


@request("oss:ListObjectVersions", key=None)
def _list_versions(handle: BucketHandle, /, **query: Any) -> Any:
    return sdk_bucket(handle).list_object_versions(**query)


def get_versioning(bucket: BucketHandle, *, policy: RetryPolicy = DEFAULT_RETRY) -> str:
    """GetBucketVersioning: "Enabled", "Suspended", or "" for a bucket never versioned."""
    result = policy.call(lambda: _get_versioning(bucket))
    return str(result.status or "")


def put_versioning(
    bucket: BucketHandle, status: str, *, policy: RetryPolicy = DEFAULT_RETRY
) -> None:
    """PutBucketVersioning to "Enabled" or "Suspended" (a bucket cannot go back to never)."""
    from ossbrowse.fs.gateway.sdk import oss2

    if status not in STATUSES:
        raise ValueError(f"versioning status must be one of {STATUSES}, not {status!r}")
    config = oss2.models.BucketVersioningConfig(status)
    policy.call(lambda: _put_versioning(bucket, config))


@dataclass(frozen=True, slots=True)
class VersionsPage:
    """One ListObjectVersions page. `records` holds versions and delete markers in OSS's
    order: by key, each key's newest first. Ask for the next page with both markers while
    `truncated`."""

    records: list[ObjectRecord]
    prefixes: list[str]  # common prefixes (with a delimiter), in key order
    truncated: bool
    next_key_marker: str
    next_version_id_marker: str


def _ordered(versions: list[ObjectRecord], markers: list[ObjectRecord]) -> list[ObjectRecord]:
    """Versions and delete markers in one list as OSS sent them.

    oss2 parses them into two lists, each in the answer's order (keys ascending, each key's
    newest first); merged back by key, then by time, newest first. Two entries of a key with
    the same second keep the current one first, then versions before markers.
    """
    if not markers:
        return versions
    if not versions:
        return markers
    both = versions + markers

    def order(r: ObjectRecord) -> tuple[str, bool, float]:
        return (r.key, not r.is_latest, -(r.last_modified or 0.0))

    both.sort(key=order)  # stable: ties keep versions before markers
    return both


def list_versions_page(
    bucket: BucketHandle,
    prefix: str = "",
    delimiter: str = "",
    key_marker: str = "",
    version_id_marker: str = "",
    max_keys: int = PAGE_SIZE,
    *,
    policy: RetryPolicy = DEFAULT_RETRY,
) -> VersionsPage:
    """One ListObjectVersions page under `prefix`, after (`key_marker`, `version_id_marker`)."""
    result = policy.call(
        lambda: _list_versions(
            bucket,
            prefix=prefix,
            delimiter=delimiter,
            key_marker=key_marker,
            max_keys=max_keys,
            versionid_marker=version_id_marker,
        )
    )
    versions = [
        from_version(
            v.key,
            v.versionid or "",
            bool(v.is_latest),
            _seconds(v.last_modified),
            v.etag,
            v.type or None,
            int(v.size or 0),
            v.storage_class or None,
            v.restore_info,
        )
        for v in result.versions
    ]
    markers = [
        delete_marker(m.key, m.versionid or "", bool(m.is_latest), _seconds(m.last_modified))
        for m in result.delete_marker
    ]
    truncated = bool(result.is_truncated)
    return VersionsPage(
        _ordered(versions, markers),
        list(result.common_prefix),
        truncated,
        (result.next_key_marker or "") if truncated else "",
        (result.next_versionid_marker or "") if truncated else "",
    )


def _seconds(value: object) -> float | None:
    """oss2 gives LastModified as whole seconds since the epoch (0 or "" when absent)."""
    if value is None or value == "":
        return None
    return float(value)  # type: ignore[arg-type]  # an int from oss2's parser


def iter_version_pages(
    bucket: BucketHandle,
    prefix: str = "",
    delimiter: str = "",
    *,
    key_marker: str = "",
    version_id_marker: str = "",
    page_size: int = PAGE_SIZE,
    policy: RetryPolicy = DEFAULT_RETRY,
) -> Iterator[VersionsPage]:
    """Every page of ListObjectVersions under `prefix`, one request each, as they come."""
    while True:
        page = list_versions_page(
            bucket,
            prefix,
            delimiter,
            key_marker,
            version_id_marker,
            page_size,
            policy=policy,
        )
        yield page
        if not page.truncated:
            return
        if (page.next_key_marker, page.next_version_id_marker) == (key_marker, version_id_marker):
            return  # a server that does not move on would loop forever
        key_marker, version_id_marker = page.next_key_marker, page.next_version_id_marker


def iter_versions(
    bucket: BucketHandle,
    prefix: str = "",
    *,
    page_size: int = PAGE_SIZE,
    policy: RetryPolicy = DEFAULT_RETRY,
) -> Iterator[ObjectRecord]:
    """Every version and delete marker under `prefix` (no delimiter: the whole tree), in OSS's
    order; pages are asked for as the caller reads on."""
    for page in iter_version_pages(bucket, prefix, page_size=page_size, policy=policy):
        yield from page.records
