"""Panes on both sides: listing, re-rooting (Enter, Backspace, go to), sorting, filtering."""

from __future__ import annotations

from ossbrowse.ui.model import SortKey
from tests.ui.conftest import loaded, names, wait_for


async def test_local_pane_lists_and_rerooots(make_app, local_dir, oss_bucket):
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left), what="left listing")
        # Folders first, then files by name.
        assert names(left) == ["docs", "data.bin", "hello.txt", "notes.md"]
        # Cursor starts on "..": go down to docs/ and Enter.
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: left.path.endswith("docs") and loaded(left))
        assert names(left) == ["a.txt"]
        await pilot.press("backspace")
        await wait_for(pilot, lambda: left.path == str(local_dir) and loaded(left))
        assert left.file_list.current.name == "docs"  # the cursor comes back to where we were


async def test_oss_pane_lists_buckets_prefixes_and_goes_up(make_app, local_dir, oss_bucket):
    for key in ("top.txt", "logs/2024/a.log", "logs/b.log", "zeta/"):
        oss_bucket.put_object(key, b"x" * 10)
    app = make_app(str(local_dir), "oss://")
    async with app.run_test(size=(120, 36)) as pilot:
        right = app.main.right
        await wait_for(pilot, lambda: loaded(right), what="bucket list")
        assert oss_bucket.bucket_name in names(right)
        await pilot.press("tab")
        assert app.main.active is right
        right.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/")
        await pilot.press("enter")
        await wait_for(pilot, lambda: right.path.endswith(f"{oss_bucket.bucket_name}/"))
        await wait_for(pilot, lambda: loaded(right))
        assert names(right) == ["logs", "zeta", "top.txt"]
        await pilot.press("down", "enter")  # into logs/
        await wait_for(pilot, lambda: right.path.endswith("/logs/") and loaded(right))
        assert names(right) == ["2024", "b.log"]
        await pilot.press("backspace")
        await wait_for(pilot, lambda: right.path.endswith(f"{oss_bucket.bucket_name}/"))
        await wait_for(pilot, lambda: loaded(right))
        assert right.file_list.current.name == "logs"
        await pilot.press("backspace")
        await wait_for(pilot, lambda: right.path == "oss://" and loaded(right))


async def test_go_to_url_and_bad_url_message(make_app, local_dir, oss_bucket):
    oss_bucket.put_object("dir/x.txt", b"x")
    app = make_app(str(local_dir), "oss://")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.press("g")
        await pilot.pause()
        field = app.screen.query_one("#prompt-input")
        field.value = f"oss://{oss_bucket.bucket_name}/dir"
        await pilot.press("enter")
        left = app.main.left
        await wait_for(pilot, lambda: left.path == f"oss://{oss_bucket.bucket_name}/dir/")
        await wait_for(pilot, lambda: loaded(left))
        assert names(left) == ["x.txt"]
        await pilot.press("ctrl+l")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "oss://Bad_Bucket/"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app._notifications, what="a notification")
        message = list(app._notifications)[-1].message
        assert "Bad_Bucket" in message or "bucket" in message.lower()
        assert "Traceback" not in message


async def test_sort_and_filter(make_app, local_dir, oss_bucket):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await pilot.press("s")  # by size
        assert left.file_list.model.sort_key is SortKey.SIZE
        assert names(left) == ["docs", "hello.txt", "notes.md", "data.bin"]
        await pilot.press("S")  # reversed
        assert names(left) == ["docs", "data.bin", "notes.md", "hello.txt"]
        await pilot.press("slash", "n", "o")
        assert names(left) == ["notes.md"]
        await pilot.press("enter")  # keeps the filter, back to the list
        assert left.file_list.has_focus
        assert "filter: no" in str(app.main.status.render())
        await pilot.press("escape")  # clears the filter
        assert len(names(left)) == 4
