"""ListObjectsV2 and ListObjectVersions as sent by oss2: the raw XML answer (read by
`fs.listing_xml`), or (ListObjectsV2 only) oss2's own parsed result, as records, when its
signing primitive is missing.

The raw answer goes through `Bucket._do`, the private primitive oss2's `list_objects_v2` calls
(signing, endpoint, session): oss2's own XML parser costs over half of a large `ossbrowse ls`,
so only the reading is done elsewhere. This is the one place that touches that primitive.
"""

from __future__ import annotations

from ossbrowse.errors import OperationNotSupported
from ossbrowse.fs.gateway.failures import request
from ossbrowse.fs.gateway.handle import BucketHandle, sdk_bucket
from ossbrowse.fs.records import ObjectRecord, from_listing


@request("oss:ListObjects", key=None)
def list_objects_v2_xml(
    handle: BucketHandle,
    *,
    prefix: str,
    delimiter: str,
    continuation_token: str,
    start_after: str,
    max_keys: int,
) -> bytes | None:
    """One page's XML body; None when this oss2 has no `_do` (then use `list_objects_v2`)."""
    bucket = sdk_bucket(handle)
    do = getattr(bucket, "_do", None)
    if do is None:
        return None
    # The same query oss2's list_objects_v2 sends, so servers see no difference.
    params = {
        "list-type": "2",
        "prefix": prefix,
        "delimiter": delimiter,
        "continuation-token": continuation_token,
        "start-after": start_after,
        "fetch-owner": "false",
        "max-keys": str(max_keys),
        "encoding-type": "url",
    }
    body: bytes = do("GET", bucket.bucket_name, "", params=params).read()
    return body


@request("oss:ListObjectVersions", key=None)
def list_object_versions_xml(
    handle: BucketHandle,
    *,
    prefix: str,
    delimiter: str,
    key_marker: str,
    version_id_marker: str,
    max_keys: int,
) -> bytes:
    """One ListObjectVersions page's XML body (the query oss2's list_object_versions sends).

    Unlike ListObjectsV2 there is no fallback to oss2's public call: it hands versions and
    delete markers over as two lists, and their order (each key's newest first) cannot be
    told back from times to the second. `_do` is in every oss2 release; without it, say so."""
    bucket = sdk_bucket(handle)
    do = getattr(bucket, "_do", None)
    if do is None:
        raise OperationNotSupported(
            "This oss2 release cannot send the request that lists versions in order.",
            hint="Install an oss2 release of 2.x (pip install -U oss2).",
        )
    params = {
        "prefix": prefix,
        "delimiter": delimiter,
        "key-marker": key_marker,
        "version-id-marker": version_id_marker,
        "max-keys": str(max_keys),
        "encoding-type": "url",
        "versions": "",
    }
    body: bytes = do("GET", bucket.bucket_name, "", params=params).read()
    return body


@request("oss:ListObjects", key=None)
def list_objects_v2(
    handle: BucketHandle,
    *,
    prefix: str,
    delimiter: str,
    continuation_token: str,
    start_after: str,
    max_keys: int,
) -> tuple[list[ObjectRecord], list[str], bool, str]:
    """One page through oss2's public call: its objects as records, its common prefixes,
    whether it is truncated and the token of the next page."""
    result = sdk_bucket(handle).list_objects_v2(
        prefix=prefix,
        delimiter=delimiter,
        continuation_token=continuation_token,
        start_after=start_after,
        max_keys=max_keys,
    )
    records = [
        from_listing(
            info.key,
            info.last_modified,
            info.etag,
            info.type,
            int(info.size),
            info.storage_class,
            getattr(info, "restore_info", None),
        )
        for info in result.object_list
    ]
    token = result.next_continuation_token or ""
    return records, list(result.prefix_list), bool(result.is_truncated), token
