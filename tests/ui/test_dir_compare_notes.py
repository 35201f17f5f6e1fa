"""The compare's notes in the panes (Pilot, local server): each entry a difference touches is
tagged in its row, the highlighted one's reason shows in the status line, and a reload drops
the tags, the reasons and the marks the compare made (a mark made by hand stays)."""

from __future__ import annotations

import os
import time

from tests.ui.conftest import wait_for
from tests.ui.test_dir_compare import compare, marked


def row(pane, name: str) -> str:
    """The row of `name` as drawn, in plain text."""
    file_list = pane.file_list
    index = file_list.model.index_of(next(e.path for e in file_list.model.view if e.name == name))
    file_list.move_cursor(index + (1 if file_list.up_entry else 0))
    y = file_list.cursor - int(file_list.scroll_offset.y) + 1
    return "".join(segment.text for segment in file_list.render_line(y))


async def test_rows_carry_their_difference_and_the_status_line_its_reason(
    make_app, oss_bucket, tmp_path
):
    root = tmp_path / "left"
    root.mkdir()
    for name in ("same.txt", "newer.txt"):
        (root / name).write_bytes(b"one")
        oss_bucket.put_object(f"right/{name}", b"one")
    (root / "only-left.txt").write_bytes(b"left")
    oss_bucket.put_object("right/sub/deep.txt", b"deep")
    later = time.time() + 600
    os.utime(root / "newer.txt", (later, later))
    app = make_app(str(root), f"oss://{oss_bucket.bucket_name}/right/", ascii_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await compare(app, pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main)
        left, right = app.main.left, app.main.right
        assert " newer " in row(left, "newer.txt") and " only " in row(left, "only-left.txt")
        assert " older " in row(right, "newer.txt") and " only " in row(right, "sub")
        assert " newer " not in row(left, "same.txt") and " only " not in row(left, "same.txt")
        assert all(ord(c) < 128 for c in row(left, "newer.txt"))  # --ascii

        row(left, "newer.txt")  # the cursor on it, in the active pane
        await pilot.pause()
        status = app.main.status.text.plain
        assert "newer left: " in status and "changed after the right folder copy" in status

        left.file_list.model.set_mark(next(e for e in left.file_list.model.view
                                           if e.name == "same.txt"), True)  # fmt: skip
        left.reload()
        await wait_for(pilot, lambda: not left.is_loading and left.file_list.model.view)
        assert left.file_list.annotations is None
        assert marked(left) == ["same.txt"]  # the compare's marks went, the hand-made one stays
        assert " newer " not in row(left, "newer.txt")
        await pilot.pause()
        assert "newer left" not in app.main.status.text.plain

        right.open(f"oss://{oss_bucket.bucket_name}/right/sub/")  # another folder: notes gone
        await wait_for(pilot, lambda: not right.is_loading)
        assert right.file_list.annotations is None


def test_a_folder_reads_as_itself_or_as_what_differs_inside():
    from ossbrowse.fs.base import Entry, EntryKind
    from ossbrowse.ops.sync_plan import Change, Difference
    from ossbrowse.ops.sync_sides import TreeItem
    from ossbrowse.ui.dir_compare_marks import PaneMarks, PaneNotes

    def item(key):
        return TreeItem(key, key.encode(), 1, 0.0, key.endswith("/"), empty=key.endswith("/"))

    marks = PaneMarks()
    marks.add(Difference("empty/", Change.ONLY_SRC, "an empty folder only in the left folder",
                         src=item("empty/")))  # fmt: skip
    marks.add(Difference("sub/a.txt", Change.ONLY_SRC, "only in the left folder",
                         src=item("sub/a.txt")))  # fmt: skip
    marks.add(Difference("sub/b.txt", Change.ONLY_DST, "only in the right folder",
                         dst=item("sub/b.txt")))  # fmt: skip
    left = PaneNotes("left", marks.touched["left"], frozenset({("sub", True)}), frozenset())
    empty = Entry(name="empty", path="/l/empty", kind=EntryKind.FOLDER)
    sub = Entry(name="sub", path="/l/sub", kind=EntryKind.FOLDER)
    assert left.tag(empty) == "only" and left.tag(sub) == "differs"
    assert left.reason(empty) == "only left: an empty folder only in the left folder"
    assert left.reason(sub) == "2 differences inside: a.txt (only left) and 1 more"
