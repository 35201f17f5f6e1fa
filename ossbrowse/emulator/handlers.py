"""The table from operation name (see routing.py) to handler function."""

from __future__ import annotations

from collections.abc import Callable

from ossbrowse.emulator import (
    batch_delete,
    copying,
    handlers_acl,
    handlers_bucket,
    handlers_features,
    handlers_list,
    handlers_more,
    handlers_multipart,
    handlers_object,
    handlers_versions,
    restoring,
    tagging,
)
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError
from ossbrowse.emulator.routing import BUCKET_FEATURES


def not_implemented(call: Call) -> Response:
    raise OssError(501, "NotImplemented", "A header or parameter you provided implies "
                   "functionality that is not implemented.")  # fmt: skip


def method_not_allowed(call: Call) -> Response:
    raise OssError(405, "MethodNotAllowed", "The specified method is not allowed against this "
                   "resource.")  # fmt: skip


HANDLERS: dict[str, Callable[[Call], Response]] = {
    "method_not_allowed": method_not_allowed,
    "not_implemented": not_implemented,
    "list_buckets": handlers_bucket.list_buckets,
    "put_bucket": handlers_bucket.put_bucket,
    "delete_bucket": handlers_bucket.delete_bucket,
    "get_bucket_info": handlers_bucket.get_bucket_info,
    "get_bucket_location": handlers_bucket.get_bucket_location,
    "get_bucket_stat": handlers_bucket.get_bucket_stat,
    "get_bucket_acl": handlers_acl.get_bucket_acl,
    "put_bucket_acl": handlers_acl.put_bucket_acl,
    "list_objects": handlers_list.list_objects,
    "list_objects_v2": handlers_list.list_objects_v2,
    "list_object_versions": handlers_versions.list_object_versions,
    "get_bucket_versioning": handlers_versions.get_bucket_versioning,
    "put_bucket_versioning": handlers_versions.put_bucket_versioning,
    "put_object": handlers_object.put_object,
    "get_object": handlers_object.get_object,
    "head_object": handlers_object.head_object,
    "get_object_meta": handlers_object.get_object_meta,
    "delete_object": handlers_object.delete_object,
    "get_object_acl": handlers_acl.get_object_acl,
    "put_object_acl": handlers_acl.put_object_acl,
    "copy_object": copying.copy_object,
    "append_object": handlers_more.append_object,
    "delete_multiple_objects": batch_delete.delete_multiple_objects,
    "restore_object": restoring.restore_object,
    "initiate_multipart_upload": handlers_multipart.initiate_multipart_upload,
    "upload_part": handlers_multipart.upload_part,
    "upload_part_copy": handlers_multipart.upload_part_copy,
    "complete_multipart_upload": handlers_multipart.complete_multipart_upload,
    "abort_multipart_upload": handlers_multipart.abort_multipart_upload,
    "list_parts": handlers_multipart.list_parts,
    "list_multipart_uploads": handlers_multipart.list_multipart_uploads,
}
HANDLERS.update(handlers_features.handlers(BUCKET_FEATURES))
HANDLERS.update(tagging.HANDLERS)
