"""The bucket list at 100 columns: a bucket has no size and shows the day it was
created, so its name gets that room."""

from __future__ import annotations

import os

from tests.ui.conftest import loaded, wait_for


async def test_bucket_names_are_whole_at_100_columns(make_app, make_bucket, tmp_path):
    # Before: the Name column was 8 cells wide (`tes…`), beside an empty Size column.
    # The session's server holds every other test's buckets too: a name of digits sorts first,
    # so this one is on the first screen however many there are.
    oss_bucket = make_bucket(name=f"000-width-{os.getpid()}")
    app = make_app(str(tmp_path), "oss://")
    async with app.run_test(size=(100, 30)) as pilot:
        right = app.main.right
        await wait_for(pilot, lambda: loaded(right), what="the bucket list")
        listing = right.file_list
        lines = [listing.render_line(y).text for y in range(listing.size.height)]
        assert lines[0].split() == ["Name", "Created", "Region"]
        assert any(f" {oss_bucket.bucket_name} " in line for line in lines), lines
        # 20 cells, or 19 when the list scrolls (the session's server holds many buckets, so
        # whether a scrollbar takes a cell depends on the tests run before this one).
        assert listing.columns.name >= 19
        row = next(line for line in lines if f" {oss_bucket.bucket_name} " in line)
        assert len(row.split()) == 3  # name, the day created (no time of day), region


def test_a_bucket_keeps_its_day_when_the_list_scrolls():
    # Half of 100 columns is 48 cells, 47 once a scrollbar takes one: the bucket list kept its
    # Created column only without the scrollbar, so it came and went with the bucket count.
    from ossbrowse.ui.rows import Columns

    for width in (47, 48):
        cols = Columns.for_width(width, oss=True, buckets=True)
        assert cols.time == 11 and cols.name >= 19
