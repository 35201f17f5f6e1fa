"""Find's results as a virtual folder in a pane (MC's "panelize").

The pane stays at the folder the search started from (`pane.path`: its file system, its write
gate, its reloads) and shows, instead of that folder's listing, the files the search finds,
streamed page by page from the pane's own listing worker: Esc stops the search, and a reload
runs it again (a deleted file is then gone from the results). Each row keeps its full path
(an object's whole URL, a file's absolute path) and is named by its path below the search's
folder, so copy, move, delete, restore, view and inspect act on it as on any row.
Backspace, `..` or Esc (once the search is over) leave the results for the folder they came
from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ossbrowse.fs.base import Entry, FileSystem
from ossbrowse.ops.filters import Filter
from ossbrowse.ops.find import find_pages
from ossbrowse.ui.sides import is_oss_path

if TYPE_CHECKING:
    from ossbrowse.ui.main_screen import MainScreen
    from ossbrowse.ui.pane import Pane


class FoundFolder:
    """A pane's virtual listing (`pane.VirtualListing`): the files `filt` selects under `root`."""

    def __init__(self, fs: FileSystem, root: str, filt: Filter) -> None:
        self.fs = fs
        self.root = root
        self.filter = filt
        conditions = ", ".join(filt.describe()) or "every file"
        self.title = f"find in {root}: {conditions}"

    def __call__(self, cancelled: Callable[[], bool]) -> Iterator[list[Entry]]:
        return find_pages(self.fs, self.root, self.filter, cancelled)


def open_find(screen: MainScreen) -> None:
    """The find dialog for the active pane's folder; its results open in that pane."""
    from ossbrowse.ui.find_dialog import FindDialog

    pane = screen.active
    root = pane.path
    if root == "oss://":
        screen.app.notify("Open a bucket first: find searches a bucket, a prefix or a folder.")
        return

    def chosen(filt: Filter | None) -> None:
        if filt is not None:
            show_found(pane, filt)

    screen.app.push_screen(FindDialog(root, local=not is_oss_path(root)), chosen)


def show_found(pane: Pane, filt: Filter) -> None:
    """Search the pane's folder and show what is found there, as it is found."""
    pane.open(pane.path, virtual=FoundFolder(pane.fs, pane.path, filt))
    pane.file_list.focus()


def leave_found(pane: Pane) -> bool:
    """Back from the results to the folder the search started in; False when not in results."""
    if pane.virtual is None:
        return False
    pane.open(pane.path)
    return True
