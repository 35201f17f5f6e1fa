"""What the two-pane compare marks in each pane, and its words; no Textual here.

The compare is a sync's (`ops.sync_plan.TreeCompare`, left as the source, right as the
destination), so "the same" means what `ossbrowse sync` means by it. As Midnight Commander's
"compare directories" does, each pane marks what it holds that the other lacks or holds older:
only here, newer here, or different with this side the newer. A difference below a subfolder
marks that subfolder (a pane shows one level). Copying the marked entries of one pane to the
other (F5) then brings the other up to date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ossbrowse.ops.sync_plan import Change, Difference
from ossbrowse.text import safe_text

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


@dataclass
class PaneMarks:
    """Per pane: the entries to mark, (name, is folder) -> the differences under it."""

    left: dict[tuple[str, bool], list[Difference]] = field(default_factory=dict)
    right: dict[tuple[str, bool], list[Difference]] = field(default_factory=dict)

    def add(self, difference: Difference) -> None:
        side = marked_side(difference)
        if side is None:
            return
        where = self.left if side == "left" else self.right
        where.setdefault(top_entry(difference.key), []).append(difference)

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
