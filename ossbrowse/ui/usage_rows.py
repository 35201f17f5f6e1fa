"""The usage view's rows: a folder's children sorted by size, each with a bar split by class.

Pure: a `UsageReport` (`ops.usage`) in, `UsageItem`s and Rich text out, so the rows are
tested without an app. Bars are scaled to the largest child, as ncdu draws them; each class
has a colour (and, with --ascii or NO_COLOR, a letter of its own, so the split still shows).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from rich.text import Text

from ossbrowse.ops.usage import UsageReport
from ossbrowse.text import human_size, safe_text

BAR = 24  # cells
# Colour, and the fill drawn without colour, of each class; a local file has no class ("").
CLASS_STYLE: dict[str, tuple[str, str]] = {
    "Standard": ("green", "S"),
    "IA": ("cyan", "I"),
    "Archive": ("blue", "A"),
    "ColdArchive": ("magenta", "C"),
    "DeepColdArchive": ("red", "D"),
    "": ("white", "#"),
}
OTHER_STYLE = ("yellow", "?")


@dataclass(frozen=True, slots=True)
class UsageItem:
    """One row: a child folder, one of the largest files, or the rest of the files together."""

    name: str  # as shown: `photos/`, `a.jpg`, `(120 more files)`
    path: str | None  # the pane entry to select (None: the rest of the files)
    walk: str | None  # the folder to count on Enter (None: not a folder)
    bytes: int
    objects: int
    classes: tuple[tuple[str, int], ...]  # (class, bytes), the biggest first
    uploads: int = 0  # unfinished multipart uploads below it
    upload_bytes: int = 0
    early: int = 0  # objects inside their class's minimum storage duration


def child_path(report: UsageReport, rel: str) -> str:
    """The pane path of `rel` below the report's root (folders end in / on OSS only)."""
    if report.local:
        return os.path.join(report.url, rel.rstrip("/"))
    return report.url + rel


def parent_path(path: str) -> str | None:
    """The folder above `path`, or None at a bucket's root (or the file system's)."""
    if path.startswith("oss://"):
        rest = path[len("oss://") :].rstrip("/")
        if "/" not in rest:
            return None
        return "oss://" + rest.rsplit("/", 1)[0] + "/"
    parent = os.path.dirname(path.rstrip("/") or "/")
    return None if parent == path else parent


def usage_items(report: UsageReport) -> list[UsageItem]:
    """The root's children, folders and the largest files, the biggest first."""
    items: list[UsageItem] = []
    direct_objects, direct_bytes = report.total.objects, report.total.bytes
    for row in report.children():
        u = row.usage
        direct_objects -= u.objects
        direct_bytes -= u.bytes
        classes = tuple(sorted(((c, b) for c, (_, b) in u.classes.items()), key=lambda x: -x[1]))
        if report.local:
            classes = (("", u.bytes),)  # files have no class: one colour
        path = child_path(report, row.path)
        items.append(
            UsageItem(
                row.path,
                path,
                path,
                u.bytes,
                u.objects,
                classes,
                u.uploads,
                u.upload_bytes,
                u.early_objects,
            )
        )
    for file in report.files:
        direct_objects -= 1
        direct_bytes -= file.size
        path = child_path(report, file.name)
        classes = ((file.storage_class, file.size),)
        items.append(UsageItem(file.name, path, None, file.size, 1, classes))
    if direct_objects > 0:
        noun = "file" if direct_objects == 1 else "files"
        more = "more " if report.files else ""
        name = f"({direct_objects:,} {more}{noun})"
        items.append(UsageItem(name, None, None, direct_bytes, direct_objects, ()))
    items.sort(key=lambda item: (-item.bytes, item.name))
    return items


def bar(item: UsageItem, largest: int, *, plain: bool, width: int = BAR) -> Text:
    """`width` cells: the item's share of the largest, split by class."""
    text = Text()
    filled = 0 if largest <= 0 else round(width * item.bytes / largest)
    left = filled
    for index, (name, size) in enumerate(item.classes):
        last = index == len(item.classes) - 1
        cells = left if last else min(left, round(filled * size / max(item.bytes, 1)))
        colour, letter = CLASS_STYLE.get(name, OTHER_STYLE)
        text.append(letter * cells if plain else "\u2588" * cells, style="" if plain else colour)
        left -= cells
    if left > 0:  # the rest of the files: no class split kept for them
        text.append("." * left if plain else "\u2592" * left, style="" if plain else "dim")
    text.append(" " * (width - filled))
    return text


