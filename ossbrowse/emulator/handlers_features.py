"""Bucket features this server never configures (lifecycle, CORS, referer, website,
encryption, tagging, policy, inventory, logging, live channels, WORM).

A bucket here never has one, so each read answers what OSS answers for a bucket without it:
an empty configuration where OSS sends one, its `NoSuch...` error otherwise (OSS API
reference, each Get operation's page; oss2 and alibabacloud-oss-v2 map these codes). Deletes
succeed with 204, as OSS's do on a bucket without the configuration. SDK clean-up code reads
and deletes these on every bucket it removes, so a 501 here would break it.
"""

from __future__ import annotations

from collections.abc import Callable

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError

XML = {"Content-Type": "application/xml"}

# feature -> (status, code, message) of the error OSS answers when the bucket has none.
_MISSING = {
    "lifecycle": (404, "NoSuchLifecycle", "No Row found in Lifecycle Table."),
    "cors": (404, "NoSuchCORSConfiguration", "The CORS Configuration does not exist."),
    "website": (
        404,
        "NoSuchWebsiteConfiguration",
        "The specified bucket does not have a website configuration.",
    ),
    "encryption": (
        404,
        "NoSuchServerSideEncryptionRule",
        "The server side encryption configuration was not found.",
    ),
    "policy": (404, "NoSuchBucketPolicy", "The bucket policy does not exist."),
    "worm": (404, "NoSuchWORMConfiguration", "The WORM Configuration does not exist."),
}


def _empty_document(call: Call, feature: str) -> bytes:
    if feature == "referer":
        # OSS: "if no Referer is configured, the default AllowEmptyReferer and an empty
        # RefererList are returned".
        return xmlbody.document(
            "RefererConfiguration",
            [
                ("AllowEmptyReferer", "true"),
                ("AllowTruncateQueryString", "true"),
                ("TruncatePath", "false"),
                ("RefererList", []),
            ],
        )
    if feature == "tagging":
        return xmlbody.document("Tagging", [("TagSet", [])])
    if feature == "logging":
        return xmlbody.document("BucketLoggingStatus", [])
    if feature == "inventory":
        return xmlbody.document("ListInventoryConfigurationsResult", [("IsTruncated", "false")])
    if feature == "live":
        prefix = call.params.get("prefix", "")
        marker = call.params.get("marker", "")
        max_keys = call.params.get("max-keys", "") or "100"
        content = [
            ("Prefix", prefix),
            ("Marker", marker),
            ("MaxKeys", max_keys),
            ("IsTruncated", "false"),
            ("NextMarker", ""),
        ]
        return xmlbody.document("ListLiveChannelResult", content)
    raise AssertionError(feature)


def _get(feature: str) -> Callable[[Call], Response]:
    def handler(call: Call) -> Response:
        call.store.bucket(call.bucket)  # NoSuchBucket first, as OSS
        if feature == "inventory" and "inventoryId" in call.params:
            raise OssError(404, "NoSuchInventory", "The specified inventory does not exist.")
        if feature in _MISSING:
            status, code, message = _MISSING[feature]
            raise OssError(status, code, message, BucketName=call.bucket or "")
        return Response(headers=dict(XML), body=_empty_document(call, feature))

    handler.__name__ = f"get_bucket_{feature}"
    return handler


def _delete(feature: str) -> Callable[[Call], Response]:
    def handler(call: Call) -> Response:
        call.store.bucket(call.bucket)
        return Response(status=204)

    handler.__name__ = f"delete_bucket_{feature}"
    return handler


def handlers(features: set[str]) -> dict[str, Callable[[Call], Response]]:
    table = {f"get_bucket_{name}": _get(name) for name in features}
    table.update({f"delete_bucket_{name}": _delete(name) for name in features})
    return table
