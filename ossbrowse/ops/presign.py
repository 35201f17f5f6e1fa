"""Presigned GET URLs for objects: the signing call the UI's `y` key needs, without oss2 in ui/."""

from __future__ import annotations

from ossbrowse.errors import UsageError
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.gateway.client import OssClient
from ossbrowse.fs.url import parse_oss_url

# V4 presigned URLs may live at most 7 days; V1 has no cap, but a week is a sane bound anyway.
MAX_EXPIRES = 7 * 24 * 3600


def presign_get(client: OssClient, url: str, expires: int) -> str:
    """A URL anyone can GET the object with for `expires` seconds (signed with the client's
    keys: V4 where the region is known, else V1)."""
    parsed = parse_oss_url(url)
    if parsed.bucket is None or not parsed.key or parsed.key.endswith("/"):
        raise UsageError(f"{url} is not an object.", hint="Presign a file, not a folder.")
    if not 0 < expires <= MAX_EXPIRES:
        raise UsageError("A presigned URL lives from 1 second to 7 days.", hint="Give 7d or less.")
    bucket = client.bucket(parsed.bucket)
    with client.translate("oss:GetObject", parsed.bucket, parsed.key):
        return objects.presign_get(bucket, parsed.key, expires)
