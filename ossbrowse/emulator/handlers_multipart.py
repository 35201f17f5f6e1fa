"""Multipart handlers: Initiate, UploadPart, UploadPartCopy, Complete, Abort, ListParts,
ListMultipartUploads. An upload stays invisible until completed; initiating one leaves an
existing object of the same key alone."""

from __future__ import annotations

import base64
import hashlib
import os
import time

from ossbrowse.crc64 import crc64, crc64_combine
from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.copying import copy_source, release_source
from ossbrowse.emulator.errors import OssError, invalid_argument, malformed_xml
from ossbrowse.emulator.handlers_bucket import XML, max_keys
from ossbrowse.emulator.handlers_object import MAX_PUT, guess_type, parse_range
from ossbrowse.emulator.headers import (
    CLIENT_ENCRYPTION,
    file_already_exists,
    forbid_overwrite,
    new_meta,
    object_acl,
    write_headers,
)
from ossbrowse.emulator.model import ObjectMeta, Part, Upload
from ossbrowse.emulator.names import check_object_name
from ossbrowse.emulator.versions import version_headers

MIN_PART = 100 * 1024  # every part but the last: at least 100 KB
MAX_PARTS = 10000


def _url(call: Call) -> bool:
    return call.params.get("encoding-type") == "url"


def initiate_multipart_upload(call: Call) -> Response:
    check_object_name(call.key)
    bucket = call.store.bucket(call.bucket)
    if forbid_overwrite(call) and call.store.find(call.bucket, call.key) is not None:
        raise file_already_exists()
    meta = new_meta(call, bucket.storage_class, guess_type(call.key))
    upload = Upload(
        upload_id=os.urandom(16).hex().upper(),
        key=call.key,
        initiated=time.time(),
        content_type=meta.content_type,
        headers=meta.headers,
        user_meta=meta.user_meta,
        storage_class=meta.storage_class,
        acl=meta.acl,
        tags=meta.tags,
    )
    call.store.create_upload(call.bucket, upload)
    url = _url(call)
    content = [
        ("Bucket", call.bucket),
        ("Key", xmlbody.encode_name(call.key, url)),
        ("UploadId", upload.upload_id),
    ]
    if url:
        content.append(("EncodingType", "url"))
    body = xmlbody.document("InitiateMultipartUploadResult", content)
    return Response(headers=dict(XML), body=body)


def _part_number(call: Call) -> int:
    text = call.params.get("partNumber", "")
    if not text.isdigit() or not 1 <= int(text) <= MAX_PARTS:
        raise invalid_argument(
            "Part number must be an integer between 1 and 10000, inclusive.", "partNumber", text
        )
    return int(text)


def upload_part(call: Call) -> Response:
    number = _part_number(call)
    upload = call.store.upload(call.bucket, call.key, call.params["uploadId"])
    if call.body.length is not None and call.body.length > MAX_PUT:
        raise OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum "
                       "allowed part size.")  # fmt: skip
    received = call.receive()
    part = Part(number, received.etag, received.size, received.crc64, time.time())
    call.store.put_part(call.bucket, upload, part, received.blob)
    headers = write_headers(part.etag, part.crc64)
    headers["Content-MD5"] = base64.b64encode(received.md5).decode()  # as OSS, like PutObject
    return Response(headers=headers)


def upload_part_copy(call: Call) -> Response:
    number = _part_number(call)
    upload = call.store.upload(call.bucket, call.key, call.params["uploadId"])
    source = copy_source(call)
    start, length = 0, source.size
    text = call.header("x-oss-copy-source-range")
    if text:
        try:
            found = parse_range(text, source.size, standard=True)
        except BaseException:
            release_source(call, source)
            raise
        if found is not None:
            start, length = found
    blob = call.backend.copy_range(source.blob, start, length)
    md5 = hashlib.md5()
    crc = 0
    for chunk in call.backend.iter_range(blob, 0, length):
        md5.update(chunk)
        crc = crc64(chunk, crc)
    part = Part(number, md5.hexdigest().upper(), length, crc, time.time())
    call.store.put_part(call.bucket, upload, part, blob)
    content: list = [("LastModified", xmlbody.iso8601(part.mtime)), ("ETag", f'"{part.etag}"')]
    headers = {**XML, **write_headers(part.etag, part.crc64)}
    if source.version_id:
        headers["x-oss-copy-source-version-id"] = source.version_id
    return Response(headers=headers, body=xmlbody.document("CopyPartResult", content))


