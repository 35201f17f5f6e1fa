"""Plain file operations the panes need, on the FileSystem contract only (no Textual).

Where a copy or a move lands (`target_path`), and the delete of local entries, which runs as a
task on the one runner and stops between entries when cancelled. Moves (any direction) and OSS
deletes go through `ops` (plan, price, journal).
"""

from __future__ import annotations

from collections.abc import Callable

from ossbrowse.errors import NotFoundError, UsageError
from ossbrowse.fs.base import Entry, FileSystem
from ossbrowse.text import safe_text
from ossbrowse.transfer.locations import safe_relative_key


def target_path(fs: FileSystem, folder: str, entry: Entry) -> str:
    """Where `entry` lands when copied into `folder` of `fs` (a folder keeps its name).

    A name is anyone's key: `..` (a listed `../` folder) or a found entry's path below the
    search folder (`../../x`) would land outside a local `folder`, so such a name is refused
    there (UsageError), as the transfer walks refuse such keys."""
    name = entry.name.rstrip("/")
    if not folder.startswith("oss://") and safe_relative_key(name) is None:
        raise UsageError(
            f"{safe_text(entry.name)} cannot be written into {safe_text(folder)}: its name has "
            "an empty, . or .. part, and would land outside that folder.",
            hint="Nothing was copied for it; copy it to an OSS folder, or rename it first.",
        )
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
