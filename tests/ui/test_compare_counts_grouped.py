"""The compare's summary writes every count with thousands separators: "(1,001 only local)",
as its total does (it read "1001 only local") (Pilot)."""

from __future__ import annotations

from ossbrowse.ui.compare import CompareScreen
from tests.ui.conftest import loaded, wait_for


async def test_the_summary_groups_the_digits_of_each_count(make_app, oss_bucket, tmp_path):
    root = tmp_path / "plain"
    root.mkdir()
    for i in range(1001):  # local files only: the OSS prefix is empty, nothing to upload
        (root / f"f{i:04}.txt").write_bytes(b"")
    app = make_app(str(root), f"oss://{oss_bucket.bucket_name}/empty/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left) and loaded(app.main.right))
        await pilot.press("equals_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), what="compare")
        screen = app.screen
        await wait_for(pilot, lambda: screen.done, what="the compare to finish")
        summary = str(screen.summary.render())
        assert "(1,001 only local)" in summary, summary
