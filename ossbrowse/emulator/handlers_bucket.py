"""Service and bucket handlers: ListBuckets, PutBucket, DeleteBucket, GetBucketInfo,
GetBucketLocation, GetBucketStat."""

from __future__ import annotations

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import invalid_argument
from ossbrowse.emulator.model import BUCKET_ACLS, STORAGE_CLASSES
from ossbrowse.emulator.names import check_bucket_name

XML = {"Content-Type": "application/xml"}


def owner(call: Call) -> list[xmlbody.Node]:
    key_id = call.server.access_key_id
    return [("ID", key_id), ("DisplayName", key_id)]


def endpoint(call: Call) -> str:
    """The bucket's endpoint as the bucket list and bucket info give it.

    OSS writes a bare host (`oss-cn-hangzhou.aliyuncs.com`), which SDKs complete with https,
    the scheme OSS serves. This server speaks http only, so it writes the scheme: SDK code
    that builds a client from this value (alibabacloud-oss-v2's own clean-up does, and
    compares it with its configured endpoint) reaches the server instead of failing on https.
    oss2 and alibabacloud-oss-v2 accept an endpoint with or without a scheme."""
    return f"http://{call.service_host}"


def max_keys(call: Call, name: str = "max-keys", default: int = 100) -> int:
    text = call.params.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise invalid_argument(
            f"Argument {name} must be an integer between 1 and 1000.", name, text
        )
    return int(text)


def list_buckets(call: Call) -> Response:
    prefix = call.params.get("prefix", "")
    marker = call.params.get("marker", "")
    limit = max_keys(call)
    with call.store.lock:
        names = sorted(n for n in call.store.buckets if n.startswith(prefix) and n > marker)
        buckets = [call.store.buckets[n] for n in names]
    truncated = len(buckets) > limit
    buckets = buckets[:limit]
    content: list[xmlbody.Node] = []
    # OSS names the paging fields only when the request pages (the reference's first example,
    # a plain GET /, has none) or when there is more to fetch.
    if truncated or any(name in call.params for name in ("prefix", "marker", "max-keys")):
        content += [("Prefix", prefix), ("Marker", marker), ("MaxKeys", limit)]
        content.append(("IsTruncated", "true" if truncated else "false"))
        if truncated:
            content.append(("NextMarker", buckets[-1].name))
    content.append(("Owner", owner(call)))
    content.append(
        (
            "Buckets",
            [
                (
                    "Bucket",
                    [
                        ("CreationDate", xmlbody.iso8601(b.created)),
                        ("ExtranetEndpoint", endpoint(call)),
                        ("IntranetEndpoint", endpoint(call)),
                        ("Location", f"oss-{b.region}"),
                        ("Name", b.name),
                        ("Region", b.region),
                        ("StorageClass", b.storage_class),
                    ],
                )
                for b in buckets
            ],
        )
    )
    return Response(headers=dict(XML), body=xmlbody.document("ListAllMyBucketsResult", content))


def put_bucket(call: Call) -> Response:
    check_bucket_name(call.bucket)
    acl = call.header("x-oss-acl") or "private"
    if acl not in BUCKET_ACLS:
        raise invalid_argument("no such bucket access control exists", "x-oss-acl", acl)
    storage_class = "Standard"
    body = call.read_xml_body()
    if body.strip():
        root = xmlbody.parse(body)
        found = root.findtext("StorageClass")
        if found:
            storage_class = found
    if storage_class not in STORAGE_CLASSES:
        raise invalid_argument("Invalid storage class.", "StorageClass", storage_class)
    call.store.create_bucket(call.bucket, call.server.region, storage_class, acl)
    return Response(headers={"Location": f"/{call.bucket}"})


def delete_bucket(call: Call) -> Response:
    call.store.delete_bucket(call.bucket)
    return Response(status=204)


def get_bucket_location(call: Call) -> Response:
    bucket = call.store.bucket(call.bucket)
    body = xmlbody.document("LocationConstraint", f"oss-{bucket.region}")
    return Response(headers=dict(XML), body=body)


def get_bucket_info(call: Call) -> Response:
    b = call.store.bucket(call.bucket)
    content: list[xmlbody.Node] = [
        (
            "Bucket",
            [
                ("AccessMonitor", "Disabled"),
                ("CreationDate", xmlbody.iso8601(b.created)),
                ("ExtranetEndpoint", endpoint(call)),
                ("IntranetEndpoint", endpoint(call)),
                ("Location", f"oss-{b.region}"),
                ("StorageClass", b.storage_class),
                ("TransferAcceleration", "Disabled"),
                ("CrossRegionReplication", "Disabled"),
                ("Name", b.name),
                ("Region", b.region),
                ("ResourceGroupId", "rg-default-id"),  # OSS's value for the default group
                ("DataRedundancyType", "LRS"),
                ("BlockPublicAccess", "false"),
                (
                    "Owner",
                    [("DisplayName", call.server.access_key_id), ("ID", call.server.access_key_id)],
                ),
                ("AccessControlList", [("Grant", b.acl)]),
                ("Comment", ""),
                # A bucket without default encryption: OSS says "None" rather than leaving it out.
                ("ServerSideEncryptionRule", [("SSEAlgorithm", "None")]),
                ("BucketPolicy", [("LogBucket", ""), ("LogPrefix", "")]),
                # OSS names the versioning state once it was ever set (oss2 and v2 read it).
                *([("Versioning", b.versioning)] if b.versioning else []),
            ],
        )
    ]
    return Response(headers=dict(XML), body=xmlbody.document("BucketInfo", content))


def get_bucket_stat(call: Call) -> Response:
    with call.store.lock:
        b = call.store.bucket(call.bucket)
        size = sum(m.size for m in b.objects.values())
        count = len(b.objects)
        uploads = len(b.uploads)
        parts = sum(len(u.parts) for u in b.uploads.values())
    content = [
        ("Storage", size),
        ("ObjectCount", count),
        ("MultipartUploadCount", uploads),
        ("MultipartPartCount", parts),
    ]
    return Response(headers=dict(XML), body=xmlbody.document("BucketStat", content))
