"""Plain file operations the panes need, on the FileSystem contract only (no Textual).

Where a copy or a move lands (`target_path`), and the delete of local entries, which runs as a
task on the one runner and stops between entries when cancelled. Moves (any direction) and OSS
deletes go through `ops` (plan, price, journal).
"""

from __future__ import annotations

from collections.abc import Callable

from ossbrowse.errors import NotFoundError
from ossbrowse.fs.base import Entry, FileSystem


def target_path(fs: FileSystem, folder: str, entry: Entry) -> str:
    """Where `entry` lands when copied into `folder` of `fs` (a folder keeps its name)."""
    name = entry.name.rstrip("/")
    path = fs.join(folder, name)
    if entry.is_dir and path.startswith("oss://") and not path.endswith("/"):
        path += "/"
    return path


def delete_tree(fs: FileSystem, entry: Entry, cancelled: Callable[[], bool]) -> int:
    """Delete a file, or a folder with everything in it; how many entries were deleted.

    A folder is emptied page by page from its first page again each time (deleting under a
    live listing token would skip entries), then removed itself.
    """
    if not entry.is_dir:
        fs.delete(entry.path)
        return 1
    count = 0
    while not cancelled():
        page = fs.list_page(entry.path)
        if not page.entries:
            break
        for child in page.entries:
            if cancelled():
                return count
            count += delete_tree(fs, child, cancelled)
    if not cancelled():
        try:
            fs.delete(entry.path)
            count += 1
        except NotFoundError:
            pass  # an OSS "folder" made only of its children has no marker left to delete
    return count
