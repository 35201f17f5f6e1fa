"""Object requests: HEAD, ranged GET, ACL, restore, tagging, presign, in the product's values.

Callers hand a `BucketHandle` and plain values (days and tier, a dict of tags) and get plain
values back; OSS's failures leave as `ossbrowse.errors` errors (`failures.request`), a body's
read failures too (`ObjectBody`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ossbrowse.fs.gateway.failures import request, translate
from ossbrowse.fs.gateway.handle import BucketHandle, sdk_bucket
from ossbrowse.fs.records import ObjectRecord


def _version(version_id: str) -> dict[str, str] | None:
    """The query that names one version of an object (`version_id` "" names the current one)."""
    return {"versionId": version_id} if version_id else None


@request("oss:GetObject")  # RAM allows HeadObject with oss:GetObject
def head(handle: BucketHandle, key: str, *, version_id: str = "") -> ObjectRecord:
    """HeadObject as the product's one object record (fs.records); a missing object raises
    `errors.NoSuchKey`."""
    bucket = sdk_bucket(handle)
    from ossbrowse.fs import records

    return records.from_head(key, bucket.head_object(key, params=_version(version_id)).headers)


@request("oss:RestoreObject")
def restore_object(
    handle: BucketHandle, key: str, days: int, tier: str | None = None, *, version_id: str = ""
) -> int:
    """Send RestoreObject for `days` (with a retrieval `tier` when the class takes one); the
    HTTP status: 202 a restore started, 200 an earlier one's copy extended."""
    bucket = sdk_bucket(handle)
    from ossbrowse.fs.gateway.sdk import oss2

    job = oss2.models.RestoreJobParameters(tier) if tier else None
    config = oss2.models.RestoreConfiguration(days, job)
    return int(bucket.restore_object(key, params=_version(version_id), input=config).status)


@request("oss:GetObjectTagging")
def read_tags(handle: BucketHandle, key: str) -> dict[str, str]:
    """GetObjectTagging: the object's tags as a dict."""
    bucket = sdk_bucket(handle)
    return dict(bucket.get_object_tagging(key).tag_set.tagging_rule)


def write_tags(handle: BucketHandle, key: str, tags: Mapping[str, str]) -> None:
    """PutObjectTagging with `tags`, or DeleteObjectTagging when there are none."""
    if tags:
        _put_tags(handle, key, tags)
    else:
        _delete_tags(handle, key)


@request("oss:PutObjectTagging")
def _put_tags(handle: BucketHandle, key: str, tags: Mapping[str, str]) -> None:
    from ossbrowse.fs.gateway.sdk import oss2

    rule = oss2.models.TaggingRule()
    for name, value in tags.items():
        rule.add(name, value)
    sdk_bucket(handle).put_object_tagging(key, oss2.models.Tagging(rule))


@request("oss:DeleteObjectTagging")  # its own RAM action
def _delete_tags(handle: BucketHandle, key: str) -> None:
    sdk_bucket(handle).delete_object_tagging(key)


@dataclass(frozen=True, slots=True)
class HeadAnswer:
    """A HEAD's record and its response headers (case-insensitive names), for callers that
    keep headers a record does not (Content-Type, Cache-Control, ...)."""

    record: ObjectRecord
    headers: Mapping[str, str]


@request("oss:GetObject")  # RAM allows HeadObject with oss:GetObject
def head_answer(handle: BucketHandle, key: str, *, version_id: str = "") -> HeadAnswer:
    """HeadObject as the record and the headers it was read from."""
    bucket = sdk_bucket(handle)
    from ossbrowse.fs import records

    headers = bucket.head_object(key, params=_version(version_id)).headers
    return HeadAnswer(records.from_head(key, headers), headers)


@request("oss:GetObject")  # RAM allows HeadObject with oss:GetObject
def head_headers(handle: BucketHandle, key: str, *, version_id: str = "") -> dict[str, str]:
    """HeadObject's response headers, names in lower case (what a record does not keep)."""
    bucket = sdk_bucket(handle)
    headers = bucket.head_object(key, params=_version(version_id)).headers
    return {k.lower(): v for k, v in headers.items()}


