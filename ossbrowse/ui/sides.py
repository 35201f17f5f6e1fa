"""Which file system serves a path: local paths go to one, `oss://` URLs to the other.

The OSS side may be missing (no credentials found); asking for it then raises a `ConfigError`
that says how to give credentials, and the UI shows that as a notification. It is made on
first use (`oss_factory`): that imports oss2 (~0.2 s), which the first listing worker does off
the UI thread, after the first frame.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ossbrowse.errors import ConfigError, OssBrowseError
from ossbrowse.fs.base import FileSystem


def is_oss_path(path: str) -> bool:
    return path.startswith("oss://")


@dataclass
class Sides:
    local: FileSystem
    oss: FileSystem | None = None
    oss_problem: str = ""  # why there is no OSS side, said to the user when they go there
    oss_factory: Callable[[], FileSystem] | None = None  # makes `oss` the first time
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def for_path(self, path: str) -> FileSystem:
        if not is_oss_path(path):
            return self.local
        if self.oss is None and self.oss_factory is not None and not self.oss_problem:
            with self._lock:
                if self.oss is None and not self.oss_problem:
                    try:
                        self.oss = self.oss_factory()
                    except OssBrowseError as exc:
                        self.oss_problem = str(exc)
        if self.oss is None:
            if self.oss_problem:
                raise ConfigError(self.oss_problem)
            raise ConfigError(
                "No OSS connection is configured.",
                hint="Set OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_ENDPOINT, "
                "or run `ossbrowse config` to see the credential chain.",
            )
        return self.oss

    def parent(self, path: str) -> str | None:
        """The folder above `path`, without making the OSS side (a URL is enough)."""
        if not is_oss_path(path):
            return self.local.parent(path)
        from ossbrowse.fs.url import format_oss_url, parse_oss_url

        url = parse_oss_url(path)
        if url.bucket is None:
            return None
        if not url.key:
            return "oss://"
        head, sep, _ = url.key.removesuffix("/").rpartition("/")
        return format_oss_url(url.bucket, head + sep)

    def close(self) -> None:
        self.local.close()
        if self.oss is not None:
            self.oss.close()
