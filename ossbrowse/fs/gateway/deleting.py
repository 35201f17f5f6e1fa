"""DeleteMultipleObjects as sent by oss2: the raw XML answer, or oss2's own call.

The raw answer goes through `Bucket._do` (signing, endpoint, session) so that the body and the
reading of the answer stay ours (`fs.delete_batch`: URL-encoded keys, an answer cut short is
retried); this is the one place that touches that primitive for deletes.
"""

from __future__ import annotations

from ossbrowse.fs.gateway.failures import request
from ossbrowse.fs.gateway.handle import BucketHandle, sdk_bucket


@request("oss:DeleteObject", key=None)
def delete_objects_xml(handle: BucketHandle, body: bytes, headers: dict[str, str]) -> bytes | None:
    """POST ?delete with `body`; the answer's XML, None when this oss2 has no `_do`."""
    bucket = sdk_bucket(handle)
    do = getattr(bucket, "_do", None)
    if do is None:
        return None
    params = {"delete": "", "encoding-type": "url"}
    response = do("POST", bucket.bucket_name, "", data=body, params=params, headers=headers)
    answer: bytes = response.read()  # read here, inside the caller's attempt: a cut answer
    return answer  # is retried with the request


@request("oss:DeleteObject", key=None)
def delete_objects(handle: BucketHandle, keys: list[str]) -> set[str]:
    """oss2's own batch delete (raw keys): the keys OSS reports deleted."""
    return set(sdk_bucket(handle).batch_delete_objects(keys).deleted_keys)
