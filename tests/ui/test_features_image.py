"""Image preview: PNG, JPEG, GIF and WebP objects and files drawn as pictures (half-blocks
without a graphics terminal), read with a size cap, a note in --ascii (Pilot, local server)."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from ossbrowse.emulator.sample_image import _chunk, sunset_png
from ossbrowse.ui import image_view
from ossbrowse.ui.image_view import ImageViewer, decode, fit_cells
from ossbrowse.ui.viewer import Viewer
from tests.ui.conftest import loaded, wait_for


def encoded(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(sunset_png())).save(out, format=fmt)
    return out.getvalue()


async def open_image(pilot, app, pane, path: str, key: str = "enter") -> ImageViewer:
    pane.file_list.move_to_path(path)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, ImageViewer), what="the preview")
    return app.screen


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_png_object_is_drawn_in_half_blocks(make_app, oss_bucket, size):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("pics/sunset.png", sunset_png())
    app = make_app(f"oss://{name}/pics/", f"oss://{name}/")
    async with app.run_test(size=size) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        viewer = await open_image(pilot, app, left, f"oss://{name}/pics/sunset.png")
        await wait_for(pilot, lambda: viewer.picture is not None, what="the picture")
        await pilot.pause()
        assert type(viewer.picture).__name__ == "HalfcellImage"
        region = viewer.picture.region
        assert 0 < region.width <= size[0] and 0 < region.height <= size[1]
        assert "▀" in app.export_screenshot() or "▄" in app.export_screenshot()
        assert "64 x 40 px" in str(viewer.title_line.render())
        await pilot.press("v")  # the same object as bytes
        await wait_for(pilot, lambda: isinstance(app.screen, Viewer))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main)


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "WEBP", "PNG"])
async def test_local_files_of_each_format(make_app, local_dir, fmt, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    path = local_dir / f"picture.{fmt.lower()}"
    path.write_bytes(encoded(fmt))
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        viewer = await open_image(pilot, app, left, str(path), "v")
        await wait_for(pilot, lambda: viewer.picture is not None, what="the picture")
        assert type(viewer.picture).__name__ == "UnicodeImage"  # NO_COLOR: shapes, not colours


async def test_ascii_shows_a_note_and_no_picture(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("s.png", sunset_png())
    app = make_app(f"oss://{name}/", f"oss://{name}/", ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        viewer = await open_image(pilot, app, left, f"oss://{name}/s.png")
        await pilot.pause()
        assert viewer.picture is None
        assert "--ascii draws no pictures" in str(viewer.note.render())


async def test_too_large_or_damaged_images_get_one_line(make_app, oss_bucket, monkeypatch):
    monkeypatch.setattr(image_view, "MAX_PREVIEW_BYTES", 300)
    reads = []
    name = oss_bucket.bucket_name
    oss_bucket.put_object("big.png", sunset_png())  # 450 bytes: over the cap of this test
    oss_bucket.put_object("broken.jpg", b"\xff\xd8 not really a jpeg")
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        original = left.fs.open_read
        monkeypatch.setattr(left.fs, "open_read", lambda *a: reads.append(a) or original(*a))
        await wait_for(pilot, lambda: loaded(left))
        viewer = await open_image(pilot, app, left, f"oss://{name}/big.png")
        await pilot.pause()
        assert "too large to preview" in str(viewer.note.render())
        assert reads == []  # nothing downloaded
        await pilot.press("escape")
        viewer = await open_image(pilot, app, left, f"oss://{name}/broken.jpg")
        await wait_for(pilot, lambda: "not an image" in str(viewer.note.render()))
        assert viewer.picture is None
        assert [r[1:] for r in reads] == [(0, 20)]  # one ranged read, never past the cap


def test_fit_and_bomb():
    assert fit_cells(64, 40, 118, 30) == (96, 30)  # height-bound: 30 rows of two pixels
    assert fit_cells(400, 10, 100, 30) == (100, 1)
    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")
    with pytest.raises(ValueError, match="too many"):
        decode(bomb)
    assert decode(sunset_png()).size == (64, 40)


def test_only_graphics_terminals_are_asked_at_start(monkeypatch):
    from ossbrowse.ui.image_view import announces_graphics, prepare_before_start

    assert announces_graphics({"TERM": "xterm-kitty"})
    assert announces_graphics({"TERM_PROGRAM": "WezTerm"})
    assert not announces_graphics({"TERM": "xterm-256color", "TERM_PROGRAM": "tmux"})
    prepare_before_start(ascii_only=True)  # --ascii: nothing asked, nothing imported
