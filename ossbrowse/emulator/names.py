"""OSS naming rules for buckets and object keys, enforced as OSS does (InvalidBucketName,
InvalidObjectName)."""

from __future__ import annotations

import re

from ossbrowse.emulator.errors import OssError

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")


def is_valid_bucket_name(name: str) -> bool:
    return bool(_BUCKET.match(name))


def check_bucket_name(name: str) -> None:
    if not is_valid_bucket_name(name):
        raise OssError(
            400, "InvalidBucketName", "The specified bucket is not valid.", BucketName=name
        )


def check_object_name(key: str) -> None:
    """1 to 1023 bytes of UTF-8, not starting with `/` or `\\` (the OSS object naming rules)."""
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        size = 0  # lone surrogates: the key was not valid UTF-8 on the wire
    if not 1 <= size <= 1023 or key[0] in "/\\":
        raise OssError(400, "InvalidObjectName", "The specified object is not valid.", Key=key)