@request("oss:GetObject")
def presign_get(handle: BucketHandle, key: str, expires: int) -> str:
    """A URL that GETs `key` for `expires` seconds, signed with the bucket's credentials (V4
    where the region is known, else V1); no request is sent."""
    bucket = sdk_bucket(handle)
    url: str = bucket.sign_url("GET", key, expires, slash_safe=True)
    return url


class ObjectBody:
    """A GetObject answer being read: `read(n)` and `close()` on the body, `whole` when the
    server sent the whole object for a ranged request (it may), `crc64` the whole object's
    CRC64 when OSS sent it. A read that fails raises an `ossbrowse.errors` error, as the
    request would have."""

    __slots__ = ("_handle", "_key", "_raw", "_reader", "_result", "crc64", "whole")

    def __init__(self, result: Any, ranged: bool, handle: BucketHandle, key: str) -> None:
        self._result = result
        self._handle = handle
        self._key = key
        self._raw: Any = None
        self._reader: Any = None  # http.client's response when it can readinto, else False
        self.whole = not ranged or result.status == 200
        crc = result.headers.get("x-oss-hash-crc64ecma")
        self.crc64 = int(crc) if crc and crc.isdigit() else None

    def _failed(self, exc: Exception) -> Exception:
        handle = self._handle
        return translate(
            exc,
            action="oss:GetObject",
            bucket=handle.bucket_name,
            key=self._key,
            endpoint=handle.endpoint,
        )

    def read(self, size: int = -1) -> bytes:
        try:
            data: bytes = self._result.read(size) if size >= 0 else self._result.read()
        except Exception as exc:
            raise self._failed(exc) from exc
        return data

    def readinto(self, view: memoryview) -> int:
        """Bytes of the body straight from the socket into `view` (http.client's `readinto`
        under urllib3: no allocation per chunk, one copy from the kernel); 0 at its end."""
        try:
            return self._readinto(view)
        except Exception as exc:
            raise self._failed(exc) from exc

    def _readinto(self, view: memoryview) -> int:
        reader = self._reader
        if reader is None:
            self._raw = raw = self._result.resp.response.raw  # urllib3 under requests
            found = getattr(raw, "_fp", None)
            reader = self._reader = found if hasattr(found, "readinto") else False
        if reader is False:
            chunk = self._raw.read(len(view))
            view[: len(chunk)] = chunk
            return len(chunk)
        n: int = reader.readinto(view)
        return n

    def abandon(self) -> None:
        """Drop the connection: the body will not be read to its end."""
        self._result.resp.response.close()

    def release(self) -> None:
        """Give the connection back to the pool once the body was read to its end."""
        raw = self._raw if self._raw is not None else self._result.resp.response.raw
        with contextlib.suppress(Exception):
            raw.release_conn()

    def close(self) -> None:
        self._result.close()


@request("oss:GetObject")
def get_object(
    handle: BucketHandle,
    key: str,
    start: int = 0,
    end: int | None = None,
    *,
    if_match: str | None = None,
    standard_range: bool = True,
    version_id: str = "",
) -> ObjectBody:
    """GetObject of bytes [start, end) (all of them by default).

    `standard_range` asks for 416 / InvalidRange when the range starts past the end (instead
    of the whole object); `if_match` (an ETag without quotes) refuses another version (412,
    `errors.PreconditionFailed`).
    """
    bucket = sdk_bucket(handle)
    ranged = start > 0 or end is not None
    headers: dict[str, str] = {}
    if ranged and standard_range:
        headers["x-oss-range-behavior"] = "standard"
    if if_match:
        headers["If-Match"] = f'"{if_match}"'

    byte_range = (start, end - 1 if end is not None else None) if ranged else None
    result = bucket.get_object(
        key, byte_range=byte_range, headers=headers or None, params=_version(version_id)
    )
    return ObjectBody(result, ranged, handle, key)


@request("oss:GetObjectAcl")
def read_object_acl(handle: BucketHandle, key: str, *, version_id: str = "") -> str:
    """GetObjectAcl: private, public-read, public-read-write or default (the bucket's)."""
    bucket = sdk_bucket(handle)
    return str(bucket.get_object_acl(key, params=_version(version_id)).acl)


@request("oss:PutObjectAcl")
def write_object_acl(handle: BucketHandle, key: str, acl: str, *, version_id: str = "") -> None:
    """PutObjectAcl."""
    bucket = sdk_bucket(handle)
    bucket.put_object_acl(key, acl, params=_version(version_id))


