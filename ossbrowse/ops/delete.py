"""Delete a prefix or marked objects: enumerate, price (early-deletion charges), batch by 1000.

The batches go through `fs.delete_batch`, where no single key (a control character XML 1.0
cannot carry, a batch refused as a whole) can keep the others from being deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ossbrowse.errors import UsageError
from ossbrowse.fs.delete_batch import delete_keys
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.classes import DELETE_BATCH
from ossbrowse.ops.failures import oss_error
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.listing import (
    ProgressCallback,
    enumerate_keys,
    enumerate_prefix,
)
from ossbrowse.ops.pricing import Price, price_delete
from ossbrowse.ops.versions import versioning_for_price, with_version_ids
from ossbrowse.tasks import Control
from ossbrowse.text import safe_text


@dataclass
class DeletePlan:
    bucket: Any  # the gateway's BucketHandle (OssClient.bucket)
    objects: list[ObjectRecord]
    price: Price


@dataclass
class DeleteReport:
    deleted: int = 0
    total: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False


def plan_delete(
    bucket: Any,
    *,
    prefix: str | None = None,
    keys: Iterable[str] | None = None,
    recursive: bool = False,
    on_progress: ProgressCallback | None = None,
    cancel: Control | None = None,
    now: float | None = None,
    select: Callable[[str, ObjectRecord], bool] | None = None,
) -> DeletePlan:
    """What deleting a prefix (recursive) or these keys touches, priced. Nothing is changed.

    A key ending in `/` among `keys` is a folder: it is expanded only when `recursive`; `select`
    (a filter, see `ops.filters`) keeps what it selects below each prefix expanded.
    """
    objects: list[ObjectRecord] = []
    lists = heads = 0
    if prefix is not None:
        if not recursive:
            raise UsageError(
                f"{safe_text(prefix)} is a folder.", hint="Add -r to delete everything under it."
            )
        found = enumerate_prefix(
            bucket, prefix, on_progress=on_progress, cancel=cancel, select=select
        )
        objects.extend(found.objects)
        lists += found.list_requests
        heads += found.head_requests
    plain = []
    for key in keys or ():
        if key.endswith("/"):
            if not recursive:
                raise UsageError(
                    f"{safe_text(key)} is a folder.", hint="Add -r to delete everything under it."
                )
            found = enumerate_prefix(
                bucket, key, on_progress=on_progress, cancel=cancel, select=select
            )
            objects.extend(found.objects)
            lists += found.list_requests
            heads += found.head_requests
        else:
            plain.append(key)
    if plain:
        found = enumerate_keys(bucket, plain, cancel=cancel)
        objects.extend(found.objects)
        heads += found.head_requests
    seen: set[str] = set()
    unique = []
    for o in objects:  # the first of each key, in order
        if o.key not in seen:
            seen.add(o.key)
            unique.append(o)
    versioning = versioning_for_price(bucket)
    priced, version_lists = with_version_ids(bucket, unique, versioning)
    price = price_delete(
        priced, list_requests=lists, head_requests=heads, now=now, versioning=versioning
    )
    price.add_requests("ListObjectVersions", version_lists)
    return DeletePlan(bucket, unique, price)


def run_delete(
    plan: DeletePlan,
    *,
    cancel: Control | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    read_only: bool = False,
) -> DeleteReport:
    """Delete in DeleteMultipleObjects batches of up to 1000 keys; reports (done, total)."""
    ensure_writable(read_only, "delete objects")
    bucket = plan.bucket
    report = DeleteReport(total=len(plan.objects))
    keys = [o.key for o in plan.objects]
    for start in range(0, len(keys), DELETE_BATCH):
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            break
        batch = keys[start : start + DELETE_BATCH]
        outcome = delete_keys(bucket, batch, cancel=cancel)
        for key, exc in outcome.failed:
            error = oss_error(exc, action="oss:DeleteObject", bucket=bucket.bucket_name, key=key)
            report.failed.append((key, str(error)))
        report.deleted += len(outcome.deleted)
        if on_progress:
            on_progress(report.deleted, report.total)
    return report
