"""Which OSS operation a request is: method + bucket/key presence + subresource parameters.

Operation names are the snake_case of OSS's action names (put_object, upload_part, ...); the
fault plan and the handler table use the same names.
"""

from __future__ import annotations

from collections.abc import Mapping

# Subresources this emulator answers; any other one gets 501 NotImplemented rather than being
# silently treated as a plain object request (which could overwrite or leak an object).
_SUPPORTED = {
    "acl",
    "uploads",
    "uploadId",
    "partNumber",
    "delete",
    "location",
    "bucketInfo",
    "stat",
    "objectMeta",
    "append",
    "position",
    "restore",
    "security-token",
    "continuation-token",
}
_IGNORED_PREFIX = "response-"


def operation(method: str, bucket: str | None, key: str, params: Mapping[str, str],
              headers: Mapping[str, str]) -> str:  # fmt: skip
    from ossbrowse.emulator.auth import V1_SUBRESOURCES

    unsupported = [
        p
        for p in params
        if p in V1_SUBRESOURCES and p not in _SUPPORTED and not p.startswith(_IGNORED_PREFIX)
    ]
    if unsupported:
        return "not_implemented"
    if not bucket:
        return "list_buckets" if method == "GET" else "method_not_allowed"
    copy = "x-oss-copy-source" in headers
    if not key:
        return _bucket_operation(method, params)
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


def _bucket_operation(method: str, params: Mapping[str, str]) -> str:
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
        ):
            if name in params:
                return op
        return "list_objects_v2" if params.get("list-type") == "2" else "list_objects"
    return "method_not_allowed"


# Operations whose request carries an object body (a reset fault cuts the request there).
UPLOADS = {"put_object", "append_object", "upload_part"}
