"""Bucket versioning handlers: PutBucketVersioning, GetBucketVersioning, ListObjectVersions
(`GET /?versions`: prefix, delimiter, key-marker, version-id-marker, max-keys, encoding-type).

The XML follows OSS's API reference: `VersioningConfiguration` with `Status` (empty for a
bucket that never had versioning); `ListVersionsResult` with `Version` and `DeleteMarker`
entries in key order, each key's newest first, then `CommonPrefixes`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import invalid_argument, malformed_xml
from ossbrowse.emulator.handlers_bucket import XML, max_keys, owner
from ossbrowse.emulator.handlers_list import encoding, listed_key, listed_time
from ossbrowse.emulator.headers import restore_header
from ossbrowse.emulator.model import ObjectMeta
from ossbrowse.emulator.versions import ENABLED, SUSPENDED, listed_id


def put_bucket_versioning(call: Call) -> Response:
    call.store.bucket(call.bucket)  # NoSuchBucket before the body is judged
    root = xmlbody.parse(call.read_xml_body())
    if root.tag != "VersioningConfiguration":
        raise malformed_xml()
    status = (root.findtext("Status") or "").strip()
    if status not in (ENABLED, SUSPENDED):
        # OSS's reference: InvalidArgument for any state but Enabled or Suspended.
        raise invalid_argument("The versioning state must be Enabled or Suspended.",
                               "Status", status)  # fmt: skip
    call.store.set_versioning(call.bucket, status)
    return Response()


def get_bucket_versioning(call: Call) -> Response:
    status = call.store.bucket(call.bucket).versioning
    content: list[xmlbody.Node] = [("Status", status)] if status else []
    return Response(headers=dict(XML), body=xmlbody.document("VersioningConfiguration", content))


def _entry(meta: ObjectMeta, latest: bool, url: bool, owner_xml: str) -> str:
    """One `<Version>` or `<DeleteMarker>` as text, built by hand as the listing's Contents
    are (a page of 1000 in a few milliseconds)."""
    head = (
        f"<Key>{listed_key(meta.key, url)}</Key><VersionId>{listed_id(meta)}</VersionId>"
        f"<IsLatest>{'true' if latest else 'false'}</IsLatest>"
        f"<LastModified>{listed_time(meta.mtime)}</LastModified>"
    )
    if meta.delete_marker:
        return f"<DeleteMarker>{head}{owner_xml}</DeleteMarker>"
    text = (
        f'<Version>{head}<ETag>"{meta.etag}"</ETag><Type>{meta.object_type}</Type>'
        f"<Size>{meta.size}</Size><StorageClass>{meta.storage_class}</StorageClass>"
    )
    if meta.restore_until is not None:
        restore = restore_header(meta)
        if restore:
            text += f"<RestoreInfo>{escape(restore)}</RestoreInfo>"
    return text + owner_xml + "</Version>"


def list_object_versions(call: Call) -> Response:
    url = encoding(call)
    prefix = call.params.get("prefix", "")
    delimiter = call.params.get("delimiter", "")
    key_marker = call.params.get("key-marker", "")
    version_marker = call.params.get("version-id-marker", "")
    if version_marker and not key_marker:
        # OSS's reference: key-marker is required when version-id-marker is given.
        raise invalid_argument("A version-id marker cannot be specified without a key marker.",
                               "version-id-marker", version_marker)  # fmt: skip
    limit = max_keys(call)
    found, prefixes, truncated, next_key, next_version = call.store.list_versions(
        call.bucket, prefix, delimiter, key_marker, version_marker, limit
    )

    def enc(name: str) -> str:
        return xmlbody.encode_name(name, url)

    content: list[xmlbody.Node | str] = [
        ("Name", call.bucket),
        ("Prefix", enc(prefix)),
        ("KeyMarker", enc(key_marker)),
        ("VersionIdMarker", version_marker),
        ("MaxKeys", limit),
        ("Delimiter", enc(delimiter)),
    ]
    if url:
        content.append(("EncodingType", "url"))
    content.append(("IsTruncated", "true" if truncated else "false"))
    if truncated:
        content += [("NextKeyMarker", enc(next_key)), ("NextVersionIdMarker", next_version)]
    owner_xml = xmlbody.render("Owner", owner(call))
    content += [_entry(meta, latest, url, owner_xml) for meta, latest in found]
    content += [("CommonPrefixes", [("Prefix", enc(p))]) for p in prefixes]
    return Response(headers=dict(XML), body=xmlbody.document("ListVersionsResult", content))
