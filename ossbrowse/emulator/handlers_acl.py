"""ACL handlers (bucket and object, get and put) and what an anonymous request may do."""

from __future__ import annotations

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import invalid_argument
from ossbrowse.emulator.handlers_bucket import XML, owner
from ossbrowse.emulator.model import ACLS, BUCKET_ACLS
from ossbrowse.emulator.versions import version_headers

_READS = {"get_object", "head_object", "get_object_meta"}
_WRITES = {"put_object", "append_object", "delete_object"}


def anonymous_allowed(call: Call) -> bool:
    """An unsigned request passes only where a public-read(-write) ACL lets it."""
    if not call.bucket or not (call.operation in _READS or call.operation in _WRITES):
        return False
    bucket = call.store.buckets.get(call.bucket)
    if bucket is None:
        return False
    acl = bucket.acl
    meta = bucket.objects.get(call.key)
    if meta is not None and meta.acl != "default":
        acl = meta.acl
    if call.operation in _READS:
        return acl in ("public-read", "public-read-write")
    return acl == "public-read-write"


def _acl_document(call: Call, grant: str) -> bytes:
    content: list[xmlbody.Node] = [
        ("Owner", owner(call)),
        ("AccessControlList", [("Grant", grant)]),
    ]
    return xmlbody.document("AccessControlPolicy", content)


def get_bucket_acl(call: Call) -> Response:
    bucket = call.store.bucket(call.bucket)
    return Response(headers=dict(XML), body=_acl_document(call, bucket.acl))


def put_bucket_acl(call: Call) -> Response:
    acl = call.header("x-oss-acl")
    if acl not in BUCKET_ACLS:
        raise invalid_argument("no such bucket access control exists", "x-oss-acl", acl)
    call.store.set_bucket_acl(call.bucket, acl)
    return Response()


def get_object_acl(call: Call) -> Response:
    meta = call.store.get(call.bucket, call.key, call.params.get("versionId"))
    headers = {**XML, **version_headers(call.store.bucket(call.bucket).versioning, meta)}
    return Response(headers=headers, body=_acl_document(call, meta.acl))


def put_object_acl(call: Call) -> Response:
    acl = call.header("x-oss-object-acl")
    if acl not in ACLS:
        raise invalid_argument("no such object access control exists", "x-oss-object-acl", acl)
    with call.store.lock:
        meta = call.store.get(call.bucket, call.key, call.params.get("versionId"))
        meta.acl = acl
        call.store.update(call.bucket, meta)
    return Response(headers=version_headers(call.store.bucket(call.bucket).versioning, meta))
