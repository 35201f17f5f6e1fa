"""AppendObject, DeleteMultipleObjects and RestoreObject."""

from __future__ import annotations

import base64
import hashlib
import time

from ossbrowse.crc64 import crc64_combine
from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError, invalid_argument, malformed_xml
from ossbrowse.emulator.handlers_bucket import XML
from ossbrowse.emulator.handlers_object import guess_type
from ossbrowse.emulator.headers import new_meta
from ossbrowse.emulator.model import ARCHIVE_CLASSES
from ossbrowse.emulator.names import check_object_name
from ossbrowse.emulator.store import restore_state

MAX_APPENDABLE = 5 << 30
MAX_DELETE = 1000
TIERS = ("Expedited", "Standard", "Bulk")


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
    return Response(headers=headers)


def _append_etag(crc: int, size: int) -> str:
    # OSS's ETag for appendable objects is not an MD5 of the content either.
    return hashlib.md5(f"{crc}:{size}".encode()).hexdigest().upper()


def delete_multiple_objects(call: Call) -> Response:
    call.store.bucket(call.bucket)
    body = call.read_xml_body()
    expected = call.header("Content-MD5")
    if not expected:
        raise OssError(400, "MissingArgument", "Missing Some Required Arguments.",
                       ArgumentName="Content-MD5")  # fmt: skip
    if expected != base64.b64encode(hashlib.md5(body).digest()).decode():
        raise OssError(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
    root = xmlbody.parse(body)
    if root.tag != "Delete":
        raise malformed_xml()
    quiet = (root.findtext("Quiet") or "false").strip().lower() == "true"
    keys = [node.findtext("Key") or "" for node in root.findall("Object")]
    if not keys or len(keys) > MAX_DELETE:
        raise malformed_xml()
    for key in keys:
        check_object_name(key)
    for key in keys:
        call.store.delete(call.bucket, key)
    url = call.params.get("encoding-type") == "url"
    content: list = []
    if url:
        content.append(("EncodingType", "url"))
    if not quiet:
        content += [("Deleted", [("Key", xmlbody.encode_name(k, url))]) for k in keys]
    return Response(headers=dict(XML), body=xmlbody.document("DeleteResult", content))


def _restore_request(call: Call, storage_class: str) -> tuple[int, str]:
    body = call.read_xml_body()
    days, tier = 1, "Standard"
    if body.strip():
        root = xmlbody.parse(body)
        if root.tag != "RestoreRequest":
            raise malformed_xml()
        text = (root.findtext("Days") or "1").strip()
        if not text.lstrip("-").isdigit():
            raise malformed_xml()
        days = int(text)
        tier = (root.findtext("JobParameters/Tier") or "Standard").strip()
    top = 7 if storage_class == "Archive" else 365
    if not 1 <= days <= top:
        raise invalid_argument(f"The Days must be between 1 and {top}.", "Days", str(days))
    if tier not in TIERS:
        raise invalid_argument("Invalid Tier.", "Tier", tier)
    return days, tier


def restore_object(call: Call) -> Response:
    meta = call.store.get(call.bucket, call.key)
    if meta.storage_class not in ARCHIVE_CLASSES:
        # 0016-00000702 in OSS's error centre; oss2's restore_object documents the code as
        # OperationNotSupported (400) and maps it to oss2.exceptions.OperationNotSupported.
        message = "The operation is not supported for this object's storage class."
        raise OssError(400, "OperationNotSupported", message)
    days, _tier = _restore_request(call, meta.storage_class)
    now = time.time()
    with call.store.lock:
        state = restore_state(meta, now)
        if state == "ongoing":
            raise OssError(409, "RestoreAlreadyInProgress", "The restore operation is in "
                           "progress.")  # fmt: skip
        if state == "done":
            meta.restore_expiry = now + days * 86400  # extend: 200, readable the whole time
            call.store.update(call.bucket, meta)
            return Response(status=200)
        meta.restore_until = now + call.server.restore_delay
        meta.restore_expiry = meta.restore_until + days * 86400
        call.store.update(call.bucket, meta)
    return Response(status=202)
