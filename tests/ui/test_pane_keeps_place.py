"""The cursor, the marks and the pane stay where the user left them (issue 16: 4, 8, 9, 10, 14).

After a delete the next entry takes the deleted one's row; a rename follows the new name; a
swap carries each cursor along; a sort keeps the cursor in sight; End while a big folder loads
follows the last row; Esc in the filter keeps the entry under the cursor; marks survive a copy
landing in the pane; a bad go-to leaves the pane where it was.
"""

from __future__ import annotations

import threading

import pytest

from ossbrowse.fs.oss import OssFileSystem
from ossbrowse.ui.dialogs.confirm import ConfirmDialog
from ossbrowse.ui.dialogs.copy import CopyDialog
from ossbrowse.ui.dialogs.prompt import PromptDialog
from tests.ui.conftest import loaded, names, wait_for


def current_name(pane) -> str | None:
    entry = pane.file_list.current
    return None if entry is None else entry.name


def last_message(app) -> str:
    return list(app._notifications)[-1].message if app._notifications else ""


def status_text(app) -> str:
    return app.main.status.text.plain


@pytest.fixture
def held_listing(monkeypatch):
    """OSS listings stop after their first page until `release()`: a deterministic 'still
    loading' state (no timing)."""
    gate = threading.Event()
    original = OssFileSystem.list_page

    def list_page(self, path, token=None, limit=1000):
        if token is not None:
            gate.wait(timeout=30)
        return original(self, path, token, limit)

    monkeypatch.setattr(OssFileSystem, "list_page", list_page)
    yield gate
    gate.set()


async def test_delete_leaves_the_cursor_on_the_next_entry(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(str(local_dir / "hello.txt"))
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: "hello.txt" not in names(left) and loaded(left))
        await pilot.pause()
        assert current_name(left) == "notes.md"  # the next one, not ".."


async def test_rename_follows_the_new_name(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir / "docs"))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(str(local_dir / "data.bin"))
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        app.screen.query_one("#copy-destination").value = "zz.bin"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: "data.bin" not in names(left) and "zz.bin" in names(left))
        await wait_for(pilot, lambda: loaded(left) and current_name(left) == "zz.bin")


async def test_swap_carries_each_cursor(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir / "docs"))
    async with app.run_test(size=(120, 36)) as pilot:
        left, right = app.main.left, app.main.right
        await wait_for(pilot, lambda: loaded(left) and loaded(right))
        left.file_list.move_to_path(str(local_dir / "notes.md"))
        right.file_list.move_to_path(str(local_dir / "docs" / "a.txt"))
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: right.path == str(local_dir) and loaded(right))
        await wait_for(pilot, lambda: loaded(left))
        assert current_name(right) == "notes.md"
        assert current_name(left) == "a.txt"


async def test_sort_keeps_the_cursor_in_sight(make_app, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(80):
        (folder / f"f{i:03d}.txt").write_bytes(b"x" * (80 - i))  # by size: reversed order
    app = make_app(str(folder), str(folder))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await pilot.press("end")
        assert current_name(left) == "f079.txt"
        await pilot.press("s")  # by size: f079.txt (1 byte) is now near the top
        await pilot.pause()
        file_list = left.file_list
        assert current_name(left) == "f079.txt"
        top = int(file_list.scroll_offset.y)
        assert top <= file_list.cursor <= top + file_list.page_height - 1


async def test_end_while_loading_follows_to_the_real_end(make_app, oss_bucket, held_listing):
    for i in range(130):  # more than the first page (100)
        oss_bucket.put_object(f"k{i:04d}", b"x")
    app = make_app(f"oss://{oss_bucket.bucket_name}/", "oss://")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: len(names(left)) == 100, what="the first page")
        assert left.is_loading
        await pilot.press("end")
        assert current_name(left) == "k0099"
        held_listing.set()
        await wait_for(pilot, lambda: loaded(left), what="the whole listing")
        await pilot.pause()
        assert current_name(left) == "k0129"