@request("oss:GetBucketAcl")
def read_bucket_acl(handle: BucketHandle) -> str:
    """GetBucketAcl: private, public-read or public-read-write."""
    bucket = sdk_bucket(handle)
    return str(bucket.get_bucket_acl().acl)


@dataclass(frozen=True, slots=True)
class Written:
    """What OSS answered to a write (PutObject, UploadPart, UploadPartCopy): the ETag it gave
    (as oss2 reads it) and the CRC64 of what it stored, when it said; in a versioned bucket,
    the new version's id (x-oss-version-id)."""

    etag: str
    crc: int | None
    version_id: str = ""


@dataclass(frozen=True, slots=True)
class Appended:
    """What OSS answered to an AppendObject: where the next append goes, the object's CRC64."""

    next_position: int
    crc: int | None


@request("oss:PutObject")
def put_object(
    handle: BucketHandle, key: str, data: Any, headers: dict[str, str] | None = None
) -> Written:
    """PutObject of `data` (bytes or a readable body)."""
    bucket = sdk_bucket(handle)
    result = bucket.put_object(key, data, headers=headers)
    return Written(result.etag, result.crc, result.versionid or "")


@request("oss:CopyObject", key="source")  # a missing key is the source's
def copy_object(
    handle: BucketHandle,
    source: tuple[str, str],
    key: str,
    headers: Mapping[str, str] | None = None,
    *,
    source_version_id: str = "",
) -> Written:
    """CopyObject of `source` (bucket name, key; one version of it with `source_version_id`)
    onto `key` of `bucket`, inside OSS; its answer is read so the connection goes back to the
    pool (gateway.http)."""
    bucket = sdk_bucket(handle)
    from ossbrowse.fs.gateway.http import copy_object as send

    src_bucket, src_key = source
    result = send(
        bucket,
        src_bucket,
        src_key,
        key,
        headers=dict(headers) if headers else None,
        params=_version(source_version_id),
    )
    return Written(result.etag, result.crc, result.versionid or "")


@request("oss:AppendObject", resend=False)  # its position decides: see transfer.fileobj
def append_object(handle: BucketHandle, key: str, position: int, data: bytes) -> Appended:
    """AppendObject at `position` (not to be retried blindly: see transfer.fileobj)."""
    bucket = sdk_bucket(handle)
    result = bucket.append_object(key, position, data)
    return Appended(int(result.next_position), result.crc)


@request("oss:GetObject")
def get_object_to_file(
    handle: BucketHandle, key: str, path: str, *, if_match: str | None = None, version_id: str = ""
) -> None:
    """GetObject into the file at `path`; `if_match` (an ETag without quotes) refuses another
    version (412)."""
    bucket = sdk_bucket(handle)
    headers = {"If-Match": f'"{if_match}"'} if if_match else None
    bucket.get_object_to_file(key, path, headers=headers, params=_version(version_id))


@request("oss:PutObject")
def put_object_from_file(
    handle: BucketHandle, key: str, path: str, headers: Mapping[str, str] | None = None
) -> Written:
    """PutObject of the file at `path`."""
    bucket = sdk_bucket(handle)
    result = bucket.put_object_from_file(key, path, headers=dict(headers) if headers else None)
    return Written(result.etag, result.crc, result.versionid or "")


@dataclass(frozen=True, slots=True)
class Deleted:
    """What OSS answered to a DeleteObject in a versioned bucket: the version it added or
    removed (x-oss-version-id, "" when unversioned) and whether that is a delete marker."""

    version_id: str
    delete_marker: bool


@request("oss:DeleteObject")
def delete_object(handle: BucketHandle, key: str, *, version_id: str = "") -> Deleted:
    """DeleteObject (a missing key is not an error for OSS); with `version_id`, that version
    (or delete marker) is removed for good."""
    bucket = sdk_bucket(handle)
    result = bucket.delete_object(key, params=_version(version_id))
    # oss2 reads x-oss-delete-marker with bool(), so any value is True: read the text here.
    marker = (result.headers.get("x-oss-delete-marker") or "").lower() == "true"
    return Deleted(result.versionid or "", marker)
