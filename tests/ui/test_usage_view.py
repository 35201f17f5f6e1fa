"""The usage view (U) through Pilot on the local server: children by size with their class
split, Enter in and Backspace out, Escape back to the pane with the cursor on the entry, a
pane action run on the entry chosen in the view, Escape while the listing is held, a local
folder."""

from __future__ import annotations

import threading

from ossbrowse.emulator.faults import FaultRule
from ossbrowse.ui.usage_view import UsageScreen
from tests.ui.conftest import loaded, wait_for


def fill(bucket) -> None:
    for i in range(3):
        bucket.put_object(f"big/{i}.bin", b"x" * 1000)
    bucket.put_object("small/cold.bin", b"x" * 300, headers={"x-oss-storage-class": "IA"})
    bucket.put_object("f.bin", b"x" * 500)
    upload = bucket.init_multipart_upload("small/part.iso").upload_id
    bucket.upload_part("small/part.iso", upload, 1, b"y" * 100)


def done(screen: UsageScreen, path: str) -> bool:
    return screen.report is not None and screen.report.complete and screen.path == path


def names(screen: UsageScreen) -> list[str]:
    return [item.name for item in screen.items]


async def open_view(pilot, app, path: str) -> UsageScreen:
    """Press U and wait until the view has counted `path`."""
    await pilot.press("U")
    await wait_for(pilot, lambda: isinstance(app.screen, UsageScreen), what="the view")
    view = app.screen
    await wait_for(pilot, lambda: done(view, path), what=f"{path} counted")
    return view


def highlight(screen: UsageScreen, name: str) -> None:
    from textual.widgets import OptionList

    screen.query_one(OptionList).highlighted = names(screen).index(name)


async def test_children_by_size_in_and_out_and_back_to_the_pane(make_app, oss_bucket):
    fill(oss_bucket)
    root = f"oss://{oss_bucket.bucket_name}/"
    app = make_app(root, root)
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        view = await open_view(pilot, app, root)
        assert names(view) == ["big/", "f.bin", "small/"]  # the biggest first
        big = view.items[0]
        assert (big.bytes, big.objects, big.classes) == (3000, 3, (("Standard", 3000),))
        assert dict(view.items[2].classes) == {"IA": 300}
        summary = str(view.query_one("#usage-summary").render())
        assert "5 objects" in summary and "1 unfinished upload holding 100 B" in summary
        assert "1 inside their minimum storage duration" in summary

        await pilot.press("enter")  # into big/
        await wait_for(pilot, lambda: done(view, root + "big/"), what="big/ counted")
        assert names(view) == ["0.bin", "1.bin", "2.bin"]
        await pilot.press("backspace")  # out again: shown from what was counted
        assert done(view, root) and view.current_item().name == "big/"

        highlight(view, "small/")
        await pilot.press("enter")
        await wait_for(pilot, lambda: done(view, root + "small/"), what="small/ counted")
        await pilot.press("escape")  # back to the pane, in the folder the view was in
        await wait_for(pilot, lambda: not isinstance(app.screen, UsageScreen))
        await wait_for(pilot, lambda: left.path == root + "small/" and loaded(left))
        assert left.file_list.current.path == root + "small/cold.bin"


async def test_a_pane_action_pressed_in_the_view_acts_on_its_entry(make_app, oss_bucket):
    from ossbrowse.ui.priced_dialogs import PricedDialog

    fill(oss_bucket)
    root = f"oss://{oss_bucket.bucket_name}/"
    app = make_app(root, root)
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        view = await open_view(pilot, app, root)
        highlight(view, "f.bin")
        await pilot.press("f8")  # the pane's delete, on the entry under the view's cursor
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
        assert left.file_list.current.path == root + "f.bin"
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.price is not None)
        assert dialog.price.objects == 1
        await pilot.press("escape")  # nothing deleted
        await wait_for(pilot, lambda: not isinstance(app.screen, PricedDialog))

        # In a folder the pane is not in: the pane goes there first, then the action runs.
        view = await open_view(pilot, app, root)
        await pilot.press("enter")  # big/, the biggest, is under the cursor
        await wait_for(pilot, lambda: done(view, root + "big/"))
        highlight(view, "1.bin")
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
        assert left.path == root + "big/" and left.file_list.current.path == root + "big/1.bin"
        await pilot.press("escape")
    assert oss_bucket.object_exists("f.bin") and oss_bucket.object_exists("big/1.bin")