def _requested_parts(call: Call, upload: Upload) -> list[tuple[int, str]]:
    if call.header("x-oss-complete-all").lower() == "yes":
        return [(n, upload.parts[n].etag) for n in sorted(upload.parts)]
    root = xmlbody.parse(call.read_xml_body())
    if root.tag != "CompleteMultipartUpload":
        raise malformed_xml()
    wanted = []
    for node in root.findall("Part"):
        number = (node.findtext("PartNumber") or "").strip()
        etag = (node.findtext("ETag") or "").strip().strip('"')
        if not number.isdigit():
            raise malformed_xml()
        wanted.append((int(number), etag))
    if not wanted:
        raise malformed_xml()
    return wanted


def complete_multipart_upload(call: Call) -> Response:
    upload = call.store.upload(call.bucket, call.key, call.params["uploadId"])
    # OSS: an x-oss-object-acl on the complete request sets the new object's ACL.
    acl = object_acl(call) if call.header("x-oss-object-acl") else upload.acl
    wanted = _requested_parts(call, upload)
    numbers = [n for n, _ in wanted]
    if numbers != sorted(set(numbers)):
        raise OssError(400, "InvalidPartOrder", "The list of parts was not in ascending order. "
                       "Parts list must be specified in order by part number.")  # fmt: skip
    parts: list[Part] = []
    for number, etag in wanted:
        part = upload.parts.get(number)
        if part is None or part.etag.upper() != etag.upper():
            raise OssError(
                400,
                "InvalidPart",
                "One or more of the specified parts could not be found or the specified entity "
                "tag might not have matched the part's entity tag.",
                PartNumber=str(number),
                ETag=etag,
            )
        parts.append(part)
    for part in parts[:-1]:
        if part.size < MIN_PART:
            raise OssError(
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size.",
                PartNumber=str(part.number),
                MinSizeAllowed=str(MIN_PART),
                ProposedSize=str(part.size),
            )
    if forbid_overwrite(call) and call.store.find(call.bucket, call.key) is not None:
        raise file_already_exists()
    digest = hashlib.md5(b"".join(bytes.fromhex(p.etag) for p in parts)).hexdigest().upper()
    crc = 0
    for part in parts:
        crc = crc64_combine(crc, part.crc64, part.size)
    blob = call.backend.concat(_open_parts(call, upload, parts))
    meta = ObjectMeta(
        key=upload.key,
        size=sum(p.size for p in parts),
        etag=f"{digest}-{len(parts)}",
        crc64=crc,
        mtime=time.time(),
        content_type=upload.content_type,
        headers=upload.headers,
        user_meta=upload.user_meta,
        storage_class=upload.storage_class,
        object_type="Multipart",
        # OSS: an x-oss-object-acl on the complete request sets the new object's ACL.
        acl=acl,
        tags=dict(upload.tags),
        blob=blob,
    )
    call.store.finish_upload(call.bucket, upload, meta)
    url = _url(call)
    content: list = []
    if url:
        content.append(("EncodingType", "url"))
    content += [
        ("Location", call.object_url(call.key)),
        ("Bucket", call.bucket),
        ("Key", xmlbody.encode_name(call.key, url)),
        ("ETag", f'"{meta.etag}"'),
    ]
    headers = {**XML, **write_headers(meta.etag, meta.crc64)}
    headers.update(version_headers(call.store.bucket(call.bucket).versioning, meta))
    body = xmlbody.document("CompleteMultipartUploadResult", content)
    return Response(headers=headers, body=body)


