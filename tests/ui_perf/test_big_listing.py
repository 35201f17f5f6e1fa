"""A folder of several pages against the local server: every row arrives although pages are
taken at most ten times a second, the cursor keeps its row while pages append, going up finds
the folder one came from on a later page, and rows redrawn one at a time (cursor moves) look
exactly as a full redraw of the list would draw them."""

from __future__ import annotations

from tests.ui.conftest import loaded, names, wait_for

N = 2_500  # three pages of 1000 after the first small one


async def test_every_page_arrives_and_the_cursor_keeps_its_row(make_app, local_dir, bulk_bucket):
    bucket = bulk_bucket([f"big/obj-{i:05d}" for i in range(N)])
    app = make_app(str(local_dir), f"oss://{bucket}/big/")
    async with app.run_test(size=(120, 36)) as pilot:
        right = app.main.right
        await pilot.press("tab")
        await wait_for(pilot, lambda: len(right.file_list.model.view) > 0, what="first rows")
        await pilot.press("down", "down", "down")
        on = right.file_list.current
        await wait_for(pilot, lambda: loaded(right), what="whole listing")
        assert names(right) == [f"obj-{i:05d}" for i in range(N)]
        assert right.file_list.current is on  # appended pages did not move the cursor
        assert "entries" in app.main.status.text.plain
        assert f"{N:,} entries" in app.main.status.text.plain
        assert "loading" not in right.path_bar.text.plain


async def test_going_up_finds_the_folder_on_a_later_page(make_app, local_dir, bulk_bucket):
    bucket = bulk_bucket([*(f"k{i:05d}" for i in range(N)), "zz/inside.txt"])
    app = make_app(str(local_dir), f"oss://{bucket}/zz/")
    async with app.run_test(size=(120, 36)) as pilot:
        right = app.main.right
        await pilot.press("tab")
        await wait_for(pilot, lambda: loaded(right), what="zz/")
        await pilot.press("backspace")
        await wait_for(pilot, lambda: right.path == f"oss://{bucket}/" and loaded(right))
        await wait_for(pilot, lambda: right.file_list.current.name == "zz", what="cursor on zz")


async def test_rows_redrawn_one_at_a_time_match_a_full_redraw(make_app, local_dir, bulk_bucket):
    bucket = bulk_bucket([f"big/obj-{i:05d}" for i in range(N)])
    app = make_app(str(local_dir), f"oss://{bucket}/big/")
    async with app.run_test(size=(100, 30)) as pilot:
        right = app.main.right
        file_list = right.file_list
        await pilot.press("tab")
        await wait_for(pilot, lambda: loaded(right), what="whole listing")
        # Moves within the view (two rows redrawn), a mark, a scroll, and back up.
        await pilot.press("down", "down", "space", "down", "up")
        await pilot.press(*["down"] * 40, *["up"] * 3)
        await pilot.pause()
        drawn = app.export_screenshot()
        file_list.refresh()
        await pilot.pause()
        assert app.export_screenshot() == drawn
        assert file_list.cursor == 2 + 1 + 1 - 1 + 40 - 3  # from "..", row 0
