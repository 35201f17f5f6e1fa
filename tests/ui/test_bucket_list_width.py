"""The bucket list at 100 columns: a bucket has no size and shows the day it was
created, so its name gets that room."""

from __future__ import annotations

from tests.ui.conftest import loaded, wait_for


async def test_bucket_names_are_whole_at_100_columns(make_app, oss_bucket, tmp_path):
    # Before: the Name column was 8 cells wide (`tes…`), beside an empty Size column.
    app = make_app(str(tmp_path), "oss://")
    async with app.run_test(size=(100, 30)) as pilot:
        right = app.main.right
        await wait_for(pilot, lambda: loaded(right), what="the bucket list")
        listing = right.file_list
        lines = [listing.render_line(y).text for y in range(listing.size.height)]
        assert lines[0].split() == ["Name", "Created", "Region"]
        assert any(f" {oss_bucket.bucket_name} " in line for line in lines), lines
        assert listing.columns.name >= 20
        row = next(line for line in lines if f" {oss_bucket.bucket_name} " in line)
        assert len(row.split()) == 3  # name, the day created (no time of day), region
