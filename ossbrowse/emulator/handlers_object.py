"""Object handlers: PutObject, GetObject (ranges, conditions, response-* overrides),
HeadObject, GetObjectMeta, DeleteObject."""

from __future__ import annotations

import base64
import mimetypes
import re
from email.utils import parsedate_to_datetime

from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError
from ossbrowse.emulator.headers import (
    file_already_exists,
    forbid_overwrite,
    new_meta,
    object_headers,
    write_headers,
)
from ossbrowse.emulator.model import ARCHIVE_CLASSES, ObjectMeta
from ossbrowse.emulator.names import check_object_name
from ossbrowse.emulator.store import restore_state
from ossbrowse.emulator.versions import version_headers
from ossbrowse.emulator.xmlbody import http_date

MAX_PUT = 5 << 30  # PutObject: at most 5 GB
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_OVERRIDES = {
    "response-content-type": "Content-Type",
    "response-content-language": "Content-Language",
    "response-expires": "Expires",
    "response-cache-control": "Cache-Control",
    "response-content-disposition": "Content-Disposition",
    "response-content-encoding": "Content-Encoding",
}


def guess_type(key: str) -> str:
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


def put_object(call: Call) -> Response:
    check_object_name(call.key)
    bucket = call.store.bucket(call.bucket)
    if call.body.length is not None and call.body.length > MAX_PUT:
        raise OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed "
                       "object size.")  # fmt: skip
    meta = new_meta(call, bucket.storage_class, guess_type(call.key))
    no_overwrite = forbid_overwrite(call)
    if no_overwrite and call.store.find(call.bucket, call.key) is not None:
        raise file_already_exists()
    received = call.receive()
    meta.size, meta.etag, meta.crc64 = received.size, received.etag, received.crc64
    call.store.put(call.bucket, meta, received.blob, forbid_overwrite=no_overwrite)
    headers = write_headers(meta.etag, meta.crc64)
    headers["Content-MD5"] = base64.b64encode(received.md5).decode()
    headers.update(version_headers(bucket.versioning, meta))
    return Response(headers=headers)


def check_readable(meta: ObjectMeta) -> None:
    """Archived objects cannot be read until restored (403 InvalidObjectState)."""
    if meta.storage_class in ARCHIVE_CLASSES and restore_state(meta) != "done":
        raise OssError(
            403,
            "InvalidObjectState",
            "The operation is not valid for the object's state.",
            Key=meta.key,
        )


def _http_time(text: str) -> float | None:
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None  # OSS ignores a condition it cannot parse


def check_conditions(call: Call, meta: ObjectMeta, prefix: str = "") -> int | None:
    """304 or 412 per If-* headers (OSS order: Match, Unmodified, None-Match, Modified)."""
    etag = f'"{meta.etag}"'
    mtime = int(meta.mtime)

    def matches(value: str) -> bool:
        tags = [t.strip() for t in value.split(",")]
        return "*" in tags or etag in tags or meta.etag in tags

    if_match = call.header(prefix + "If-Match")
    if if_match and not matches(if_match):
        return 412
    since = call.header(prefix + "If-Unmodified-Since")
    when = _http_time(since) if since else None
    if when is not None and mtime > when:
        return 412
    if_none = call.header(prefix + "If-None-Match")
    if if_none and matches(if_none):
        return 304
    since = call.header(prefix + "If-Modified-Since")
    when = _http_time(since) if since else None
    if when is not None and mtime <= when:
        return 304
    return None


def parse_range(text: str, size: int, standard: bool) -> tuple[int, int] | None:
    """(start, length) for a single `bytes=` range, None for the whole object.

    OSS (default behaviour) ignores a malformed or unsatisfiable range and answers 200 with
    the whole object; with `x-oss-range-behavior: standard` an unsatisfiable one is 416.
    """
    match = _RANGE.match(text.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        length = min(int(last), size)
        if length == 0:
            return _unsatisfiable(size) if standard else None
        return size - length, length
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        return _unsatisfiable(size) if standard else None
    end = min(end, size - 1)
    return start, end - start + 1


def _unsatisfiable(size: int):
    error = OssError(416, "InvalidRange", "The requested range cannot be satisfied.")
    error.headers["Content-Range"] = f"bytes */{size}"
    raise error


def requested_version(call: Call) -> str | None:
    """The version a request names with `?versionId=` (None: the live object)."""
    return call.params.get("versionId")


def _read_response(call: Call, with_body: bool) -> Response:
    version = requested_version(call)
    if not with_body:
        return _answer_read(call, call.store.get(call.bucket, call.key, version), None)
    # Metadata and body are taken at one instant: an overwrite racing this GET cannot make
    # the answer promise one body and send another (or none).
    meta, body = call.store.open_object(call.bucket, call.key, version)
    try:
        return _answer_read(call, meta, body)
    except BaseException:
        call.backend.close_body(body)
        raise


def _answer_read(call: Call, meta: ObjectMeta, body) -> Response:
    with_body = body is not None
    status = check_conditions(call, meta)
    headers = object_headers(meta)
    headers.update(version_headers(call.store.bucket(call.bucket).versioning, meta))
    if status == 304:
        keep = ("ETag", "Last-Modified", "x-oss-request-id")
        call.backend.close_body(body)
        return Response(status=304, headers={k: v for k, v in headers.items() if k in keep})
    if status == 412:
        raise OssError(412, "PreconditionFailed", "At least one of the pre-conditions you "
                       "specified did not hold.")  # fmt: skip
    if with_body:
        check_readable(meta)  # HEAD of an archived object works; only reading its body fails
    for param, header in _OVERRIDES.items():
        if param in call.params:
            headers[header] = call.params[param]
    start, length = 0, meta.size
    status = 200
    range_header = call.header("Range")
    if range_header:
        standard = call.header("x-oss-range-behavior").lower() == "standard"
        found = parse_range(range_header, meta.size, standard)
        if found is not None:
            start, length = found
            status = 206
            headers["Content-Range"] = f"bytes {start}-{start + length - 1}/{meta.size}"
    headers["Content-Length"] = str(length)
    if not with_body:
        return Response(status=status, headers=headers)
    if not length:
        call.backend.close_body(body)  # nothing to send: no reader will close it
    return Response(status=status, headers=headers, blob=body, blob_start=start,
                    blob_length=length)  # fmt: skip


def get_object(call: Call) -> Response:
    return _read_response(call, with_body=True)


def head_object(call: Call) -> Response:
    return _read_response(call, with_body=False)


def get_object_meta(call: Call) -> Response:
    meta = call.store.get(call.bucket, call.key, requested_version(call))
    headers = {
        "ETag": f'"{meta.etag}"',
        "Content-Length": str(meta.size),
        "Last-Modified": http_date(meta.mtime),
        "x-oss-hash-crc64ecma": str(meta.crc64),
    }
    headers.update(version_headers(call.store.bucket(call.bucket).versioning, meta))
    return Response(headers=headers)


def delete_object(call: Call) -> Response:
    call.store.bucket(call.bucket)
    if not call.key:
        return Response(status=204)
    deleted = call.store.delete(call.bucket, call.key, requested_version(call))
    return Response(status=204, headers=deleted.headers())
