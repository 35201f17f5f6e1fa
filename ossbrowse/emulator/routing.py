"""Which OSS operation a request is: method + bucket/key presence + subresource parameters.

Operation names are the snake_case of OSS's action names (put_object, upload_part, ...); the
fault plan and the handler table use the same names. A request naming a sub-resource the
server does not implement is "not_implemented" (501), never another operation's result.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.message import Message

from ossbrowse.emulator.subresources import OPERATION_SELECTING

_IGNORED_PREFIX = "response-"  # response-content-type & co. only shape a GET's headers
# Parameters that only qualify an operation (a session token, a listing page).
_QUALIFIERS = {"security-token", "continuation-token"}

# Sub-resources each kind of request answers; any other operation-selecting one is 501.
SERVICE_SUBRESOURCES: set[str] = set()
OBJECT_SUBRESOURCES = {
    "acl", "uploads", "uploadId", "partNumber", "objectMeta", "append", "position", "restore",
}  # fmt: skip
OBJECT_SUBRESOURCES.add("tagging")  # object tagging: see tagging.py
OBJECT_SUBRESOURCES.add("versionId")  # one version of an object: see versions.py
BUCKET_SUBRESOURCES = {"acl", "uploads", "delete", "location", "bucketInfo", "stat", "versioning"}

# Bucket features this server never configures: reading one answers what OSS answers for a
# bucket without it, deleting one succeeds (see handlers_features.py). Setting one is 501.
BUCKET_FEATURES = {
    "lifecycle", "cors", "referer", "website", "encryption", "tagging", "policy",
    "inventory", "logging", "live", "worm",
}  # fmt: skip
BUCKET_SUBRESOURCES |= BUCKET_FEATURES | {"inventoryId", "versions"}


# Compared without case: both SDKs send `accessmonitor` where OSS's reference writes
# `accessMonitor`, and OSS answers either.
_SELECTING_LOWER = {name.lower() for name in OPERATION_SELECTING}


def _unimplemented(params: Mapping[str, str], supported: set[str]) -> bool:
    return any(
        p.lower() in _SELECTING_LOWER
        and p not in supported
        and p not in _QUALIFIERS
        and not p.startswith(_IGNORED_PREFIX)
        for p in params
    )


def operation(method: str, bucket: str | None, key: str, params: Mapping[str, str],
              headers: Mapping[str, str] | Message) -> str:  # fmt: skip
    if not bucket:
        if _unimplemented(params, SERVICE_SUBRESOURCES):
            return "not_implemented"
        return "list_buckets" if method == "GET" else "method_not_allowed"
    if not key:
        if _unimplemented(params, BUCKET_SUBRESOURCES):
            return "not_implemented"
        return _bucket_operation(method, params)
    if _unimplemented(params, OBJECT_SUBRESOURCES):
        return "not_implemented"
    return _object_operation(method, params, "x-oss-copy-source" in headers)


def _object_operation(method: str, params: Mapping[str, str], copy: bool) -> str:
    if "tagging" in params and method in ("GET", "PUT", "DELETE"):
        return {"GET": "get_object_tagging", "PUT": "put_object_tagging"}.get(
            method, "delete_object_tagging"
        )
    if method == "PUT":
        if "acl" in params:
            return "put_object_acl"
        if "uploadId" in params and "partNumber" in params:
            return "upload_part_copy" if copy else "upload_part"
        return "copy_object" if copy else "put_object"
    if method == "POST":
        if "append" in params:
            return "append_object"
        if "uploads" in params:
            return "initiate_multipart_upload"
        if "uploadId" in params:
            return "complete_multipart_upload"
        if "restore" in params:
            return "restore_object"
        return "method_not_allowed"
    if method == "GET":
        if "acl" in params:
            return "get_object_acl"
        if "uploadId" in params:
            return "list_parts"
        if "objectMeta" in params:
            return "get_object_meta"
        return "get_object"
    if method == "HEAD":
        return "get_object_meta" if "objectMeta" in params else "head_object"
    if method == "DELETE":
        return "abort_multipart_upload" if "uploadId" in params else "delete_object"
    return "method_not_allowed"


def _bucket_feature(method: str, params: Mapping[str, str]) -> str | None:
    """`get_bucket_<feature>` / `delete_bucket_<feature>`; None when no feature is named."""
    for name in params:
        if name in BUCKET_FEATURES:
            if method in ("GET", "HEAD"):
                return f"get_bucket_{name}"
            if method == "DELETE" and name not in ("live", "referer", "worm"):
                return f"delete_bucket_{name}"
            return "not_implemented"  # setting a feature: the server keeps none
    return None


def _bucket_operation(method: str, params: Mapping[str, str]) -> str:
    if "versioning" in params:
        return {"GET": "get_bucket_versioning", "HEAD": "get_bucket_versioning",
                "PUT": "put_bucket_versioning"}.get(method, "not_implemented")  # fmt: skip
    feature = _bucket_feature(method, params)
    if feature is not None:
        return feature
    if method not in ("GET", "HEAD") and ("versions" in params or "inventoryId" in params):
        return "not_implemented"  # never a PutBucket or DeleteBucket in disguise
    if method == "PUT":
        return "put_bucket_acl" if "acl" in params else "put_bucket"
    if method == "DELETE":
        return "delete_bucket"
    if method == "POST":
        return "delete_multiple_objects" if "delete" in params else "method_not_allowed"
    if method in ("GET", "HEAD"):
        for name, op in (
            ("acl", "get_bucket_acl"),
            ("location", "get_bucket_location"),
            ("bucketInfo", "get_bucket_info"),
            ("stat", "get_bucket_stat"),
            ("uploads", "list_multipart_uploads"),
            ("versions", "list_object_versions"),
        ):
            if name in params:
                return op
        return "list_objects_v2" if params.get("list-type") == "2" else "list_objects"
    return "method_not_allowed"


# Operations whose request carries an object body (a reset fault cuts the request there).
UPLOADS = {"put_object", "append_object", "upload_part"}
