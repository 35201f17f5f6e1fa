"""Rename in place (Shift+F6 / M) and folder size on demand (Ctrl+Space / z), through Pilot on
the local server, at 80x24 and 120x36, with --ascii and NO_COLOR."""

from __future__ import annotations

import oss2
import pytest

from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.priced_dialogs import PricedDialog
from tests.ui.conftest import loaded, names, wait_for

SIZES = [(80, 24), (120, 36)]


def keys(bucket, prefix: str = "") -> list[str]:
    return sorted(o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix))


async def rename_to(pilot, app, key: str, new_name: str, expected_old: str) -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog), what="the rename prompt")
    field = app.screen.query_one("#prompt-input")
    assert field.value == expected_old  # pre-filled with the current name
    field.value = new_name
    await pilot.press("enter")


@pytest.mark.parametrize("size", SIZES)
async def test_rename_in_place_of_an_object_and_a_folder_is_priced(
    make_app, oss_bucket, size, monkeypatch
):
    monkeypatch.setenv("NO_COLOR", "1")
    name = oss_bucket.bucket_name
    oss_bucket.put_object("one.txt", b"solo")
    for i in range(3):
        oss_bucket.put_object(f"dir/{i}.txt", b"x" * i)
    app = make_app(f"oss://{name}/", f"oss://{name}/", ascii_only=True)
    async with app.run_test(size=size) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/one.txt")
        await rename_to(pilot, app, "M", "two.txt", "one.txt")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.price is not None)
        await pilot.press("y")
        await wait_for(pilot, lambda: "two.txt" in names(left) and loaded(left), what="reload")
        assert left.file_list.current.name == "two.txt"  # the cursor follows the new name
        assert keys(oss_bucket) == ["dir/0.txt", "dir/1.txt", "dir/2.txt", "two.txt"]
        # A folder (a prefix): Shift+F6, every object under it moves, still priced.
        left.file_list.move_to_path(f"oss://{name}/dir/")
        await rename_to(pilot, app, "shift+f6", "renamed", "dir")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.price is not None)
        assert "3 objects" in str(dialog.query_one("#priced-body").render())
        await pilot.press("y")
        await wait_for(pilot, lambda: "renamed" in names(left) and loaded(left), what="reload")
    assert keys(oss_bucket) == ["renamed/0.txt", "renamed/1.txt", "renamed/2.txt", "two.txt"]


async def test_rename_refuses_a_slash_and_keeps_f6_for_moves(make_app, oss_bucket, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(str(local_dir / "hello.txt"))
        await rename_to(pilot, app, "M", "docs/x.txt", "hello.txt")
        await wait_for(pilot, lambda: app.screen is app.main)
        assert (local_dir / "hello.txt").exists()  # refused: a name holds no /
        # A local file: one rename of the file system after a plain confirmation.
        await rename_to(pilot, app, "M", "greeting.txt", "hello.txt")
        await wait_for(pilot, lambda: app.screen is not app.main, what="the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: (local_dir / "greeting.txt").exists(), what="the rename")
        assert not (local_dir / "hello.txt").exists()
        await pilot.press("f6")  # F6 is still "move to folder": the copy dialog
        from ossbrowse.ui.dialogs.copy import CopyDialog

        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))


@pytest.mark.parametrize("size", SIZES)
async def test_folder_size_on_demand_shows_in_the_row_and_bucket_totals(
    make_app, oss_bucket, size, monkeypatch
):
    monkeypatch.setenv("NO_COLOR", "1")
    name = oss_bucket.bucket_name
    for i in range(5):
        oss_bucket.put_object(f"big/{i}.bin", b"z" * 1000)
    oss_bucket.put_object("big/deeper/last.bin", b"z" * 24)
    oss_bucket.put_object("top.txt", b"t" * 10)
    app = make_app("oss://", f"oss://{name}/", ascii_only=True)
    async with app.run_test(size=size) as pilot:
        left, right = app.main.left, app.main.right
        await wait_for(pilot, lambda: loaded(left) and loaded(right))
        # The bucket row in the bucket list: the count covers the bucket, whose totals then
        # show in the status line while a pane is inside it.
        left.file_list.move_to_path(f"oss://{name}/")
        await pilot.press("z")
        totals = app.main.features.bucket_totals
        await wait_for(pilot, lambda: name in totals, what="the bucket count")
        total = totals[name]
        assert (total.objects, total.bytes) == (7, 5034)
        await pilot.press("tab")
        await wait_for(pilot, lambda: "bucket: 7 objects" in app.main.status.text.plain)
        right.file_list.move_to_path(f"oss://{name}/big/")
        await pilot.press("ctrl+@")  # what a terminal's Ctrl+Space arrives as (NUL)

        def counted():
            index = right.file_list.model.index_of(f"oss://{name}/big/")
            return index is not None and right.file_list.model.view[index].size == 5024

        await wait_for(pilot, counted, what="the folder's size in its row")
        from ossbrowse.ui.rows import ASCII, Columns, row_cells

        entry = right.file_list.model.view[right.file_list.model.index_of(f"oss://{name}/big/")]
        assert "4.9 KiB" in "".join(row_cells(entry, Columns.for_width(60, True), ASCII, False))


async def test_folder_size_of_a_local_folder(make_app, local_dir):
    (local_dir / "docs" / "more").mkdir()
    (local_dir / "docs" / "more" / "b.bin").write_bytes(b"b" * 100)
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(str(local_dir / "docs"))
        await pilot.press("z")

        def size():
            index = left.file_list.model.index_of(str(local_dir / "docs"))
            return left.file_list.model.view[index].size

        await wait_for(pilot, lambda: size() == len("inside docs\n") + 100)


def test_counting_stops_when_cancelled(oss_bucket):
    from ossbrowse.ops.folder_size import folder_size

    oss_bucket.put_object("p/a", b"a")
    name = oss_bucket.bucket_name
    assert folder_size(f"oss://{name}/p/", lambda b: oss_bucket, cancelled=lambda: True) is None
    total = folder_size(f"oss://{name}/p/", lambda b: oss_bucket)
    assert (total.objects, total.bytes, total.whole_bucket) == (1, 1, False)


async def test_escape_stops_a_count_that_is_under_way(make_app, oss_bucket, oss_faults):
    import threading

    from ossbrowse.emulator import FaultRule

    name = oss_bucket.bucket_name
    oss_bucket.put_object("slow/a.bin", b"a" * 10)
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(80, 24)) as pilot:
        left = app.main.left
        # Both panes listed first: the hold below must catch the count's listing, not a pane's.
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        gate = threading.Event()
        rule = FaultRule("list_objects|list_objects_v2", hold=gate)
        oss_faults.add(rule)  # the count's listing waits at the server until the gate opens
        left.file_list.move_to_path(f"oss://{name}/slow/")
        await pilot.press("z")
        try:

            def counting() -> bool:
                return rule.fired >= 1 and any(w.group == "folder-size" for w in app.main.workers)

            await wait_for(pilot, counting, what="the count's listing")
            workers = [w for w in app.main.workers if w.group == "folder-size"]
            await pilot.press("escape")
            assert all(w.is_cancelled for w in workers)
        finally:
            gate.set()  # never leave the request held, whatever failed
        await wait_for(pilot, lambda: all(w.is_finished for w in workers), what="the worker")
        index = left.file_list.model.index_of(f"oss://{name}/slow/")
        assert left.file_list.model.view[index].size == 0  # stopped: no size shown
        assert left.path == f"oss://{name}/"  # Esc stopped the count, nothing else
    oss_faults.clear()