async def test_esc_cancelling_a_listing_clears_loading_from_the_status(
    make_app, oss_bucket, held_listing
):
    for i in range(130):
        oss_bucket.put_object(f"k{i:04d}", b"x")
    app = make_app(f"oss://{oss_bucket.bucket_name}/", "oss://")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: len(names(left)) == 100, what="the first page")
        await wait_for(pilot, lambda: "(loading)" in status_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert not left.is_loading
        assert "(loading)" not in status_text(app)
        assert status_text(app).startswith("100 entries")
        # The cancelled listing's thread still waits in the held list_page: let it go before
        # the app closes, or closing waits out the hold's 30 s.
        held_listing.set()


async def test_one_entry_is_singular(make_app, local_dir):
    app = make_app(str(local_dir / "docs"), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.pause()
        assert status_text(app).startswith("1 entry ")


async def test_esc_in_the_filter_keeps_the_entry_under_the_cursor(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await pilot.press("slash", "t")  # hello.txt, notes.md? no: data.bin has no t... "t"
        await pilot.press("enter")
        left.file_list.move_to_path(str(local_dir / "notes.md"))
        await pilot.press("slash")
        await pilot.press("escape")
        await pilot.pause()
        assert len(names(left)) == 4
        assert current_name(left) == "notes.md"


async def test_marks_survive_a_copy_landing_in_the_pane(make_app, local_dir, tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    for name in ("one.txt", "two.txt", "three.txt"):
        (target / name).write_text(name)
    app = make_app(str(local_dir), str(target))
    async with app.run_test(size=(120, 36)) as pilot:
        left, right = app.main.left, app.main.right
        await wait_for(pilot, lambda: loaded(left) and loaded(right))
        right.file_list.model.set_mark(right.file_list.model.view[0], True)  # one.txt
        right.file_list.model.set_mark(right.file_list.model.view[2], True)  # two.txt
        marked = set(right.file_list.model.marked)
        left.file_list.move_to_path(str(local_dir / "hello.txt"))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: "hello.txt" in names(right) and loaded(right))
        assert set(right.file_list.model.marked) == marked


async def test_a_prefix_named_dot_dot_is_drawn_as_a_folder(make_app, local_dir, oss_bucket):
    oss_bucket.put_object("top/../inside.txt", b"x")
    app = make_app(f"oss://{oss_bucket.bucket_name}/top/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await pilot.pause()
        lines = [left.file_list.render_line(y).text for y in (1, 2)]
        assert "<UP>" in lines[0] and "<UP>" not in lines[1]
        assert "../" in lines[1] and "<DIR>" in lines[1]


async def _go_to(pilot, app, text: str) -> None:
    await pilot.press("g")
    await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog))
    app.screen.query_one("#prompt-input").value = text
    await pilot.press("enter")


@pytest.mark.parametrize(
    ("typed", "expect"),
    [
        ("http://example.com/file", "web address"),
        ("https://b1.oss-cn-hangzhou.aliyuncs.com/logs/", "oss://b1/logs/"),
        ("s3://bucket/prefix/", "oss://bucket/prefix/"),
    ],
)
async def test_go_to_refuses_other_schemes(make_app, local_dir, typed, expect):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await _go_to(pilot, app, typed)
        await wait_for(pilot, lambda: app._notifications, what="a message")
        assert expect in last_message(app)
        assert left.path == str(local_dir)  # not a folder named "http:"


async def test_go_to_an_unknown_bucket_stays_where_it_was(make_app, local_dir, oss_bucket):
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    oss_bucket.put_object("here.txt", b"x")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/here.txt")
        await _go_to(pilot, app, "oss://no-such-bucket-here/")
        await wait_for(pilot, lambda: app._notifications, what="a message")
        await wait_for(pilot, lambda: left.path == f"oss://{oss_bucket.bucket_name}/")
        await wait_for(pilot, lambda: loaded(left))
        assert "here.txt" in names(left)
        assert current_name(left) == "here.txt"
        assert not left.failed


async def test_without_credentials_the_pane_keeps_the_reason(local_dir, oss_server, tmp_path):
    from ossbrowse.commands.ui import build_app
    from ossbrowse.config import ConnectionSettings

    settings = ConnectionSettings(endpoint=oss_server.endpoint)
    app = build_app(settings, str(local_dir), "oss://", state_dir=str(tmp_path / "s"))
    async with app.run_test(size=(120, 36)) as pilot:
        right = app.main.right
        await wait_for(pilot, lambda: right.failed, what="the listing to fail")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        note = right.file_list.note
        assert note.startswith("Could not list this folder: ")
        assert len(note) > len("Could not list this folder: (Ctrl+R retries)") + 10
        text = "".join(right.file_list.render_line(y).text for y in range(1, 6))
        assert "credential" in text.lower() or "access key" in text.lower()
        app.engine.shutdown(wait=False)
