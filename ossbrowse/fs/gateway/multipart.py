"""Multipart uploads through oss2: the uploads and parts OSS holds, completing one safely.

Callers hand a `BucketHandle` and parts as (number, ETag) pairs and never build oss2's
PartInfo themselves; failures leave as `ossbrowse.errors` errors (`errors.NoSuchUpload` when
the upload is gone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ossbrowse.errors import NoSuchUpload
from ossbrowse.fs.gateway.failures import request
from ossbrowse.fs.gateway.handle import BucketHandle, sdk_bucket
from ossbrowse.fs.gateway.objects import Written, head
from ossbrowse.fs.retrying import DEFAULT_RETRY, Interruptible, RetryPolicy


@dataclass(frozen=True)
class ListedPart:
    """One part OSS holds for an unfinished upload."""

    number: int
    etag: str  # as OSS gives it (quotes stripped)
    size: int


@dataclass(frozen=True)
class ListedUpload:
    """One unfinished multipart upload."""

    key: str
    upload_id: str
    initiated: float  # seconds since the epoch


@dataclass(frozen=True)
class UploadsPage:
    """One ListMultipartUploads page; the markers ask for the next one when `truncated`."""

    uploads: list[ListedUpload]
    truncated: bool
    next_key_marker: str
    next_upload_id_marker: str


@request("oss:ListMultipartUploads")
def list_uploads(
    handle: BucketHandle, *, prefix: str, key_marker: str, upload_id_marker: str, max_uploads: int
) -> UploadsPage:
    """One page of the unfinished multipart uploads under `prefix`."""
    result = sdk_bucket(handle).list_multipart_uploads(
        prefix=prefix,
        key_marker=key_marker,
        upload_id_marker=upload_id_marker,
        max_uploads=max_uploads,
    )
    return UploadsPage(
        [ListedUpload(u.key, u.upload_id, float(u.initiation_date)) for u in result.upload_list],
        bool(result.is_truncated),
        result.next_key_marker or "",
        result.next_upload_id_marker or "",
    )


@request("oss:InitiateMultipartUpload", resend=False)  # each would start an upload
def init_upload(handle: BucketHandle, key: str, headers: dict[str, str] | None = None) -> str:
    """InitiateMultipartUpload; the new upload's id."""
    return str(sdk_bucket(handle).init_multipart_upload(key, headers=headers).upload_id)


@request("oss:UploadPart")
def upload_part(handle: BucketHandle, key: str, upload_id: str, number: int, data: Any) -> Written:
    """UploadPart `number` of `data` (bytes or a readable body): its ETag and CRC64."""
    result = sdk_bucket(handle).upload_part(key, upload_id, number, data)
    return Written(result.etag, result.crc)


@request("oss:UploadPartCopy", key="source")
def upload_part_copy(
    handle: BucketHandle,
    key: str,
    upload_id: str,
    number: int,
    source: tuple[str, str],
    byte_range: tuple[int, int],
    headers: dict[str, str] | None = None,
    *,
    source_version_id: str = "",
) -> Written:
    """UploadPartCopy of bytes [first, last] (inclusive) of `source` (bucket name, key; one
    version of it with `source_version_id`)."""
    src_bucket, src_key = source
    params = {"versionId": source_version_id} if source_version_id else None
    result = sdk_bucket(handle).upload_part_copy(
        src_bucket, src_key, byte_range, key, upload_id, number, headers=headers, params=params
    )
    return Written(result.etag, getattr(result, "crc", None))


@request("oss:AbortMultipartUpload")
def abort_upload(handle: BucketHandle, key: str, upload_id: str) -> None:
    """AbortMultipartUpload: OSS drops the parts."""
    sdk_bucket(handle).abort_multipart_upload(key, upload_id)


@request("oss:ListParts")
def list_parts(handle: BucketHandle, key: str, upload_id: str) -> list[ListedPart]:
    """Every part of `upload_id` (all pages); raises `errors.NoSuchUpload` when the upload is
    gone."""
    from ossbrowse.fs.gateway.sdk import oss2

    return [
        ListedPart(info.part_number, (info.etag or "").strip('"'), int(info.size or 0))
        for info in oss2.PartIterator(sdk_bucket(handle), key, upload_id)
    ]


@request("oss:CompleteMultipartUpload", resend=False)  # complete_multipart_upload retries
def _complete(
    handle: BucketHandle, key: str, upload_id: str, infos: list[Any], headers: dict[str, str] | None
) -> Completed:
    done = sdk_bucket(handle).complete_multipart_upload(key, upload_id, infos, headers=headers)
    return Completed(done.crc, (done.etag or "").strip('"'))


def complete_multipart_upload(
    handle: BucketHandle,
    key: str,
    upload_id: str,
    parts: Iterable[tuple[int, str]],
    *,
    expect_crc: int | None = None,
    policy: RetryPolicy = DEFAULT_RETRY,
    control: Interruptible | None = None,
    headers: dict[str, str] | None = None,
) -> Completed:
    """CompleteMultipartUpload of `parts` ((number, ETag) pairs), safe to send again.

    An attempt after the first that answers NoSuchUpload means an earlier one completed and
    its answer was lost on the way; the object's HEAD then stands in for the answer, but only
    when its CRC64 is `expect_crc` (when known): an upload that truly vanished (aborted by
    someone else) is not taken for success.
    """
    from ossbrowse.fs.gateway.sdk import oss2

    infos = [oss2.models.PartInfo(number, etag) for number, etag in sorted(parts)]
    tries = 0

    def attempt() -> Completed:
        nonlocal tries
        tries += 1
        try:
            return _complete(handle, key, upload_id, infos, headers)
        except NoSuchUpload:
            if tries == 1:
                raise
            found = head(handle, key)
            if expect_crc is not None and found.crc64 != expect_crc:
                raise
            return Completed(found.crc64, (found.etag or "").strip('"'), from_head=True)

    return policy.call(attempt, control)


@dataclass(frozen=True)
class Completed:
    """What a CompleteMultipartUpload answered: the object's CRC64 and ETag. `from_head` is
    True when the success answer was lost and a HEAD of the object stood in for it."""

    crc: int | None
    etag: str
    from_head: bool = False
