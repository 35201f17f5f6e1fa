"""Parse and validate `oss://bucket/key` URLs, before any request is sent.

ossutil (`oss://bucket/dir/obj`) and Alluxio (`oss://bucket/dir`) write the same shape, so one
parser serves both: the bucket is the URL's authority, the key is everything after the first
`/` after it, taken literally (no percent-decoding, no query or fragment: `?` and `#` are legal
key characters). `oss://` alone names the list of buckets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ossbrowse.errors import InvalidURL
from ossbrowse.text import safe_text

SCHEME = "oss://"
MAX_KEY_BYTES = 1023
_BUCKET_CHARS = re.compile(r"[a-z0-9-]+")


@dataclass(frozen=True, slots=True)
class OssUrl:
    """A parsed URL: `bucket` None for `oss://`; `key` "" for the top of a bucket."""

    bucket: str | None
    key: str = ""

    @property
    def is_folder(self) -> bool:
        """True for `oss://`, a bucket's top, and keys ending in `/` (a prefix)."""
        return not self.key or self.key.endswith("/")

    @property
    def url(self) -> str:
        return format_oss_url(self.bucket, self.key)

    def __str__(self) -> str:
        return self.url


def is_oss_url(text: str) -> bool:
    """Whether `text` is meant as an OSS URL (it may still be invalid)."""
    return text[:6].lower() == SCHEME


def format_oss_url(bucket: str | None, key: str = "") -> str:
    if not bucket:
        return SCHEME
    return f"{SCHEME}{bucket}/{key}"


def bucket_name_problem(name: str) -> str | None:
    """The sentence naming the rule `name` breaks, or None if it is a valid bucket name."""
    shown = safe_text(name)
    if not 3 <= len(name) <= 63:
        return (
            f"Bucket name '{shown}' is {len(name)} characters long; "
            "bucket names are 3 to 63 characters."
        )
    if not _BUCKET_CHARS.fullmatch(name):
        return f"Bucket name '{shown}' may hold only lowercase letters a-z, digits 0-9 and hyphens."
    if name[0] == "-" or name[-1] == "-":
        return f"Bucket name '{shown}' must start and end with a lowercase letter or a digit."
    return None


def key_problem(key: str) -> str | None:
    """The sentence naming the rule `key` breaks, or None. The empty key is a bucket's top."""
    if not key:
        return None
    shown = safe_text(key if len(key) <= 80 else key[:77] + "...")
    if key[0] in "/\\":
        return f"Object key '{shown}' must not start with '/' or '\\'."
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        return f"Object key '{shown}' is not valid UTF-8."
    if size > MAX_KEY_BYTES:
        return f"Object key '{shown}' is {size} bytes of UTF-8; keys are 1 to 1023 bytes."
    return None


def parse_oss_url(text: str) -> OssUrl:
    """`oss://bucket/key` as an OssUrl; InvalidURL naming the broken rule otherwise."""
    if not is_oss_url(text):
        raise InvalidURL(
            f"{safe_text(text)!r} is not an OSS URL.",
            hint="OSS URLs look like oss://bucket/folder/key.",
        )
    rest = text[len(SCHEME) :]
    if not rest:
        return OssUrl(None, "")
    bucket, _, key = rest.partition("/")
    problem = bucket_name_problem(bucket) or key_problem(key)
    if problem:
        raise InvalidURL(problem)
    return OssUrl(bucket, key)


def refuse_other_schemes(text: str) -> None:
    """Refuse a URL of another scheme (http://, s3://) with what to give instead: taken as a
    local path it named a folder `http:` (the UI's go-to, and every verb's paths)."""
    scheme, sep, rest = text.partition("://")
    if not sep or not scheme or not scheme.replace("+", "").replace("-", "").isalnum():
        return
    if scheme.lower() == "oss":
        return
    if scheme.lower() in ("http", "https"):
        host, _, key = rest.partition("/")
        bucket = host.split(".")[0] if ".oss-" in host or ".aliyuncs.com" in host else ""
        instead = f"oss://{bucket}/{key}" if bucket else "oss://bucket/prefix/"
        raise InvalidURL(
            f"{safe_text(text)} is a web address, not a place ossbrowse can open.",
            hint=f"Give an OSS URL ({safe_text(instead)}) or a local path.",
        )
    similar = scheme.lower() in ("s3", "gs") and rest
    instead = f"oss://{rest}" if similar else "oss://bucket/prefix/"
    raise InvalidURL(
        f"{safe_text(scheme)}:// is not a scheme ossbrowse opens.",
        hint=f"Give an OSS URL ({safe_text(instead)}) or a local path.",
    )
