"""The source of a server-side copy (`x-oss-copy-source`), its conditions, and CopyObject."""

from __future__ import annotations

import time
from dataclasses import replace
from urllib.parse import parse_qs, unquote

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError, invalid_argument
from ossbrowse.emulator.handlers_bucket import XML
from ossbrowse.emulator.headers import (
    client_encryption_meta,
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
from ossbrowse.emulator.tagging import tags_from_header
from ossbrowse.emulator.versions import version_headers

MAX_COPY = 1 << 30  # CopyObject: sources up to 1 GB; larger ones need UploadPartCopy


def copy_source(call: Call) -> ObjectMeta:
    """The readable source object named by `x-oss-copy-source`, conditions checked."""
    from ossbrowse.emulator.handlers_object import check_conditions, check_readable

    raw = call.header("x-oss-copy-source")
    # /bucket/key, the key percent-encoded, and `?versionId=ID` to copy one version of it.
    path, _, query = raw.partition("?")
    path = unquote(path)
    bucket, _, key = path.lstrip("/").partition("/")
    if not bucket or not key:
        raise invalid_argument("Copy Source must mention the source bucket and key: "
                               "/sourcebucket/sourcekey.", "x-oss-copy-source", raw)  # fmt: skip
    versions = parse_qs(query, keep_blank_values=True).get("versionId")
    # A snapshot whose blob is the body opened with it: an overwrite of the source during
    # the copy cannot take the body away. The copy (copy_range) closes it; on any refusal
    # the caller closes it with release_source.
    source, body = call.store.open_object(bucket, key, versions[0] if versions else None)
    source.blob = body
    try:
        status = check_conditions(call, source, prefix="x-oss-copy-source-")
        if status is not None:
            # OSS answers a failed copy condition with 412 or 304, no copy made.
            code = "PreconditionFailed" if status == 412 else "NotModified"
            raise OssError(
                status, code, "At least one of the pre-conditions you specified did not hold."
            )
        check_readable(source)
    except BaseException:
        call.backend.close_body(source.blob)
        raise
    return source


def release_source(call: Call, source: ObjectMeta) -> None:
    call.backend.close_body(source.blob)


def copy_object(call: Call) -> Response:
    check_object_name(call.key)
    target_bucket = call.store.bucket(call.bucket)
    directive = _directive(call, "x-oss-metadata-directive")
    tag_directive = _directive(call, "x-oss-tagging-directive")
    acl = object_acl(call)
    new_class = storage_class(call, target_bucket.storage_class)
    replaced_tags = tags_from_header(call) if tag_directive == "REPLACE" else None
    source = copy_source(call)
    try:
        if source.size > MAX_COPY:
            raise OssError(
                400,
                "InvalidRequest",
                "The source object of CopyObject must not be larger than 1 GB: use UploadPartCopy.",
            )
        no_overwrite = forbid_overwrite(call)
        if no_overwrite and call.store.find(call.bucket, call.key) is not None:
            raise file_already_exists()
    except BaseException:
        release_source(call, source)
        raise
    # Storage class and ACL come from the request, never from the source.
    meta = replace(
        source,
        key=call.key,
        version_id="",  # the target's own: given by a versioned bucket, none in another
        mtime=time.time(),
        storage_class=new_class,
        acl=acl,
        object_type="Normal" if source.object_type == "Appendable" else source.object_type,
        restore_until=None,
        restore_expiry=None,
        restore_tier=None,
        tags=dict(source.tags) if replaced_tags is None else replaced_tags,
        blob=None,
    )
    if directive == "REPLACE":
        # OSS keeps the source's Content-Type when the request names none, and never lets a
        # copy drop the client-side encryption metadata (the object could not be decrypted).
        meta.content_type = call.header("Content-Type") or source.content_type
        meta.headers = stored_headers(call)
        meta.user_meta = {**user_meta(call), **client_encryption_meta(source.user_meta)}
    else:
        meta.headers = dict(source.headers)
        meta.user_meta = dict(source.user_meta)
    blob = call.backend.copy_range(source.blob, 0, source.size)
    call.store.put(call.bucket, meta, blob, forbid_overwrite=no_overwrite)
    content: list[xmlbody.Node] = [
        ("ETag", f'"{meta.etag}"'),
        ("LastModified", xmlbody.iso8601(meta.mtime)),
    ]
    headers = {**XML, **write_headers(meta.etag, meta.crc64)}
    if source.version_id:  # the version copied, when its bucket has (had) versioning
        headers["x-oss-copy-source-version-id"] = source.version_id
    headers.update(version_headers(target_bucket.versioning, meta))
    return Response(headers=headers, body=xmlbody.document("CopyObjectResult", content))


def _directive(call: Call, name: str) -> str:
    value = (call.header(name) or "COPY").upper()
    if value not in ("COPY", "REPLACE"):
        raise invalid_argument(f"Invalid {name}.", name, value)
    return value
