"""How one entry reads on screen: the cells of a list row, as plain text, never markup.

Names come from other people (an OSS key may hold escapes or look like Rich markup), so every
name goes through `safe_text` and rows are built from Segments with styles, not from markup
strings. Widths are counted in terminal cells (CJK names take two cells per character).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from rich.cells import cell_len, set_cell_size

from ossbrowse.fs.base import Entry, EntryKind, RestoreStatus
from ossbrowse.text import human_size as text_human_size
from ossbrowse.text import safe_text

STORAGE_SHORT = {
    "Standard": "STD",
    "IA": "IA",
    "Archive": "ARC",
    "ColdArchive": "CA",
    "DeepColdArchive": "DCA",
}


@dataclass(frozen=True)
class Glyphs:
    marked: str
    archived: str  # archived and not readable now
    restoring: str
    restored: str
    ellipsis: str
    folder_up: str


UNICODE = Glyphs(
    marked="●", archived="❄", restoring="⧗", restored="☀", ellipsis="…", folder_up=".."
)
# "..." for a cut name: a lone "~" read as a home folder.
ASCII = Glyphs(
    marked="*", archived="#", restoring="~", restored="+", ellipsis="...", folder_up=".."
)


class Annotations(Protocol):
    """Notes another view lays over a pane's rows for a while (the two-pane compare's): a
    short tag drawn after an entry's name and a one-line reason the status line shows for the
    highlighted entry. The pane drops them when it lists again (a reload or another folder),
    and with them the marks they made (`marked`, entry paths)."""

    @property
    def marked(self) -> frozenset[str]: ...

    def tag(self, entry: Entry) -> str | None: ...

    def reason(self, entry: Entry) -> str | None: ...


def human_size(size: int) -> str:
    # At most 9 cells (`0.98 GiB`, never `1000.0 MiB`): it never runs into the date column.
    return text_human_size(size)


def format_time(mtime: float | None) -> str:
    if mtime is None:
        return ""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(mtime))


def restore_glyph(entry: Entry, glyphs: Glyphs) -> str:
    status = entry.restore.status
    if status is RestoreStatus.IN_PROGRESS:
        return glyphs.restoring
    if status is RestoreStatus.RESTORED:
        return glyphs.restored
    if entry.is_archived and not entry.restore.readable:
        return glyphs.archived
    if entry.is_archived and status is RestoreStatus.NOT_NEEDED:
        # A listing does not carry x-oss-restore: archived without a known state is unreadable
        # as far as we know until `stat` says otherwise.
        return glyphs.archived
    return " "


def is_unreadable(entry: Entry) -> bool:
    """Archived and not (known to be) restored: drawn dim."""
    return entry.is_archived and entry.restore.status is not RestoreStatus.RESTORED


def display_name(entry: Entry) -> str:
    name = safe_text(entry.name.rstrip("/") if entry.kind is not EntryKind.FILE else entry.name)
    return name + "/" if entry.kind is EntryKind.FOLDER else name


def fit(text: str, width: int, glyphs: Glyphs) -> str:
    """Cut `text` to `width` cells with an ellipsis, padded to exactly `width` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        mark = glyphs.ellipsis if cell_len(glyphs.ellipsis) < width else ""
        text = set_cell_size(text, width - cell_len(mark)) + mark
    return set_cell_size(text, width)


@dataclass(frozen=True)
class Columns:
    """Cell widths of a row at a given pane width; narrow panes drop the least useful columns."""

    name: int
    size: int
    time: int
    klass: int

    @classmethod
    def for_width(cls, width: int, oss: bool, buckets: bool = False) -> Columns:
        # Buckets show their region (cn-hangzhou) in the class column; objects a short class.
        # A bucket has no size and shows the day it was created: its name gets that room (at
        # 100 columns it had 8 cells).
        size_w, time_w, class_w = (0, 11, 15) if buckets else (10, 17, 5 if oss else 0)
        # The time goes first when the pane narrows; a bucket's day is short, so it stays down
        # to a narrower pane (a half of 100 columns with a scrollbar keeps it).
        if width < (40 if buckets else 48):
            time_w = 0
        if width < 34:
            class_w = 0
        name_w = max(4, width - 2 - size_w - time_w - class_w)
        return cls(name_w, size_w, time_w, class_w)


def row_cells(
    entry: Entry,
    cols: Columns,
    glyphs: Glyphs,
    marked: bool,
    is_up: bool = False,
    tag: str = "",
) -> list[str]:
    """mark, name, size, time, class+restore — each exactly its width in cells.

    `is_up` marks the parent row: a prefix may itself be named `../`, and must not look
    like the way up. `tag` (an `Annotations` tag) takes its width from the name's end, so the
    other columns stay where they are."""
    if entry.kind is EntryKind.BUCKET:
        size = ""
        klass = (entry.region or "")[: max(cols.klass, 0)]
    elif entry.kind is EntryKind.FOLDER:
        # A folder shows its size once counted (Ctrl+Space); listings give folders none.
        size = "<UP>" if is_up else (human_size(entry.size) if entry.size else "<DIR>")
        klass = ""
    else:
        size = human_size(entry.size)
        klass = STORAGE_SHORT.get(entry.storage_class or "", entry.storage_class or "")
        if entry.storage_class:
            klass = f"{klass:<3}{restore_glyph(entry, glyphs)}"
    tag_w = min(cell_len(tag) + 1, cols.name // 3) if tag else 0
    cells = [
        glyphs.marked if marked else " ",
        fit(glyphs.folder_up if is_up else display_name(entry), cols.name - tag_w, glyphs),
    ]
    if tag_w:
        cells.append(fit(" " + safe_text(tag), tag_w, glyphs))
    cells.append((size.rjust(cols.size - 1) + " ")[: cols.size] if cols.size else "")
    if cols.time:
        when = format_time(entry.mtime)
        cells.append(fit(when[:10] if entry.kind is EntryKind.BUCKET else when, cols.time, glyphs))
    if cols.klass:
        cells.append(fit(klass, cols.klass, glyphs))
    return cells


def header_cells(cols: Columns, oss_buckets: bool = False) -> list[str]:
    glyphs = UNICODE
    cells = [" ", fit("Name", cols.name, glyphs)]
    if cols.size:
        cells.append("Size".rjust(cols.size - 1) + " ")
    if cols.time:
        cells.append(fit("Created" if oss_buckets else "Modified", cols.time, glyphs))
    if cols.klass:
        cells.append(fit("Region" if oss_buckets else "Class", cols.klass, glyphs))
    return cells