# What a row keeps for its name before the bar and the share give way: the name is what a
# person reads, and a row never wraps (one row, one line, as the cursor counts them).
NAME_ROOM = 24
MIN_BAR = 6


def _layout(width: int | None) -> tuple[int, bool, int]:
    """(bar cells, show the share, objects column width) for a row `width` cells wide."""
    if width is None:
        return BAR, True, 11
    # size 10 + brackets 2 + share 7 + objects 1+11 + gap 2
    room = width - NAME_ROOM - 10 - 2 - 7 - 12 - 2
    if room >= MIN_BAR:
        return min(BAR, room), True, 11
    room += 7 + 4  # no share column, objects in 7
    return max(MIN_BAR, min(BAR, room)), False, 7


def render_item(
    item: UsageItem, largest: int, total: int, *, plain: bool, width: int | None = None
) -> Text:
    """One row; with `width`, fitted to it: the bar narrows, then the share goes, and what
    is still too long is cut with an ellipsis instead of wrapping."""
    cells, show_share, objects = _layout(width)
    share = 100.0 * item.bytes / total if total else 0.0
    line = Text(f"{human_size(item.bytes):>9} ", no_wrap=True, overflow="ellipsis")
    line.append("[" if plain else "\u2595")
    line.append_text(bar(item, largest, plain=plain, width=cells))
    line.append("]" if plain else "\u258f")
    line.append(f" {share:5.1f}%" if show_share else "")
    line.append(f" {item.objects:>{objects},}  ")
    line.append(safe_text(item.name), style="bold" if item.walk else "")
    notes = []
    if item.uploads:
        plural = "s" if item.uploads != 1 else ""
        notes.append(
            f"{item.uploads:,} unfinished upload{plural} ({human_size(item.upload_bytes).strip()})"
        )
    if item.early:
        notes.append(f"{item.early:,} inside minimum duration")
    if notes:
        line.append("  " + "; ".join(notes), style="" if plain else "yellow")
    if width is not None:
        line.truncate(width, overflow="ellipsis")
    return line


def legend(report: UsageReport, *, plain: bool) -> Text:
    """The classes present, each in its colour (or letter)."""
    text = Text()
    for name in sorted(report.total.classes, key=lambda n: -report.total.classes[n][1]):
        colour, letter = CLASS_STYLE.get(name, OTHER_STYLE)
        text.append(f"{letter}=" if plain else "\u2588 ", style="" if plain else colour)
        text.append(f"{name}  ")
    return text


def summary(report: UsageReport) -> str:
    """The root's totals in one sentence (two with uploads or early deletion)."""
    total = report.total
    noun = "file" if report.local else "object"
    plural = "" if total.objects == 1 else "s"
    state = "" if report.complete else "counting... "
    parts = [f"{state}{total.objects:,} {noun}{plural}, {human_size(total.bytes).strip()}"]
    if total.uploads:
        parts.append(
            f"{total.uploads:,} unfinished upload{'s' if total.uploads != 1 else ''} holding "
            f"{human_size(total.upload_bytes).strip()}"
        )
    if total.early_objects:
        parts.append(
            f"{total.early_objects:,} inside their minimum storage duration "
            f"({human_size(total.early_bytes).strip()})"
        )
    return "; ".join(parts)


def fold_rest(items: list[UsageItem], most: int) -> list[UsageItem]:
    """At most `most` rows: past them, the smallest children are one row together (a bucket
    may have a hundred thousand top-level folders; the view redraws ten times a second)."""
    if len(items) <= most:
        return items
    kept, rest = items[: most - 1], items[most - 1 :]
    name = f"({len(rest):,} smaller entries)"
    size = sum(item.bytes for item in rest)
    return [*kept, UsageItem(name, None, None, size, sum(item.objects for item in rest), ())]
