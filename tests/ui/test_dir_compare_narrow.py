"""The two-pane compare on a 60-column terminal: each difference keeps to one line."""

from __future__ import annotations

from ossbrowse.ui.dir_compare import DirCompareScreen
from tests.ui.conftest import loaded, wait_for


async def test_rows_take_one_line_each_at_60_columns(make_app, oss_bucket, tmp_path):
    root = tmp_path / "left"
    root.mkdir()
    (root / "only-left-with-a-rather-long-name.txt").write_bytes(b"left")
    oss_bucket.put_object("right/deep/er/only-right-with-a-rather-long-name.txt", b"right")
    app = make_app(str(root), f"oss://{oss_bucket.bucket_name}/right/")
    async with app.run_test(size=(60, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left) and loaded(app.main.right))
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DirCompareScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.done, what="the compare to finish")
        await pilot.pause()
        assert len(screen.differences) == 2
        assert screen.list.virtual_size.height == 2  # one line a row, no wrapping
