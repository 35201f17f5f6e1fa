"""What the two-pane compare marks in each pane, and its words; no Textual here.

The compare is a sync's (`ops.sync_plan.TreeCompare`, left as the source, right as the
destination), so "the same" means what `ossbrowse sync` means by it. As Midnight Commander's
"compare directories" does, each pane marks what it holds that the other lacks or holds older:
only here, newer here, or different with this side the newer. A difference below a subfolder
marks that subfolder (a pane shows one level). Copying the marked entries of one pane to the
other (F5) then brings the other up to date.

Every entry a difference touches, marked or not, carries a short tag in its pane's row (only,
newer, older, differs, cannot) and its one-line reason in the status line while it is
highlighted (`PaneNotes`, the pane's `rows.Annotations`); the pane drops both, and the marks
the compare made, when it lists again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ossbrowse.ops.sync_plan import Change, Difference
from ossbrowse.text import safe_text
from ossbrowse.ui.words import counted

if TYPE_CHECKING:
    from ossbrowse.fs.base import Entry

NAMES = ("left folder", "right folder")  # the sides, as the reasons name them

LABELS = {
    Change.ONLY_SRC: "only left",
    Change.ONLY_DST: "only right",
    Change.NEWER_SRC: "newer left",
    Change.NEWER_DST: "newer right",
    Change.SIZE: "different",
    Change.CONTENT: "different",
    Change.BLOCKED: "cannot copy",
}


# The row tag of an entry on each side ("left" is the compare's source): plain words, the same
# with --ascii. A side with no tag does not hold the entry.
TAGS = {
    Change.ONLY_SRC: ("only", None),
    Change.ONLY_DST: (None, "only"),
    Change.NEWER_SRC: ("newer", "older"),
    Change.NEWER_DST: ("older", "newer"),
    Change.SIZE: ("differs", "differs"),
    Change.CONTENT: ("differs", "differs"),
    Change.BLOCKED: ("cannot", None),
}


def side_tag(difference: Difference, side: str) -> str | None:
    left, right = TAGS.get(difference.change, ("differs", "differs"))
    return left if side == "left" else right


def label(difference: Difference) -> str:
    return LABELS.get(difference.change, difference.change.value)


def row_text(difference: Difference) -> str:
    """One line of the compare list: label, key, reason; names made safe."""
    return f"{label(difference):<12} {safe_text(difference.key)}  {safe_text(difference.reason)}"


def marked_side(difference: Difference) -> str | None:
    """ "left", "right" or None: the pane whose entry is marked (the side to copy from)."""
    change = difference.change
    if change in (Change.ONLY_SRC, Change.NEWER_SRC):
        return "left"
    if change in (Change.ONLY_DST, Change.NEWER_DST):
        return "right"
    if change in (Change.SIZE, Change.CONTENT):
        src, dst = difference.src, difference.dst
        if src is not None and dst is not None:
            return "left" if src.mtime >= dst.mtime else "right"
    return None


def top_entry(key: str) -> tuple[str, bool]:
    """(name, is a folder) of the entry a pane shows for `key`: its first path segment."""
    first, slash, _ = key.partition("/")
    return first, bool(slash)


Found = dict[tuple[str, bool], list[Difference]]


@dataclass
class PaneMarks:
    """Per pane: the entries to mark, (name, is folder) -> the differences under it; and
    `touched`, per side, every entry a difference is about (marked or not)."""

    left: Found = field(default_factory=dict)
    right: Found = field(default_factory=dict)
    touched: dict[str, Found] = field(default_factory=lambda: {"left": {}, "right": {}})

    def add(self, difference: Difference) -> None:
        top = top_entry(difference.key)
        for side, touched in self.touched.items():
            # A folder may be on both sides whoever holds the file below it; a file only where
            # its tag says it is.
            if top[1] or side_tag(difference, side) is not None:
                touched.setdefault(top, []).append(difference)
        marked = marked_side(difference)
        if marked is None:
            return
        where = self.left if marked == "left" else self.right
        where.setdefault(top, []).append(difference)

    def reason(self, side: str, name: str, is_dir: bool) -> str | None:
        """The one-line reason of a marked entry: its own, or a folder's count of differences."""
        found = (self.left if side == "left" else self.right).get((name, is_dir))
        if not found:
            return None
        if not is_dir:
            return f"{label(found[0])}: {found[0].reason}"
        first = found[0]
        more = f" and {len(found) - 1:,} more" if len(found) > 1 else ""
        inner = first.key.partition("/")[2]
        return f"{len(found):,} to copy inside: {inner} ({label(first)}){more}"


@dataclass(frozen=True)
class PaneNotes:
    """One pane's tags and reasons (`ui.rows.Annotations`) from a finished compare.

    `other` holds the (name, is folder) entries the other pane lists: a folder it lacks is
    "only" here, one it has and that differs inside "differs"."""

    side: str
    found: Found
    other: frozenset[tuple[str, bool]]
    marked: frozenset[str]

    def _differences(self, entry: Entry) -> list[Difference] | None:
        return self.found.get((entry.name.rstrip("/"), entry.is_dir))

    def tag(self, entry: Entry) -> str | None:
        found = self._differences(entry)
        if not found:
            return None
        if not entry.is_dir:
            return side_tag(found[0], self.side)
        return "differs" if (entry.name.rstrip("/"), True) in self.other else "only"

    def reason(self, entry: Entry) -> str | None:
        found = self._differences(entry)
        if not found:
            return None
        first = found[0]
        if not entry.is_dir or (len(found) == 1 and first.key.count("/") == 1):
            return f"{label(first)}: {first.reason}"  # a file, or the (empty) folder itself
        more = f" and {len(found) - 1:,} more" if len(found) > 1 else ""
        inner = first.key.partition("/")[2]
        return f"{counted(len(found), 'difference')} inside: {inner} ({label(first)}){more}"
