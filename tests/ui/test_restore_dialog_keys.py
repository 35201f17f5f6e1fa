"""The restore dialog (issue 16, 6): the box reads ticked or not without colour (`[X]`/`[ ]` in
--ascii), Enter submits even from the box (Space ticks it), and at 80x24 the buttons show."""

from __future__ import annotations

import pytest

from ossbrowse.ui.dialogs.tick_box import TickBox
from ossbrowse.ui.restore_dialog import RestoreDialog
from tests.ui.conftest import loaded, wait_for

ARCHIVE = {"x-oss-storage-class": "Archive"}


async def open_dialog(pilot, app, path: str):
    left = app.main.left
    await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
    left.file_list.move_to_path(path)
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog), what="the dialog")
    await pilot.pause()
    return app.screen


@pytest.mark.parametrize("ascii_only", [False, True])
async def test_the_box_looks_different_ticked_and_not(make_app, oss_bucket, local_dir, ascii_only):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("a.arc", b"x", headers=ARCHIVE)
    app = make_app(f"oss://{name}/", str(local_dir), ascii_only=ascii_only)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_dialog(pilot, app, f"oss://{name}/a.arc")
        box = dialog.query_one("#restore-download", TickBox)
        unticked = str(box.render()).split("Download")[0]
        box.focus()
        await pilot.press("space")
        assert box.value
        ticked = str(box.render()).split("Download")[0]
        assert "X" in ticked and "X" not in unticked
        if ascii_only:
            assert ticked.strip().startswith("[X]") and unticked.strip().startswith("[ ]")


async def test_enter_on_the_box_submits_and_does_not_toggle(make_app, oss_bucket, local_dir):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("a.arc", b"x", headers=ARCHIVE)
    app = make_app(f"oss://{name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_dialog(pilot, app, f"oss://{name}/a.arc")
        chosen = []
        dialog.dismiss = lambda result=None: chosen.append(result)  # see what Enter returns
        box = dialog.query_one("#restore-download", TickBox)
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not box.value
        assert len(chosen) == 1 and chosen[0] is not None
        assert chosen[0].download_when_ready is False


async def test_buttons_are_on_screen_at_80x24(make_app, oss_bucket, local_dir):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("c.cold", b"x", headers={"x-oss-storage-class": "ColdArchive"})
    app = make_app(f"oss://{name}/", str(local_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, app, f"oss://{name}/c.cold")
        for button_id in ("#ok", "#cancel"):
            button = dialog.query_one(button_id)
            region = button.region
            assert region.height >= 1 and region.width >= 1
            assert region.y + region.height <= 24
            box = dialog.query_one(".dialog-box").region
            assert box.y <= region.y and region.y + region.height <= box.y + box.height
