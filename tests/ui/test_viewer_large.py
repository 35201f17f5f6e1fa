"""The viewer reaches any part of a large object by ranged reads (issue 16, 7): End reads the
last range, go to an offset, search forward and backward (text and hex), wrap."""

from __future__ import annotations

import pytest

from ossbrowse.fs.oss import OssFileSystem
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.viewer import Viewer, parse_offset
from ossbrowse.ui.viewer_search import SEARCH_CHUNK, parse_needle
from ossbrowse.ui.viewer_window import CHUNK, ByteWindow, line_of
from tests.ui.conftest import loaded, wait_for

LINES = 60_000  # "line 000000\n" x 60,000: 720,000 bytes, eleven ranges of 64 KiB
BIG = b"".join(b"line %06d\n" % i for i in range(LINES))


@pytest.fixture
def ranges(monkeypatch):
    """Every read the viewer makes, as (start, end): proof that it reads by ranges."""
    seen: list[tuple[int, int | None]] = []
    original = OssFileSystem.open_read

    def open_read(self, path, start=0, end=None):
        seen.append((start, end))
        return original(self, path, start, end)

    monkeypatch.setattr(OssFileSystem, "open_read", open_read)
    return seen


async def open_viewer(pilot, app, path: str) -> Viewer:
    left = app.main.left
    await wait_for(pilot, lambda: loaded(left))
    left.file_list.move_to_path(path)
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, Viewer))
    viewer = app.screen
    await wait_for(pilot, lambda: viewer.body.lines and not viewer.reading, what="first range")
    return viewer


def visible(viewer: Viewer) -> list[str]:
    top = viewer.body.top_line
    return viewer.body.lines[top : top + viewer.body.scrollable_content_region.height]


async def prompt(pilot, app, key: str, text: str) -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog))
    app.screen.query_one("#prompt-input").value = text
    await pilot.press("enter")


async def test_end_reads_the_last_range_and_home_the_first(make_app, oss_bucket, local_dir, ranges):
    oss_bucket.put_object("big.log", BIG)
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await open_viewer(pilot, app, f"oss://{oss_bucket.bucket_name}/big.log")
        await pilot.press("end")
        await wait_for(pilot, lambda: viewer.window.at_end and not viewer.reading)
        await wait_for(pilot, lambda: f"line {LINES - 1:06d}" in visible(viewer), what="tail")
        assert viewer.window.start > 0  # the middle was never read
        await pilot.press("home")
        await wait_for(pilot, lambda: viewer.window.start == 0 and not viewer.reading)
        await wait_for(pilot, lambda: "line 000000" in visible(viewer))
    assert all(end is not None and end - start <= CHUNK for start, end in ranges)
    assert len(ranges) <= 6


async def test_go_to_offset_and_search_both_ways(make_app, oss_bucket, local_dir, ranges):
    oss_bucket.put_object("big.log", BIG)
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await open_viewer(pilot, app, f"oss://{oss_bucket.bucket_name}/big.log")
        await prompt(pilot, app, "o", "50%")
        await wait_for(pilot, lambda: "line 030000" in visible(viewer), what="the middle")
        await prompt(pilot, app, "slash", "line 045678")
        await wait_for(pilot, lambda: viewer.last_hit == 45678 * 12, what="the hit")
        await wait_for(pilot, lambda: "line 045678" in visible(viewer))
        await prompt(pilot, app, "question_mark", "line 000123")
        await wait_for(pilot, lambda: viewer.last_hit == 123 * 12, what="the hit backward")
        await wait_for(pilot, lambda: "line 000123" in visible(viewer))
        await pilot.press("n")  # forward again from the hit: the next one is not there
        await wait_for(pilot, lambda: not viewer.searching)
        await pilot.pause()
        assert viewer.last_hit == 123 * 12
    assert all(end is not None and end - start <= SEARCH_CHUNK for start, end in ranges)


async def test_hex_search_and_wrap(make_app, oss_bucket, local_dir):
    blob = bytes(200_000) + b"\xde\xad\xbe\xef" + bytes(100)
    oss_bucket.put_object("blob.bin", blob)
    oss_bucket.put_object("wide.txt", b"x" * 500 + b"\nshort\n")
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await open_viewer(pilot, app, f"oss://{oss_bucket.bucket_name}/blob.bin")
        assert viewer.hex_mode
        await prompt(pilot, app, "slash", "de ad be ef")
        await wait_for(pilot, lambda: viewer.last_hit == 200_000, what="the bytes")
        await wait_for(pilot, lambda: any("de ad be ef" in line for line in visible(viewer)))
        await pilot.press("escape")
        viewer = await open_viewer(pilot, app, f"oss://{oss_bucket.bucket_name}/wide.txt")
        assert len(viewer.body.lines) == 2
        await pilot.press("w")
        await pilot.pause()
        assert viewer.body.wrap and viewer.body.virtual_size.height > 2
        assert viewer.body.virtual_size.width <= viewer.body.scrollable_content_region.width


def test_window_lines_and_offsets():
    window = ByteWindow(30)
    window.reset(5)
    assert window.add(5, b"cdef\nline2\nline3\npart")  # starts inside "abcdef"
    lines, offsets = window.render(False)
    assert lines == ["line2", "line3"] and offsets == [10, 16]
    assert line_of(offsets, 18) == 1
    assert window.add(0, b"ab\nzz")  # the range before: the first line is whole now
    lines, _ = window.render(False)
    assert lines[:2] == ["ab", "zzcdef"]


def test_search_across_range_edges(monkeypatch):
    import ossbrowse.ui.viewer_search as search

    monkeypatch.setattr(search, "SEARCH_CHUNK", 8)
    data = b"0123456789abcdefXYZ0123XYZ"

    def read(a, b):
        return data[a:b]

    assert search.find(read, len(data), b"9abc", 0) == 9  # straddles the first edge
    assert search.find(read, len(data), b"XYZ", 17) == 23
    assert search.find(read, len(data), b"XYZ", 23, backward=True) == 16
    assert search.find(read, len(data), b"XYZ", 16, backward=True) is None
    assert parse_needle("de ad", True) == b"\xde\xad"
    assert parse_needle('"de"', True) == b"de"
    assert parse_offset("50%", 1000) == 500 and parse_offset("-10", 1000) == 990
    assert parse_offset("0x10", 1000) == 16 and parse_offset("1k", 5000) == 1024
