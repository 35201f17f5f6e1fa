"""The source of a server-side copy (`x-oss-copy-source`), its conditions, and CopyObject."""

from __future__ import annotations

import time
from dataclasses import replace
from urllib.parse import unquote

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError, invalid_argument
from ossbrowse.emulator.handlers_bucket import XML
from ossbrowse.emulator.headers import (
    file_already_exists,
    forbid_overwrite,
    object_acl,
    storage_class,
    stored_headers,
    user_meta,
    write_headers,
)
from ossbrowse.emulator.model import ObjectMeta
from ossbrowse.emulator.names import check_object_name

MAX_COPY = 1 << 30  # CopyObject: sources up to 1 GB; larger ones need UploadPartCopy


def copy_source(call: Call) -> ObjectMeta:
    """The readable source object named by `x-oss-copy-source`, conditions checked."""
    from ossbrowse.emulator.handlers_object import check_conditions, check_readable

    raw = call.header("x-oss-copy-source")
    path = unquote(raw.split("?", 1)[0])  # `?versionId=`: versioning is not emulated
    bucket, _, key = path.lstrip("/").partition("/")
    if not bucket or not key:
        raise invalid_argument("Copy Source must mention the source bucket and key: "
                               "/sourcebucket/sourcekey.", "x-oss-copy-source", raw)  # fmt: skip
    source = call.store.get(bucket, key)
    status = check_conditions(call, source, prefix="x-oss-copy-source-")
    if status is not None:
        # OSS answers a failed copy condition with 412 or 304, no copy made.
        code = "PreconditionFailed" if status == 412 else "NotModified"
        raise OssError(
            status, code, "At least one of the pre-conditions you specified did not hold."
        )
    check_readable(source)
    return source


def copy_object(call: Call) -> Response:
    check_object_name(call.key)
    target_bucket = call.store.bucket(call.bucket)
    source = copy_source(call)
    if source.size > MAX_COPY:
        raise OssError(
            400,
            "InvalidRequest",
            "The source object of CopyObject must not be larger than 1 GB: use UploadPartCopy.",
        )
    directive = (call.header("x-oss-metadata-directive") or "COPY").upper()
    if directive not in ("COPY", "REPLACE"):
        raise invalid_argument("Invalid metadata directive.", "x-oss-metadata-directive",
                               directive)  # fmt: skip
    no_overwrite = forbid_overwrite(call)
    if no_overwrite and call.store.find(call.bucket, call.key) is not None:
        raise file_already_exists()
    # Storage class and ACL come from the request, never from the source.
    meta = replace(
        source,
        key=call.key,
        mtime=time.time(),
        storage_class=storage_class(call, target_bucket.storage_class),
        acl=object_acl(call),
        object_type="Normal" if source.object_type == "Appendable" else source.object_type,
        restore_until=None,
        restore_expiry=None,
        blob=None,
    )
    if directive == "REPLACE":
        meta.content_type = call.header("Content-Type") or "application/octet-stream"
        meta.headers = stored_headers(call)
        meta.user_meta = user_meta(call)
    else:
        meta.headers = dict(source.headers)
        meta.user_meta = dict(source.user_meta)
    blob = call.backend.copy_range(source.blob, 0, source.size)
    call.store.put(call.bucket, meta, blob, forbid_overwrite=no_overwrite)
    content = [("ETag", f'"{meta.etag}"'), ("LastModified", xmlbody.iso8601(meta.mtime))]
    headers = {**XML, **write_headers(meta.etag, meta.crc64)}
    return Response(headers=headers, body=xmlbody.document("CopyObjectResult", content))
