"""Object properties (Ctrl+E / E): headers, metadata, class, ACL and tags, through the real
local server; a change needing a copy is priced (early deletion shown); tags in the inspector."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Select

from ossbrowse.errors import OssBrowseError
from ossbrowse.ops import properties
from ossbrowse.ui.dialogs.properties import PropertiesDialog
from ossbrowse.ui.inspector import Inspector
from ossbrowse.ui.priced_dialogs import PricedDialog
from tests.ui.conftest import loaded, wait_for


async def open_properties(pilot, app, key: str = "E") -> PropertiesDialog:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, PropertiesDialog), what="the editor")
    dialog = app.screen
    await wait_for(pilot, lambda: dialog.before is not None, what="the properties")
    return dialog


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_edit_headers_metadata_class_acl_and_tags(make_app, oss_bucket, size, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    name = oss_bucket.bucket_name
    headers = {
        "Content-Type": "text/plain",
        "x-oss-meta-owner": "bob",
        "x-oss-tagging": "team=blue",
    }
    oss_bucket.put_object("doc.txt", b"hello", headers=headers)
    app = make_app(f"oss://{name}/", f"oss://{name}/", ascii_only=True)
    async with app.run_test(size=size) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/doc.txt")
        dialog = await open_properties(pilot, app, "ctrl+e")
        assert dialog.query_one("#prop-content_type", Input).value == "text/plain"
        assert dialog.query_one("#prop-meta", Input).value == "owner=bob"
        assert dialog.query_one("#prop-tags", Input).value == "team=blue"
        save = dialog.query_one("#save", Button)
        for widget in (save, dialog.query_one("#prop-tags", Input)):
            assert app.get_widget_at(*widget.region.center)[0] is widget  # on screen, reachable
        dialog.query_one("#prop-content_type", Input).value = "text/markdown"
        dialog.query_one("#prop-cache_control", Input).value = "max-age=60"
        dialog.query_one("#prop-content_disposition", Input).value = "attachment"
        dialog.query_one("#prop-meta", Input).value = "owner=ann, stage=draft"
        dialog.query_one("#prop-tags", Input).value = "team=red, env=prod"
        dialog.query_one("#prop-class", Select).value = "IA"
        dialog.query_one("#prop-acl", Select).value = "private"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
        priced = app.screen
        body = str(priced.query_one("#priced-body").render())
        assert "CopyObject" in body and "PutObjectAcl" in body and "PutObjectTagging" in body
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is app.main, what="the change")
    head = oss_bucket.head_object("doc.txt")
    assert head.headers["Content-Type"] == "text/markdown"
    assert head.headers["Cache-Control"] == "max-age=60"
    assert head.headers["Content-Disposition"] == "attachment"
    assert head.headers["x-oss-meta-owner"] == "ann"
    assert head.headers["x-oss-meta-stage"] == "draft"
    assert head.headers["x-oss-storage-class"] == "IA"
    assert oss_bucket.get_object_acl("doc.txt").acl == "private"
    assert properties.read_tags(oss_bucket, "doc.txt") == {"team": "red", "env": "prod"}
    assert oss_bucket.get_object("doc.txt").read() == b"hello"


async def test_class_change_shows_early_deletion_and_cancel_changes_nothing(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("cold.bin", b"x" * 100, headers={"x-oss-storage-class": "IA"})
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/cold.bin")
        dialog = await open_properties(pilot, app)
        dialog.query_one("#prop-class", Select).value = "Standard"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
        body = str(app.screen.query_one("#priced-body").render())
        assert "Early deletion" in body and "IA" in body
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is dialog)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main)
    assert oss_bucket.head_object("cold.bin").headers["x-oss-storage-class"] == "IA"


async def test_tags_alone_change_in_place_and_show_in_the_inspector(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("t.txt", b"t")
    etag = oss_bucket.head_object("t.txt").etag
    app = make_app(f"oss://{name}/", f"oss://{name}/", ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/t.txt")
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, Inspector))
        inspector = app.screen
        await wait_for(
            pilot, lambda: any(line.startswith("tags ") for line in inspector.body.lines)
        )
        assert "tags           none" in inspector.body.lines
        await pilot.press("escape")
        dialog = await open_properties(pilot, app)
        dialog.query_one("#prop-tags", Input).value = "project=apollo"
        await pilot.press("ctrl+s")  # no copy: no price to ask about
        await wait_for(pilot, lambda: app.screen is app.main, what="the change")
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, Inspector))
        inspector = app.screen
        await wait_for(pilot, lambda: "  project: apollo" in inspector.body.lines)
    assert oss_bucket.head_object("t.txt").etag == etag  # not copied


async def test_bad_pairs_are_refused_with_a_sentence(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("p.txt", b"p")
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        app.main.left.file_list.move_to_path(f"oss://{name}/p.txt")
        dialog = await open_properties(pilot, app)
        dialog.query_one("#prop-meta", Input).value = "no equals sign"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # still open, with a warning
        assert any("name=value" in str(n.message) for n in app._notifications)


def test_an_object_changed_after_reading_is_not_clobbered(oss_bucket):
    oss_bucket.put_object("race.txt", b"first")
    before = properties.read_properties(oss_bucket, "race.txt")
    after = properties.edited(before, content_type="text/csv")
    change = properties.plan_change(oss_bucket, before, after)
    oss_bucket.put_object("race.txt", b"second, written meanwhile")
    with pytest.raises(OssBrowseError, match="changed since"):
        properties.apply_change(change)
    assert oss_bucket.get_object("race.txt").read() == b"second, written meanwhile"


def test_read_only_refuses(oss_bucket):
    oss_bucket.put_object("ro.txt", b"r")
    before = properties.read_properties(oss_bucket, "ro.txt")
    change = properties.plan_change(oss_bucket, before, properties.edited(before, acl="private"))
    with pytest.raises(OssBrowseError):
        properties.apply_change(change, read_only=True)
    assert oss_bucket.get_object_acl("ro.txt").acl == "default"
