"""Versioned buckets through oss2: the bucket's versioning status, and its versions listed.

Versions and delete markers come back as the product's one object record (`fs.records`):
`version_id`, `is_latest` and `delete_marker` say which is which, in the answer's own order
(each key's newest first). The pages are sent and read by the one listing module
(`fs.listing_xml`, the signed request in `gateway.listing`), as ListObjectsV2 pages are.
Single versions of an object are read, copied, deleted, restored and ACL'd through
`gateway.objects` with `version_id=`.

Every call here is idempotent, so each goes through the one retry rule (`fs.retrying`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ossbrowse.fs import listing_xml
from ossbrowse.fs.gateway.failures import request
from ossbrowse.fs.gateway.handle import BucketHandle, sdk_bucket
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.retrying import DEFAULT_RETRY, RetryPolicy

ENABLED = "Enabled"
SUSPENDED = "Suspended"
STATUSES = (ENABLED, SUSPENDED)
PAGE_SIZE = listing_xml.MAX_KEYS  # the most one ListObjectVersions page may hold


@request("oss:GetBucketVersioning", key=None)
def _get_versioning(handle: BucketHandle) -> Any:
    return sdk_bucket(handle).get_bucket_versioning()


@request("oss:PutBucketVersioning", key=None)
def _put_versioning(handle: BucketHandle, config: Any) -> None:
    sdk_bucket(handle).put_bucket_versioning(config)


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


# One ListObjectVersions page: the listing module reads it (fs.listing_xml).
VersionsPage = listing_xml.VersionsPage


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
    """One ListObjectVersions page under `prefix`, after (`key_marker`, `version_id_marker`):
    versions and delete markers in the answer's order."""
    return policy.call(
        partial(
            listing_xml.list_object_versions,
            bucket,
            prefix=prefix,
            delimiter=delimiter,
            key_marker=key_marker,
            version_id_marker=version_id_marker,
            max_keys=max_keys,
        )
    )


def iter_version_pages(
    bucket: BucketHandle,
    prefix: str = "",
    delimiter: str = "",
    *,
    key_marker: str = "",
    version_id_marker: str = "",
    page_size: int = PAGE_SIZE,
    first_page_size: int | None = None,
    policy: RetryPolicy = DEFAULT_RETRY,
) -> Iterator[VersionsPage]:
    """Every page of ListObjectVersions under `prefix`, one request each, as the caller reads
    on (the first `first_page_size` entries if given, for a caller that shows it at once)."""
    return listing_xml.iter_version_pages(
        bucket,
        prefix=prefix,
        delimiter=delimiter,
        key_marker=key_marker,
        version_id_marker=version_id_marker,
        max_keys=page_size,
        first_max_keys=first_page_size,
        retry=policy,
    )


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
