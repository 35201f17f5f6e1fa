"""One server-side copy for the mover, and the check that the copy equals its source.

Objects up to 1 GB go in one CopyObject. Larger ones need UploadPartCopy: that is the transfer
engine's (`ossbrowse.transfer.servercopy`), the one implementation of it in the project. The
storage class is carried over explicitly, because CopyObject without `x-oss-storage-class`
gives the destination the bucket's class.
"""

from __future__ import annotations

from dataclasses import dataclass

from ossbrowse.fs.gateway import objects
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.retrying import DEFAULT_RETRY, RetryPolicy
from ossbrowse.ops.classes import COPY_OBJECT_LIMIT
from ossbrowse.ops.failures import oss_error

__all__ = ["CopyResult", "copy_one", "verify_copy", "with_retries"]


@dataclass(frozen=True, slots=True)
class CopyResult:
    etag: str
    crc64: int | None
    version_id: str = ""  # the copy's own, from a versioned bucket's CopyObject answer


def _multipart_copy(
    dst_bucket, src_bucket, obj: ObjectRecord, dst_key: str, headers: dict[str, str], cancel,
    version_id: str = "",
) -> CopyResult:  # fmt: skip
    """Over 1 GB: the transfer engine's UploadPartCopy (one implementation, parallel parts,
    pinned to `version_id` when one is copied, CRC64 checked); the mover still verifies the
    result itself afterwards."""
    from ossbrowse.transfer.oneshot import one_transfer
    from ossbrowse.transfer.servercopy import copy_object

    # The mover's task control is the engine's kind: its parts stop on the same cancel.
    with one_transfer(cancel) as ctx:
        copy_object(
            ctx, src_bucket, obj.key, dst_bucket, dst_key,
            copy_limit=COPY_OBJECT_LIMIT, extra_headers=headers, version_id=version_id,
        )  # fmt: skip
    return CopyResult("", None)  # a multipart ETag never equals the source's: verify by CRC


def with_retries(fn, *, cancel=None, policy: RetryPolicy = DEFAULT_RETRY):
    """`fn()` under the one retry rule (`fs.retrying`); a cancel during a backoff ends it."""
    return policy.call(fn, cancel=cancel)


def copy_one(
    dst_bucket,
    src_bucket_name: str,
    obj: ObjectRecord,
    dst_key: str,
    *,
    cancel=None,
    src_bucket=None,
    version_id: str = "",
) -> CopyResult:
    """Copy `obj` (its version `version_id`, when given) to `dst_key` in `dst_bucket`, keeping
    its storage class; raise on failure.

    Objects over 1 GB need `src_bucket` (the source bucket's handle) for UploadPartCopy.
    """
    headers = {"x-oss-storage-class": obj.storage_class} if obj.storage_class else {}
    if obj.size > COPY_OBJECT_LIMIT:
        if src_bucket is None:
            raise ValueError("copy_one needs src_bucket for objects over 1 GB")
        return _multipart_copy(dst_bucket, src_bucket, obj, dst_key, headers, cancel, version_id)

    def attempt() -> CopyResult:
        result = objects.copy_object(
            dst_bucket, (src_bucket_name, obj.key), dst_key, headers, source_version_id=version_id
        )
        return CopyResult((result.etag or "").strip('"'), result.crc, result.version_id)

    try:
        # A copy sent again writes the same bytes again: safe after an answer lost on the way.
        return with_retries(attempt, cancel=cancel)
    except Exception as exc:  # network failures too: what leaves here is a sentence
        raise oss_error(exc, action="oss:CopyObject", bucket=src_bucket_name, key=obj.key) from exc


def same_etag(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip('"').upper() == b.strip('"').upper())


def verify_copy(
    src_bucket, dst_bucket, obj: ObjectRecord, dst_key: str, copied: CopyResult
) -> bool:
    """True only when the destination provably holds the source's bytes."""
    return verified_source_etag(src_bucket, dst_bucket, obj, dst_key, copied) is not None


def verified_source_etag(
    src_bucket, dst_bucket, obj: ObjectRecord, dst_key: str, copied: CopyResult, *, cancel=None
) -> str | None:
    """The source's ETag whose bytes the destination provably holds; None when unproven.

    A copy whose ETag equals the listed source ETag holds the bytes that were listed. Otherwise
    (multipart copies change the ETag; the source may have changed since the listing) both are
    HEADed and their CRC64 and size compared. Unknown CRCs never count as equal. The ETag
    returned is what the source must still have when it is deleted.
    """
    if same_etag(copied.etag, obj.etag):
        return (obj.etag or "").strip('"')
    try:
        src = with_retries(lambda: objects.head(src_bucket, obj.key), cancel=cancel)
        dst = with_retries(lambda: objects.head(dst_bucket, dst_key), cancel=cancel)
    except Exception:
        return None  # unproven: the source stays
    if src.crc64 is None or dst.crc64 is None:
        equal = same_etag(src.etag, dst.etag) and src.size == dst.size
    else:
        equal = src.crc64 == dst.crc64 and src.size == dst.size
    return src.etag if equal and src.etag else None
