"""Presigned GET URLs for objects: what may be presigned (the UI's `y` key); the signing itself
is the OSS side's (`OssFileSystem.presign_get`, through the gateway)."""

from __future__ import annotations

from ossbrowse.errors import UsageError
from ossbrowse.fs.url import parse_oss_url

# V4 presigned URLs may live at most 7 days; V1 has no cap, but a week is a sane bound anyway.
MAX_EXPIRES = 7 * 24 * 3600


def check_presign(url: str, expires: int) -> None:
    """Refuse what cannot be presigned: a folder, or a life outside 1 second to 7 days."""
    parsed = parse_oss_url(url)
    if parsed.bucket is None or not parsed.key or parsed.key.endswith("/"):
        raise UsageError(f"{url} is not an object.", hint="Presign a file, not a folder.")
    if not 0 < expires <= MAX_EXPIRES:
        raise UsageError("A presigned URL lives from 1 second to 7 days.", hint="Give 7d or less.")
