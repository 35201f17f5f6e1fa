"""Keep files from a bucket inside the destination folder, through symbolic links too.

A key is anyone's text, and `safe_relative_key` already refuses `..` in it. But a folder inside
the destination may itself be a symbolic link (`dest/cache -> ../outside`): a key
`pre/cache/evil.sh` would then be written to `outside/evil.sh`. As tar and unzip do, a file
whose way down from the destination passes through a symbolic link is refused (and named in the
summary); the destination folder itself may be a link: the person chose it.

The check is made as each file is walked, just before it is written. A link planted in the
destination during the copy by another local user who may write there can still win that
race (RELIABILITY.md says so).
"""

from __future__ import annotations

import os
import stat

from ossbrowse.text import safe_text


class Confinement:
    """Checks paths under one destination folder; remembers the real folders it has seen, so a
    deep tree costs one `lstat` per new folder, not per file."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self._real_folders: set[str] = set()

    def refusal(self, path: str) -> str | None:
        """Why writing `path` could leave the destination folder, or None when it cannot."""
        path = os.path.abspath(path)
        relative = os.path.relpath(path, self.root)
        parts = relative.split(os.sep)
        if relative == os.curdir or parts[0] == os.pardir:
            return "refused: it would be written outside the destination folder"
        folder = self.root
        for name in parts[:-1]:
            folder = os.path.join(folder, name)
            if folder in self._real_folders:
                continue
            try:
                st = os.lstat(folder)
            except FileNotFoundError:
                return None  # created below this point by the copy itself: real folders
            except OSError:
                return None  # unreadable: the write fails with the real reason
            if stat.S_ISLNK(st.st_mode):
                shown = safe_text(os.path.relpath(folder, self.root))
                return (
                    f"refused: the folder {shown} in the destination is a symbolic link, and "
                    "files from a bucket are never written through one (it could lead outside "
                    "the destination)"
                )
            if not stat.S_ISDIR(st.st_mode):
                return None  # a file in the way: the write reports that clash
            self._real_folders.add(folder)
        return None
