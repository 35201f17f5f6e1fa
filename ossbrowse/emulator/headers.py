"""The headers OSS sends with an object (GET, HEAD, writes), and parsing of the ones a client
sends to describe a new object (metadata, storage class, ACL)."""

from __future__ import annotations

import time

from ossbrowse.emulator.call import Call
from ossbrowse.emulator.errors import OssError, invalid_argument
from ossbrowse.emulator.model import ACLS, STORAGE_CLASSES, STORED_HEADERS, ObjectMeta
from ossbrowse.emulator.store import restore_state
from ossbrowse.emulator.tagging import tag_header, tags_from_header
from ossbrowse.emulator.xmlbody import http_date

MAX_USER_META = 8 * 1024  # OSS: user metadata at most 8 KB in total


def restore_header(meta: ObjectMeta, now: float | None = None) -> str | None:
    """`x-oss-restore` as OSS sends it, or None when no restore was ever asked."""
    state = restore_state(meta, now)
    if meta.restore_until is None or meta.storage_class not in (
        "Archive",
        "ColdArchive",
        "DeepColdArchive",
    ):
        return None
    if state == "ongoing":
        return 'ongoing-request="true"'
    if state == "done" and meta.restore_expiry is not None:
        return f'ongoing-request="false", expiry-date="{http_date(meta.restore_expiry)}"'
    return None


def object_headers(meta: ObjectMeta) -> dict[str, str]:
    headers = {
        "ETag": f'"{meta.etag}"',
        "x-oss-hash-crc64ecma": str(meta.crc64),
        "x-oss-object-type": meta.object_type,
        "x-oss-storage-class": meta.storage_class,
        "Last-Modified": http_date(meta.mtime),
        "Content-Type": meta.content_type,
        "Accept-Ranges": "bytes",
    }
    headers.update(meta.headers)
    for name, value in meta.user_meta.items():
        headers[f"x-oss-meta-{name}"] = value
    if meta.object_type == "Appendable":
        headers["x-oss-next-append-position"] = str(meta.size)
    restore = restore_header(meta)
    if restore:
        headers["x-oss-restore"] = restore
    headers.update(tag_header(meta.tags))
    return headers


# Client-side encryption metadata (oss2 crypto_bucket, alibabacloud-oss-v2 EncryptionClient):
# the user metadata name and the ListParts element OSS echoes it as.
CLIENT_ENCRYPTION = {
    "client-side-encryption-key": "ClientEncryptionKey",
    "client-side-encryption-start": "ClientEncryptionStart",
    "client-side-encryption-cek-alg": "ClientEncryptionCekAlg",
    "client-side-encryption-wrap-alg": "ClientEncryptionWrapAlg",
    "client-side-encryption-data-size": "ClientEncryptionDataSize",
    "client-side-encryption-part-size": "ClientEncryptionPartSize",
}
_CLIENT_ENCRYPTION_PREFIX = "client-side-encryption-"


def client_encryption_meta(user_meta: dict[str, str]) -> dict[str, str]:
    """The client-side encryption entries of `user_meta` (names without x-oss-meta-)."""
    return {k: v for k, v in user_meta.items() if k.startswith(_CLIENT_ENCRYPTION_PREFIX)}


def write_headers(etag: str, crc: int) -> dict[str, str]:
    return {"ETag": f'"{etag}"', "x-oss-hash-crc64ecma": str(crc)}


def user_meta(call: Call) -> dict[str, str]:
    found = {}
    total = 0
    for name, value in call.headers.items():
        lower = name.lower()
        if lower.startswith("x-oss-meta-"):
            found[lower[len("x-oss-meta-") :]] = value
            total += len(lower) + len(value)
    if total > MAX_USER_META:
        raise invalid_argument("Your metadata headers exceed the maximum allowed metadata size.")
    return found


def stored_headers(call: Call) -> dict[str, str]:
    return {name: call.headers[name] for name in STORED_HEADERS if call.headers.get(name)}


def storage_class(call: Call, default: str) -> str:
    value = call.header("x-oss-storage-class") or default
    if value not in STORAGE_CLASSES:
        raise invalid_argument("Invalid storage class.", "x-oss-storage-class", value)
    return value


def object_acl(call: Call) -> str:
    value = call.header("x-oss-object-acl") or "default"
    if value not in ACLS:
        raise invalid_argument("no such object access control exists", "x-oss-object-acl", value)
    return value


def new_meta(call: Call, default_class: str, content_type_default: str) -> ObjectMeta:
    """An ObjectMeta for a new object from the request's headers (size and hashes still 0)."""
    return ObjectMeta(
        key=call.key,
        size=0,
        etag="",
        crc64=0,
        mtime=time.time(),
        content_type=call.header("Content-Type") or content_type_default,
        headers=stored_headers(call),
        user_meta=user_meta(call),
        storage_class=storage_class(call, default_class),
        acl=object_acl(call),
        tags=tags_from_header(call),
    )


def forbid_overwrite(call: Call) -> bool:
    if call.header("x-oss-forbid-overwrite").lower() != "true":
        return False
    # OSS: the header is void in a bucket whose versioning is enabled or suspended (the
    # object written over stays as an older version, or is the null version replaced).
    bucket = call.store.buckets.get(call.bucket)
    return bucket is None or not bucket.versioning


def file_already_exists() -> OssError:
    return OssError(409, "FileAlreadyExists", "The object you specified already exists.")
