"""Find: the files under a folder or prefix that a filter selects, a page at a time, as found.

One flat listing on OSS (no delimiter: a request per 1000 keys however deep the tree) or one
local walk; each page is filtered as it arrives, so the first hit is out after the first page
and memory holds a page, never a record per object. Used by `ossbrowse find` and by the UI's
find dialog (its results open as a virtual folder, `ui/found_folder.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ossbrowse.fs.base import Entry, FileSystem
from ossbrowse.ops.filters import Filter


def find_pages(
    fs: FileSystem, path: str, filt: Filter, cancelled: Callable[[], bool] | None = None
) -> Iterator[list[Entry]]:
    """The matching files under `path`, a page at a time (each entry's `name` is its path
    below `path`, its `path` the full one); folders and folder markers never match. Pages
    without a match are not yielded; `cancelled` is asked before each listing request."""
    for page in fs.walk_pages(path):
        if cancelled is not None and cancelled():
            return
        found = [e for e in page if not e.is_dir and filt.matches(e)]
        if found:
            yield found
