"""AppendObject: the one object type that grows in place (position must equal the length)."""

from __future__ import annotations

import hashlib
import time

from ossbrowse.crc64 import crc64_combine
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError, invalid_argument
from ossbrowse.emulator.handlers_object import guess_type
from ossbrowse.emulator.headers import new_meta
from ossbrowse.emulator.names import check_object_name
from ossbrowse.emulator.versions import version_headers

MAX_APPENDABLE = 5 << 30


def _position_error(size: int) -> OssError:
    error = OssError(409, "PositionNotEqualToLength",
                     "Position is not equal to file length.")  # fmt: skip
    error.headers["x-oss-next-append-position"] = str(size)
    return error


def append_object(call: Call) -> Response:
    check_object_name(call.key)
    bucket = call.store.bucket(call.bucket)
    text = call.params.get("position", "")
    if not text.isdigit():
        raise invalid_argument("Invalid position.", "position", text)
    position = int(text)
    if "versionId" in call.params:
        # OSS (0016-00000504): only the live version is appended to; no version is named.
        raise invalid_argument("AppendObject does not support versionId.", "versionId",
                               call.params["versionId"])  # fmt: skip
    existing = call.store.find(call.bucket, call.key)
    if existing is not None and existing.object_type != "Appendable":
        raise OssError(409, "ObjectNotAppendable", "The object is not appendable.")
    size = existing.size if existing is not None else 0
    if position != size:
        raise _position_error(size)
    received = call.receive()
    if size + received.size > MAX_APPENDABLE:
        call.backend.discard(received.blob)
        raise OssError(400, "EntityTooLarge", "An appendable object may hold at most 5 GB.")
    with call.store.lock:
        current = call.store.find(call.bucket, call.key)
        if (current.size if current is not None else 0) != size or current is not existing:
            call.backend.discard(received.blob)
            raise _position_error(current.size if current is not None else 0)
        if current is None:
            meta = new_meta(call, bucket.storage_class, guess_type(call.key))
            meta.object_type = "Appendable"
            meta.size, meta.crc64 = received.size, received.crc64
            meta.etag = _append_etag(meta.crc64, meta.size)
            call.store.put(call.bucket, meta, received.blob)
        else:
            meta = current
            meta.blob = call.backend.append(meta.blob, size, received.blob)
            meta.crc64 = crc64_combine(meta.crc64, received.crc64, received.size)
            meta.size = size + received.size
            meta.etag = _append_etag(meta.crc64, meta.size)
            meta.mtime = time.time()
            call.store.update(call.bucket, meta)
    headers = {
        "ETag": f'"{meta.etag}"',
        "x-oss-hash-crc64ecma": str(meta.crc64),
        "x-oss-next-append-position": str(meta.size),
    }
    # In a versioned bucket an append grows the live version in place: no new version.
    headers.update(version_headers(bucket.versioning, meta))
    return Response(headers=headers)


def _append_etag(crc: int, size: int) -> str:
    # OSS's ETag for appendable objects is not an MD5 of the content either.
    return hashlib.md5(f"{crc}:{size}".encode()).hexdigest().upper()
