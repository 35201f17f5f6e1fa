"""Help, viewer, inspector, presigned URL, mkdir and delete, marking, narrow layout, key remap."""

from __future__ import annotations

import urllib.request

from ossbrowse.ui.dialogs.help import HelpScreen
from ossbrowse.ui.dialogs.presign import PresignDialog
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.inspector import Inspector
from ossbrowse.ui.viewer import Viewer
from tests.ui.conftest import loaded, names, wait_for


async def test_help_lists_every_binding_with_its_id(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(app.screen.body.lines)
        assert all(f" {i}" in text for i in ("pane.copy", "pane.view", "transfer.pause_all",
                                             "app.quit"))  # fmt: skip
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_keys_remapped_from_config(make_app, local_dir, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"pane.copy" = "f2"\n"nonsense.id" = "x"\n')
    monkeypatch.setenv("OSSBROWSE_CONFIG", str(config))
    app = make_app(str(local_dir), str(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        # The bad line is reported, not fatal.
        assert any("nonsense.id" in n.message for n in app._notifications)
        await pilot.press("down", "down", "f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "CopyDialog"


async def test_viewer_reads_text_and_hex_by_range(make_app, oss_bucket, local_dir):
    big = b"".join(b"line %06d\n" % i for i in range(20000))  # 220 KB: several ranged reads
    oss_bucket.put_object("big.log", big)
    oss_bucket.put_object("blob.bin", bytes(range(256)) * 8)
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/big.log")
        await pilot.press("f3")
        viewer = app.screen
        assert isinstance(viewer, Viewer)
        await wait_for(pilot, lambda: viewer.body.lines, what="first chunk")
        assert viewer.body.lines[0] == "line 000000"
        assert viewer.read_to == 64 * 1024  # only the first range was read
        await pilot.press("end")
        await wait_for(pilot, lambda: viewer.read_to > 64 * 1024, what="the next range")
        await pilot.press("escape")
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/blob.bin")
        await pilot.press("v")
        viewer = app.screen
        await wait_for(pilot, lambda: viewer.body.lines)
        assert viewer.hex_mode
        assert viewer.body.lines[0].startswith("00000000  00 01 02 03")


async def test_inspector_shows_every_field(make_app, oss_bucket, local_dir):
    oss_bucket.put_object("meta.txt", b"abc", headers={"x-oss-meta-owner": "ops\x1b[31m"})
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/meta.txt")
        await pilot.press("i")
        inspector = app.screen
        assert isinstance(inspector, Inspector)
        await wait_for(pilot, lambda: len(inspector.body.lines) > 3)
        text = "\n".join(inspector.body.lines)
        for field in ("storage class", "object type", "ETag", "CRC64", "restore"):
            assert field in text
        assert "owner: ops\\x1b[31m" in text  # the escape is shown, never sent raw
        assert "\x1b" not in text
        await wait_for(pilot, lambda: any(s.startswith("ACL") for s in inspector.body.lines))
        acl = next(s for s in inspector.body.lines if s.startswith("ACL"))
        assert acl.split(None, 1)[1] == "default (bucket: private)"
        await pilot.press("escape")
        oss_bucket.put_object_acl("meta.txt", "public-read")
        await pilot.press("i")
        inspector = app.screen
        await wait_for(pilot, lambda: any(s.startswith("ACL") for s in inspector.body.lines))
        assert "ACL            public-read" in inspector.body.lines


async def test_presigned_url_is_shown_copied_and_works(make_app, oss_bucket, local_dir):
    oss_bucket.put_object("share.txt", b"shared bytes")
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/share.txt")
        await pilot.press("y")
        assert isinstance(app.screen, PresignDialog)
        await pilot.press("enter")  # default expiry 1h
        await wait_for(pilot, lambda: app.clipboard.startswith("http"), what="a signed URL")
        url = app.clipboard
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"shared bytes"


async def test_mkdir_and_delete_on_oss(make_app, oss_bucket, local_dir):
    oss_bucket.put_object("old/a.txt", b"a")
    oss_bucket.put_object("old/b/c.txt", b"c")
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await pilot.press("f7")
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one("#prompt-input").value = "fresh"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "fresh" in names(left) and loaded(left))
        assert oss_bucket.object_exists("fresh/")
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/old/")
        await pilot.press("f8")
        assert app.screen is not app.main  # the confirm (or, with issue 6, priced) dialog
        for _ in range(200):  # a priced dialog enables "y" once it has counted
            if app.screen is app.main:
                break
            await pilot.press("y")
            await pilot.pause(0.05)
        await wait_for(pilot, lambda: "old" not in names(left) and loaded(left), what="deleted")
    assert not any(
        k.key.startswith("old/") for k in __import__("oss2").ObjectIteratorV2(oss_bucket)
    )


async def test_marking_by_pattern_invert_and_status(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await pilot.press("plus")
        app.screen.query_one("#prompt-input").value = "*.txt"
        await pilot.press("enter")
        model = left.file_list.model
        assert {e.name for e in model.marked.values()} == {"hello.txt"}
        await pilot.press("asterisk")  # invert: files only
        assert {e.name for e in model.marked.values()} == {"data.bin", "notes.md"}
        status = app.main.status.text.plain
        assert "marked 2" in status and "KiB" in status
        await pilot.press("minus")
        app.screen.query_one("#prompt-input").value = "*"
        await pilot.press("enter")
        assert model.marked_count == 0
        await pilot.press("insert")  # on "..": nothing marked, cursor moves
        await pilot.press("insert")
        assert [e.name for e in model.marked.values()] == ["docs"]


async def test_narrow_terminal_shows_one_pane_and_tab_switches(make_app, local_dir, tmp_path):
    app = make_app(str(local_dir), str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        assert app.main.left.display and app.main.left.region.width > 0
        assert app.main.right.region.width == 0
        await pilot.press("tab")
        await pilot.pause()
        assert app.main.active is app.main.right
        assert app.main.right.region.width > 70
        assert app.main.left.region.width == 0


def test_keymap_ids_dotted_or_quoted_mean_the_same(tmp_path):
    from ossbrowse.commands.ui import read_keymap

    config = tmp_path / "config.toml"
    config.write_text('[keys]\npane.copy = "f2"\n"pane.move" = "f9"\n')
    keymap, problems = read_keymap(str(config))
    assert keymap == {"pane.copy": "f2", "pane.move": "f9"}
    assert problems == []
