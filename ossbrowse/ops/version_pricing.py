"""Prices of the version operations: delete versions for good, undelete, revert to a version.

Pure logic over listed versions (`fs.records.ObjectRecord` with `version_id`, `is_latest`,
`delete_marker`); no network. Counts, never money, as `ops.pricing` explains. A deleted
version is charged for early deletion on its own: each version has its own class and age.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.classes import COPY_OBJECT_LIMIT
from ossbrowse.ops.pricing import (
    Blocked,
    Price,
    blocked_reason,
    copy_parts,
    count_removed,
    count_replaced,
    early_deletion,
)

LIST_VERSIONS = "ListObjectVersions"


def price_delete_versions(
    versions: Iterable[ObjectRecord],
    *,
    list_requests: int = 0,
    versioning: str = "Enabled",
    now: float | None = None,
) -> Price:
    """Deleting each version (or delete marker) by its id: one DeleteObject each, its bytes
    freed, early deletion charged per version still inside its class's minimum duration."""
    now = time.time() if now is None else now
    price = Price("delete-versions", versioning=versioning or "Enabled")
    price.add_requests(LIST_VERSIONS, list_requests)
    for version in versions:
        price.objects += 1
        price.bytes += version.size
        price.freed_bytes += version.size
        if version.delete_marker:
            continue  # a marker has no body and no class: nothing to charge
        charge = early_deletion(version, now)
        if charge:
            price.early_deletions.append(charge)
    price.add_requests("DeleteObject", price.objects)
    return price


def price_undelete(
    comes_back: Iterable[ObjectRecord],
    markers: int,
    *,
    list_requests: int = 0,
    versioning: str = "Enabled",
) -> Price:
    """Removing `markers` delete markers so each version in `comes_back` is current again."""
    price = Price("undelete", versioning=versioning or "Enabled", delete_markers=markers)
    price.add_requests(LIST_VERSIONS, list_requests)
    for version in comes_back:
        price.objects += 1
        price.bytes += version.size
    price.add_requests("DeleteObject", markers)
    return price


def price_revert(
    copies: Iterable[tuple[ObjectRecord, ObjectRecord | None]],
    hides: Iterable[ObjectRecord],
    *,
    list_requests: int = 0,
    versioning: str = "Enabled",
    now: float | None = None,
) -> Price:
    """Reverting: each (older version, current version or None) is copied over the current
    one (CopyObject; the current version stays billed as an older one); each object in
    `hides` did not exist at the time asked for and gets a delete marker."""
    now = time.time() if now is None else now
    price = Price("revert", versioning=versioning or "Enabled")
    price.add_requests(LIST_VERSIONS, list_requests)
    for source, current in copies:
        price.objects += 1
        price.bytes += source.size
        reason = blocked_reason(source)
        if reason:
            price.blocked.append(Blocked(source.key, reason))
            continue
        if source.size > COPY_OBJECT_LIMIT:  # copied in parts, each pinned to the version
            price.add_requests("InitiateMultipartUpload", 1)
            price.add_requests("UploadPartCopy", copy_parts(source.size))
            price.add_requests("CompleteMultipartUpload", 1)
        else:
            price.add_requests("CopyObject", 1)
        if current is not None:
            count_replaced(price, current, price.versioning, now)
    hidden = 0
    for current in hides:
        hidden += 1
        price.objects += 1  # changed too: hidden behind a marker (its bytes stay billed)
        count_removed(price, current, price.versioning, now)
    price.add_requests("DeleteObject", hidden)
    return price