def _open_parts(call: Call, upload: Upload, parts: list[Part]) -> list:
    """The bodies of `parts`, opened while they are still the upload's: a part uploaded
    again meanwhile (its old body is removed) must not break the concatenation."""
    opened: list = []
    with call.store.lock:
        try:
            for part in parts:
                if upload.parts.get(part.number) is not part:
                    raise OssError(
                        400,
                        "InvalidPart",
                        "One or more of the specified parts could not be found or the "
                        "specified entity tag might not have matched the part's entity tag.",
                        PartNumber=str(part.number),
                        ETag=part.etag,
                    )
                opened.append(call.backend.open_body(part.blob))
        except BaseException:
            for body in opened:
                call.backend.close_body(body)
            raise
    return opened


def abort_multipart_upload(call: Call) -> Response:
    upload = call.store.upload(call.bucket, call.key, call.params["uploadId"])
    call.store.finish_upload(call.bucket, upload, None)
    return Response(status=204)


def list_parts(call: Call) -> Response:
    upload = call.store.upload(call.bucket, call.key, call.params["uploadId"])
    limit = max_keys(call, "max-parts", 1000)
    marker_text = call.params.get("part-number-marker", "") or "0"
    if not marker_text.isdigit():
        raise invalid_argument("Invalid part number marker.", "part-number-marker", marker_text)
    marker = int(marker_text)
    with call.store.lock:
        numbers = sorted(n for n in upload.parts if n > marker)
        parts = [upload.parts[n] for n in numbers]
    truncated = len(parts) > limit
    parts = parts[:limit]
    url = _url(call)
    content: list = [
        ("Bucket", call.bucket),
        ("Key", xmlbody.encode_name(call.key, url)),
        ("UploadId", upload.upload_id),
    ]
    if url:
        content.append(("EncodingType", "url"))
    content += [
        ("PartNumberMarker", marker),
        ("NextPartNumberMarker", parts[-1].number if parts else 0),
        ("MaxParts", limit),
        ("IsTruncated", "true" if truncated else "false"),
        ("StorageClass", upload.storage_class),
    ]
    # An upload begun with client-side encryption metadata: OSS echoes it here, so that a
    # resumed encrypted upload can recover its data key (alibabacloud-oss-v2 reads these).
    for name, element in CLIENT_ENCRYPTION.items():
        if name in upload.user_meta:
            content.append((element, upload.user_meta[name]))
    for part in parts:
        content.append(
            (
                "Part",
                [
                    ("PartNumber", part.number),
                    ("LastModified", xmlbody.iso8601(part.mtime)),
                    ("ETag", f'"{part.etag}"'),
                    ("HashCrc64ecma", part.crc64),
                    ("Size", part.size),
                ],
            )
        )
    return Response(headers=dict(XML), body=xmlbody.document("ListPartsResult", content))


def list_multipart_uploads(call: Call) -> Response:
    params = call.params
    prefix = params.get("prefix", "")
    delimiter = params.get("delimiter", "")
    key_marker = params.get("key-marker", "")
    id_marker = params.get("upload-id-marker", "")
    limit = max_keys(call, "max-uploads", 1000)
    uploads, prefixes, truncated, next_key, next_id = call.store.list_uploads(
        call.bucket, prefix, delimiter, key_marker, id_marker, limit
    )
    url = _url(call)
    enc = lambda name: xmlbody.encode_name(name, url)  # noqa: E731
    content: list = [("Bucket", call.bucket)]
    if url:
        content.append(("EncodingType", "url"))
    content += [
        ("KeyMarker", enc(key_marker)),
        ("UploadIdMarker", id_marker),
        ("NextKeyMarker", enc(next_key)),
        ("NextUploadIdMarker", next_id),
        ("Delimiter", enc(delimiter)),
        ("Prefix", enc(prefix)),
        ("MaxUploads", limit),
        ("IsTruncated", "true" if truncated else "false"),
    ]
    for upload in uploads:
        content.append(
            (
                "Upload",
                [
                    ("Key", enc(upload.key)),
                    ("UploadId", upload.upload_id),
                    ("Initiated", xmlbody.iso8601(upload.initiated)),
                ],
            )
        )
    content += [("CommonPrefixes", [("Prefix", enc(p))]) for p in prefixes]
    body = xmlbody.document("ListMultipartUploadsResult", content)
    return Response(headers=dict(XML), body=body)