async def test_escape_while_the_listing_is_held_closes_at_once(make_app, oss_bucket, oss_faults):
    fill(oss_bucket)
    root = f"oss://{oss_bucket.bucket_name}/"
    app = make_app(root, root)
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        # Both panes listed first: the right one's listing, still on its way, would be held
        # and counted too, and could even be the request seen as the walk's first page.
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        release = threading.Event()
        held = oss_faults.add(FaultRule(operations=("list_objects_v2",), hold=release))
        await pilot.press("U")
        await wait_for(pilot, lambda: held.fired >= 1, what="the first page asked")
        view = app.screen
        assert isinstance(view, UsageScreen) and view.report is None
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, UsageScreen), what="closed")
        assert view._token.cancelled
        release.set()
        workers = [w for w in app.workers if w.group == "usage"]
        await wait_for(pilot, lambda: all(w.is_finished for w in workers), what="walk ended")
    assert held.fired == 1  # the walk stopped with its first page: nothing more was listed


async def test_a_local_folder(make_app, local_dir, oss_bucket):
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/", ascii_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        view = await open_view(pilot, app, str(local_dir))
        assert names(view)[0] == "data.bin" and "docs/" in names(view)
        assert "4 files" in str(view.query_one("#usage-summary").render())
        await pilot.press("backspace")  # above the pane's folder: counted too
        await wait_for(pilot, lambda: done(view, str(local_dir.parent)))
        assert view.current_item().name == "local/"


async def test_rows_are_drawn_while_the_listing_streams_in(make_app, oss_bucket, monkeypatch):
    from ossbrowse.ops import usage
    from ossbrowse.ui import usage_view

    for i in range(6):
        oss_bucket.put_object(f"d{i % 2}/{i}", b"x" * (i + 1))
    monkeypatch.setattr(usage, "PAGE", 2)  # three pages
    monkeypatch.setattr(usage_view, "PROGRESS_INTERVAL", 0)  # a snapshot after each
    shown = []
    draw = UsageScreen._show

    def spy(self, token, report):
        draw(self, token, report)
        rows = len(self.query_one("#usage-list").options)
        shown.append((report.complete, report.total.objects, rows))

    monkeypatch.setattr(UsageScreen, "_show", spy)
    root = f"oss://{oss_bucket.bucket_name}/"
    app = make_app(root, root)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        view = await open_view(pilot, app, root)
        assert names(view) == ["d1/", "d0/"]
    # Page by page (2 keys each), the uploads page, then the end; rows on screen from the first.
    assert [(done, objects) for done, objects, _ in shown] == [
        (False, 2),
        (False, 4),
        (False, 6),
        (False, 6),
        (True, 6),
    ]
    assert all(rows > 0 for _, _, rows in shown)


async def test_rows_take_one_line_each_on_a_60_column_terminal(make_app, oss_bucket):
    fill(oss_bucket)
    for i in range(2):  # a row with a note: inside its minimum duration
        oss_bucket.put_object(
            f"a-long-folder-name/{i}", b"x", headers={"x-oss-storage-class": "IA"}
        )
    root = f"oss://{oss_bucket.bucket_name}/"
    app = make_app(root, root)
    async with app.run_test(size=(60, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        view = await open_view(pilot, app, root)
        await pilot.pause()
        from textual.widgets import OptionList

        option_list = view.query_one(OptionList)
        assert len(view.items) == 4
        assert option_list.virtual_size.height == len(view.items)  # one line a row
