"""Which file system serves a path: local paths go to one, `oss://` URLs to the other.

The OSS side may be missing (no credentials found); asking for it then raises a `ConfigError`
that says how to give credentials, and the UI shows that as a notification.
"""

from __future__ import annotations

from dataclasses import dataclass

from ossbrowse.errors import ConfigError
from ossbrowse.fs.base import FileSystem


def is_oss_path(path: str) -> bool:
    return path.startswith("oss://")


@dataclass
class Sides:
    local: FileSystem
    oss: FileSystem | None = None
    oss_problem: str = ""  # why there is no OSS side, said to the user when they go there

    def for_path(self, path: str) -> FileSystem:
        if not is_oss_path(path):
            return self.local
        if self.oss is None:
            if self.oss_problem:
                raise ConfigError(self.oss_problem)
            raise ConfigError(
                "No OSS connection is configured.",
                hint="Set OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_ENDPOINT, "
                "or run `ossbrowse config` to see the credential chain.",
            )
        return self.oss

    def close(self) -> None:
        self.local.close()
        if self.oss is not None:
            self.oss.close()
