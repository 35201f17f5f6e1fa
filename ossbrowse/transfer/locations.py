"""Where a transfer reads or writes: a local path or an object, parsed from what was typed.

OSS URLs go through `ossbrowse.fs.url.parse_oss_url`, so a bad bucket or key name is refused
with the rule it breaks before any request is sent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ossbrowse.errors import UsageError


@dataclass(frozen=True, slots=True)
class Location:
    """`bucket` None means local: `path` is then an absolute local path. Else `path` is the key.

    `version_id` names one version of the object (a read-only source): every HEAD, ranged GET
    and part copy of it carries that id, so an overwrite of the key while it is copied cannot
    mix versions. "" is the current version. It never passes to a `child`.
    """

    bucket: str | None
    path: str
    version_id: str = ""

    @property
    def is_oss(self) -> bool:
        return self.bucket is not None

    @property
    def url(self) -> str:
        return f"oss://{self.bucket}/{self.path}" if self.is_oss else self.path

    @property
    def label(self) -> str:
        """The URL, and the version when one is named: what a person is shown."""
        return f"{self.url} (version {self.version_id})" if self.version_id else self.url

    @property
    def name(self) -> str:
        """The last segment (for `cp file folder/`): a key's last part, a path's base name."""
        if self.is_oss:
            return self.path.rstrip("/").rsplit("/", 1)[-1]
        return os.path.basename(self.path.rstrip(os.sep))

    def child(self, relative: str) -> Location:
        """`relative` (always `/`-separated) under this folder location."""
        if self.is_oss:
            base = self.path if (not self.path or self.path.endswith("/")) else self.path + "/"
            return Location(self.bucket, base + relative)
        return Location(None, os.path.join(self.path, *relative.split("/")))


def parse_location(text: str) -> Location:
    """A Location from a command-line argument: `oss://bucket/key` or a local path."""
    if text[:6].lower() == "oss://":
        from ossbrowse.fs.url import parse_oss_url

        url = parse_oss_url(text)
        if url.bucket is None:
            raise UsageError("oss:// alone names every bucket; name a bucket: oss://BUCKET/...")
        return Location(url.bucket, url.key)
    if not text:
        raise UsageError("An empty path was given.")
    from ossbrowse.fs.url import refuse_other_schemes

    refuse_other_schemes(text)  # s3://b/k is not a local folder named `s3:`
    path = os.path.abspath(os.path.expanduser(text))
    # Keep a trailing separator: `cp f dir/` means "into dir", as with oss:// prefixes.
    if text.endswith(os.sep) and not path.endswith(os.sep):
        path += os.sep
    return Location(None, path)


def safe_relative_key(relative: str) -> str | None:
    """`relative` (the part of a key under the source prefix) as a local relative path, or None
    when it cannot safely be one: `..` or `.` segments, empty segments, NUL, a leading `/`.

    A key is anyone's text: `../../.ssh/authorized_keys` is a legal key name, and writing it
    below the destination as it is would write outside the destination.
    """
    if not relative or "\0" in relative or relative.startswith("/"):
        return None
    parts = relative.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    if os.sep != "/" and any(os.sep in p or (os.altsep and os.altsep in p) for p in parts):
        return None
    return relative
