"""Price a sync plan before it runs, in `ops.pricing`'s terms (counts, never money).

Copies: objects and bytes sent, and the requests each takes (one PutObject below the part
size, else a multipart upload; a HEAD and ranged GETs for a download; CopyObject, or part
copies above 1 GB, between buckets). A copy over an existing object replaces it, and deleting
an extra removes it: both are charged early deletion when the object is still inside its
class's minimum storage duration, and in a versioned bucket the previous version stays billed
(`pricing.count_replaced` / `count_removed`, the rules every price uses).
"""

from __future__ import annotations

import math
import time

from ossbrowse.ops.classes import COPY_OBJECT_LIMIT, DELETE_BATCH
from ossbrowse.ops.pricing import (
    Blocked,
    Price,
    copy_parts,
    count_removed,
    count_replaced,
)
from ossbrowse.ops.sync_plan import SyncPlan
from ossbrowse.transfer.plan import choose_part_size


def price_sync(
    plan: SyncPlan,
    *,
    part_size: int | None = None,
    versioning: str = "",
    now: float | None = None,
) -> Price:
    """What running `plan` costs; `versioning` is the destination bucket's state."""
    now = time.time() if now is None else now
    src_oss, dst_oss = plan.src.is_oss, plan.dst.is_oss
    price = Price("sync", versioning=versioning)
    price.add_requests("ListObjectsV2", plan.stats.list_requests)
    price.add_requests("HeadObject", plan.stats.head_requests)
    for difference in plan.copies:
        src = difference.src
        assert src is not None  # a copy always has its source
        price.objects += 1
        price.bytes += src.size
        if src.is_dir:  # an empty folder: a marker written at OSS, a folder made locally
            price.add_requests("PutObject", 1 if dst_oss else 0)
        elif src_oss and dst_oss:
            if src.size > COPY_OBJECT_LIMIT:
                price.add_requests("InitiateMultipartUpload", 1)
                price.add_requests("UploadPartCopy", copy_parts(src.size))
                price.add_requests("CompleteMultipartUpload", 1)
            else:
                price.add_requests("CopyObject", 1)
        elif dst_oss:
            price.upload_bytes += src.size
            part = choose_part_size(src.size, part_size)
            if src.size < part:
                price.add_requests("PutObject", 1)
            else:
                price.add_requests("InitiateMultipartUpload", 1)
                price.add_requests("UploadPart", math.ceil(src.size / part))
                price.add_requests("CompleteMultipartUpload", 1)
        elif src_oss:
            price.download_bytes += src.size
            price.add_requests("HeadObject", 1)  # the download pins the object's ETag first
            part = choose_part_size(src.size, part_size)
            price.add_requests("GetObject", max(1, math.ceil(src.size / part)))
        dst = difference.dst
        if dst is not None:
            price.overwrites += 1
            if dst.record is not None:
                count_replaced(price, dst.record, versioning, now)
    for difference in plan.deletes:
        dst = difference.dst
        assert dst is not None  # an extra is at the destination
        price.deletes += 1
        price.delete_bytes += dst.size
        if dst.record is not None:
            count_removed(price, dst.record, versioning, now)
    if dst_oss:
        price.add_requests("DeleteMultipleObjects", math.ceil(len(plan.deletes) / DELETE_BATCH))
    for difference in plan.blocked:
        price.blocked.append(Blocked(difference.key, difference.reason))
    return price


def destination_versioning(plan: SyncPlan) -> str:
    """The destination bucket's versioning state, for the price: asked only when the sync
    replaces or deletes objects there, so a sync with nothing to do stays list-only."""
    from ossbrowse.ops.sync_sides import OssTree

    touches = plan.deletes or any(d.dst is not None for d in plan.copies)
    if not isinstance(plan.dst, OssTree) or not touches:
        return ""
    from ossbrowse.ops.versions import bucket_versioning

    return bucket_versioning(plan.dst.bucket)
