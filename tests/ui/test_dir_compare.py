"""Comparing the two panes (key D, `pane.compare_dirs`) through Pilot against the local server:
local/OSS, OSS/OSS and local/local; marks in both panes; a sync of one side into the other."""

from __future__ import annotations

import os
import time

from ossbrowse.ui.dir_compare import DirCompareScreen
from ossbrowse.ui.dir_compare_marks import row_text
from ossbrowse.ui.priced_dialogs import PricedDialog
from tests.ui.conftest import loaded, wait_for


def lines(screen: DirCompareScreen) -> list[str]:
    return [row_text(d) for d in screen.differences]


def marked(pane) -> list[str]:
    return sorted(e.name for e in pane.file_list.model.marked.values())


async def compare(app, pilot) -> DirCompareScreen:
    await wait_for(pilot, lambda: loaded(app.main.left) and loaded(app.main.right))
    await pilot.press("D")
    await wait_for(pilot, lambda: isinstance(app.screen, DirCompareScreen), what="the compare")
    screen = app.screen
    await wait_for(pilot, lambda: screen.done, what="the compare to finish")
    return screen


async def test_local_and_oss_marked_in_both_panes_with_reasons(make_app, oss_bucket, tmp_path):
    root = tmp_path / "left"
    root.mkdir()
    for name in ("same.txt", "newer.txt"):
        (root / name).write_bytes(b"one")
        oss_bucket.put_object(f"right/{name}", b"one")  # uploaded after the files were written
    (root / "only-left.txt").write_bytes(b"left")
    oss_bucket.put_object("right/only-right.txt", b"right")
    oss_bucket.put_object("right/sub/deep.txt", b"deep")
    later = time.time() + 600
    os.utime(root / "newer.txt", (later, later))
    app = make_app(str(root), f"oss://{oss_bucket.bucket_name}/right/")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compare(app, pilot)
        rows = [line.split()[:2] for line in lines(screen)]
        assert rows == [["newer", "left"], ["only", "left"], ["only", "right"], ["only", "right"]]
        keys = [d.key for d in screen.differences]
        assert keys == ["newer.txt", "only-left.txt", "only-right.txt", "sub/deep.txt"]
        assert "changed after the right folder copy" in screen.differences[0].reason
        assert "5 files compared: 4 differences" in str(screen.summary.render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main)
        assert marked(app.main.left) == ["newer.txt", "only-left.txt"]
        assert marked(app.main.right) == ["only-right.txt", "sub"]
        assert "2 marked by compare" in str(app.main.left.path_bar.render())


async def test_oss_to_oss_synced_from_the_compare(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    for key in ("a.txt", "b/c.txt"):
        oss_bucket.put_object(f"src/{key}", f"body {key}".encode())
    oss_bucket.put_object("dst/extra.txt", b"stays")
    app = make_app(f"oss://{name}/src/", f"oss://{name}/dst/")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compare(app, pilot)
        assert [d.key for d in screen.differences] == ["a.txt", "b/c.txt", "extra.txt"]
        await pilot.press("greater_than_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.price is not None, what="the price to be known")
        assert dialog.price.objects == 2 and dialog.price.operation == "sync"
        await pilot.press("y")

        expected = ["dst/a.txt", "dst/b/c.txt", "dst/extra.txt"]  # the extra is kept
        await wait_for(pilot, lambda: _keys(oss_bucket) == expected, what="the sync's copies")
        assert oss_bucket.get_object("dst/b/c.txt").read() == b"body b/c.txt"


async def test_two_local_folders(make_app, tmp_path):
    left, right = tmp_path / "l", tmp_path / "r"
    for side in (left, right):
        side.mkdir()
        (side / "same.txt").write_bytes(b"same")
        os.utime(side / "same.txt", (1_700_000_000, 1_700_000_000))
    (right / "same.txt").touch()  # newer on the right, same size
    (left / "mine.txt").write_bytes(b"mine")
    app = make_app(str(left), str(right))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compare(app, pilot)
        assert [line.split()[:2] for line in lines(screen)] == [
            ["only", "left"],
            ["newer", "right"],
        ]
        await pilot.press("escape")
        assert marked(app.main.left) == ["mine.txt"] and marked(app.main.right) == ["same.txt"]


def _keys(bucket, prefix: str = "dst/") -> list[str]:
    import oss2

    return sorted(o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix))


async def sync_dialog(app, pilot) -> PricedDialog:
    """Compare, press `>`, wait for the sync's price."""
    await compare(app, pilot)
    await pilot.press("greater_than_sign")
    await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
    dialog = app.screen
    await wait_for(pilot, lambda: dialog.price is not None, what="the price to be known")
    return dialog


async def test_the_sync_deletes_extras_only_when_asked_and_only_inside(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("src/a.txt", b"a")
    oss_bucket.put_object("dst/extra.txt", b"extra")
    oss_bucket.put_object("dst2/x.txt", b"a sibling")
    app = make_app(f"oss://{name}/src/", f"oss://{name}/dst/")
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await sync_dialog(app, pilot)
        assert dialog.price.deletes == 0 and not dialog.delete_extras  # off unless asked
        assert "Also delete the 1 extra at" in str(dialog.query_one("#sync-delete-extras").label)
        await pilot.press("d")
        await wait_for(pilot, lambda: dialog.price.deletes == 1, what="the price with deletes")
        assert "delete" in str(dialog.query_one("#priced-body").render()).lower()
        await pilot.press("y")
        expected = ["dst/a.txt"]
        await wait_for(pilot, lambda: _keys(oss_bucket) == expected, what="the sync")
        assert _keys(oss_bucket, "dst2/") == ["dst2/x.txt"]


async def test_deleting_extras_is_not_offered_when_the_source_is_empty(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("dst/extra.txt", b"extra")
    oss_bucket.put_object("src/", b"")  # an empty folder
    app = make_app(f"oss://{name}/src/", f"oss://{name}/dst/")
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await sync_dialog(app, pilot)
        assert not dialog.query("#sync-delete-extras")
        assert "is refused" in str(dialog.query_one("#sync-delete-refused").render())
        await pilot.press("d")
        await pilot.pause()
        assert dialog.price.deletes == 0 and dialog.query_one("#proceed").disabled
    assert _keys(oss_bucket) == ["dst/extra.txt"]


async def test_q_quits_the_app_from_the_compare_as_help_says(make_app, oss_bucket, tmp_path):
    # Before: q only closed the compare (its binding was "escape,q"); the footer said f10 Quit.
    oss_bucket.put_object("right/a.txt", b"a")
    app = make_app(str(tmp_path), f"oss://{oss_bucket.bucket_name}/right/")
    async with app.run_test(size=(120, 36)) as pilot:
        await compare(app, pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit")
