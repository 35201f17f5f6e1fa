"""What one pane lists: loaded entries, their sorted and filtered view, and the marks.

Plain Python (no Textual) so it can be tested and timed alone. Pages of 1000 entries arrive
while the user already scrolls; with the default sort (name, ascending) OSS pages come in key
order, so a page is appended in O(page) instead of re-sorting 100,000 entries each time. In any
other order a page is merged in: the sort keys are kept beside the entries (computing them was
most of a re-sort: a page into 100,000 entries by size took ~45 ms, merged ~20 ms).
"""

from __future__ import annotations

import enum
import fnmatch
import operator
from bisect import bisect_right
from collections.abc import Callable, Iterable

from ossbrowse.fs.base import Entry


class SortKey(enum.Enum):
    NAME = "name"
    SIZE = "size"
    TIME = "time"


_KEYS: dict[SortKey, Callable[[Entry], object]] = {
    SortKey.NAME: operator.attrgetter("name"),
    SortKey.SIZE: lambda e: (e.size, e.name),
    SortKey.TIME: lambda e: (e.mtime or 0.0, e.name),
}


class ListingModel:
    """Entries of one folder; `view` is what the list draws (folders first, sorted, filtered)."""

    def __init__(self) -> None:
        # Both ascending by the sort key, with the keys beside them; `reverse` reverses `view`.
        self._folders: list[Entry] = []
        self._files: list[Entry] = []
        self._folder_keys: list = []
        self._file_keys: list = []
        self.sort_key = SortKey.NAME
        self.reverse = False
        self.filter_text = ""
        self.view: list[Entry] = []
        self.marked: dict[str, Entry] = {}
        self._marked_size = 0

    # -- loading ---------------------------------------------------------------------------

    def clear(self) -> None:
        self._folders.clear()
        self._files.clear()
        self._folder_keys.clear()
        self._file_keys.clear()
        self.view = []
        self.marked.clear()
        self._marked_size = 0

    @property
    def loaded(self) -> int:
        return len(self._folders) + len(self._files)

    def add(self, entries: Iterable[Entry]) -> bool:
        """Add one page; keeps `view` sorted and filtered.

        True when the view only grew at its end (what was in it kept its place), so a list
        showing it need not redraw the rows it already shows."""
        entries = list(entries)
        new_folders = [e for e in entries if e.is_dir]
        new_files = [e for e in entries if not e.is_dir]
        key = _KEYS[self.sort_key]
        in_order = True
        for kind in ("folders", "files"):
            new = new_folders if kind == "folders" else new_files
            if not new:
                continue
            keyed = sorted(zip(map(key, new), range(len(new)), strict=True))  # ties: by arrival
            new_keys = [k for k, _ in keyed]
            new = [new[i] for _, i in keyed]
            old, old_keys = self._lists(kind)
            if not old_keys or not new_keys[0] < old_keys[-1]:
                old.extend(new)
                old_keys.extend(new_keys)
            else:
                in_order = False
                merged, merged_keys = _merge(old, old_keys, new, new_keys)
                self._set_lists(kind, merged, merged_keys)
        if in_order and not self.filter_text and not self.reverse:
            # The common case while a big prefix loads: both lists only grew at their ends.
            appended = not new_folders or len(self._files) == len(new_files)
            self.view = self._folders + self._files
            return appended
        self._rebuild_view()
        return False

    def _lists(self, kind: str) -> tuple[list[Entry], list]:
        if kind == "folders":
            return self._folders, self._folder_keys
        return self._files, self._file_keys

    def _set_lists(self, kind: str, entries: list[Entry], keys: list) -> None:
        if kind == "folders":
            self._folders, self._folder_keys = entries, keys
        else:
            self._files, self._file_keys = entries, keys

    # -- ordering and filtering --------------------------------------------------------------

    def set_sort(self, key: SortKey, reverse: bool | None = None) -> None:
        self.sort_key = key
        if reverse is not None:
            self.reverse = reverse
        fn = _KEYS[key]
        for kind in ("folders", "files"):
            entries, _ = self._lists(kind)
            keyed = sorted(zip(map(fn, entries), range(len(entries)), strict=True))
            self._set_lists(kind, [entries[i] for _, i in keyed], [k for k, _ in keyed])
        self._rebuild_view()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self._rebuild_view()

    def _rebuild_view(self) -> None:
        if self.reverse:
            everything = self._folders[::-1] + self._files[::-1]
        else:
            everything = self._folders + self._files
        needle = self.filter_text.casefold()
        if needle:
            everything = [e for e in everything if needle in e.name.casefold()]
        self.view = everything

    def index_of(self, path: str, start: int = 0) -> int | None:
        """Where the entry `path` is in the view (looking from `start` on), or None."""
        view = self.view
        for i in range(start, len(view)):
            if view[i].path == path:
                return i
        return None

    def replace(self, entry: Entry) -> None:
        """Put a fresher `entry` (same path) in place, e.g. after a restore started."""
        for lst in (self._folders, self._files, self.view):
            for i, old in enumerate(lst):
                if old.path == entry.path:
                    lst[i] = entry
                    break
        if entry.path in self.marked:
            self.marked[entry.path] = entry

    # -- marks -------------------------------------------------------------------------------

    @property
    def marked_count(self) -> int:
        return len(self.marked)

    @property
    def marked_size(self) -> int:
        return self._marked_size

    def is_marked(self, entry: Entry) -> bool:
        return entry.path in self.marked

    def set_mark(self, entry: Entry, on: bool) -> None:
        if on and entry.path not in self.marked:
            self.marked[entry.path] = entry
            self._marked_size += entry.size
        elif not on and entry.path in self.marked:
            del self.marked[entry.path]
            self._marked_size -= entry.size

    def toggle_mark(self, entry: Entry) -> None:
        self.set_mark(entry, entry.path not in self.marked)

    def mark_pattern(self, pattern: str, on: bool = True) -> int:
        """Mark (or unmark) every entry in view whose name matches a shell glob; how many."""
        count = 0
        for entry in self.view:
            if fnmatch.fnmatchcase(entry.name.rstrip("/"), pattern):
                if self.is_marked(entry) != on:
                    count += 1
                self.set_mark(entry, on)
        return count

    def invert_marks(self) -> None:
        """Like Midnight Commander's `*`: files flip; folders are left alone."""
        for entry in self.view:
            if not entry.is_dir:
                self.toggle_mark(entry)

    def clear_marks(self) -> None:
        self.marked.clear()
        self._marked_size = 0

    def selection(self, current: Entry | None) -> list[Entry]:
        """What an action applies to: the marked entries, else the one under the cursor."""
        if self.marked:
            return list(self.marked.values())
        return [current] if current is not None else []


def _merge(old: list[Entry], old_keys: list, new: list[Entry], new_keys: list):
    """Two key-sorted lists as one (`new` after equal keys of `old`): a binary search per new
    entry and slices copied in C, instead of sorting everything again."""
    merged: list[Entry] = []
    merged_keys: list = []
    start = 0
    for entry, key in zip(new, new_keys, strict=True):
        end = bisect_right(old_keys, key, start)
        merged += old[start:end]
        merged_keys += old_keys[start:end]
        merged.append(entry)
        merged_keys.append(key)
        start = end
    merged += old[start:]
    merged_keys += old_keys[start:]
    return merged, merged_keys
