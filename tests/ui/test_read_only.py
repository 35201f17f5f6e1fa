"""--read-only refuses every write, in the UI (one gate) and in the verbs; restore is allowed."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox

from ossbrowse.cli import main
from ossbrowse.config import ConnectionSettings
from ossbrowse.ui.compare import CompareScreen
from ossbrowse.ui.entry_actions import EntryActions
from ossbrowse.ui.feature_actions import FeatureActions
from ossbrowse.ui.ops_actions import OpsActions
from ossbrowse.ui.restore_dialog import RestoreDialog
from ossbrowse.ui.write_gate import WRITE_ACTIONS
from tests.ui.conftest import loaded, wait_for


@pytest.fixture
def read_only_app(oss_server, tmp_path):
    from ossbrowse.commands.ui import build_app

    settings = ConnectionSettings(
        endpoint=oss_server.endpoint,
        access_key_id=oss_server.access_key_id,
        access_key_secret=oss_server.access_key_secret,
        read_only=True,
    )
    apps = []

    def make(left: str, right: str):
        app = build_app(settings, left, right, state_dir=str(tmp_path / "state"))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.engine.shutdown(wait=False)


def test_every_write_action_of_the_main_screen_is_gated():
    # The keys' own objects: MainScreen.entries, .ops and .features.
    for name in ("copy", "open_copy_dialog", "mkdir"):
        assert getattr(getattr(EntryActions, name), "__writes__", None), name
    for name in ("move", "delete", "edit"):
        assert getattr(getattr(OpsActions, name), "__writes__", None), name
    for name in ("rename_in_place", "properties"):
        assert getattr(getattr(FeatureActions, name), "__writes__", None), name
    assert getattr(CompareScreen.action_copy_across, "__writes__", None)  # the mount compare's
    assert "action_copy_across" in WRITE_ACTIONS
    for name in ("view", "inspect", "presign"):
        assert not hasattr(getattr(EntryActions, name), "__writes__"), name
    assert not hasattr(OpsActions.restore, "__writes__")  # a restore changes no object
    assert not hasattr(FeatureActions.folder_size, "__writes__")  # counting writes nothing


async def test_ui_refuses_writes_with_one_message_and_allows_restore(
    read_only_app, oss_bucket, local_dir
):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("file.txt", b"data")
    oss_bucket.put_object("cold.bin", b"cold", headers={"x-oss-storage-class": "Archive"})
    app = read_only_app(f"oss://{name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(f"oss://{name}/file.txt")
        for key in ("c", "f5", "m", "f6", "n", "f7", "f8", "e", "f4"):
            before = len(app._notifications)
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is app.main, key  # no dialog opened
            messages = [n.message for n in list(app._notifications)[before:]]
            assert any("running read-only" in m for m in messages), (key, messages)
        # A drag from one pane onto the other is a copy too.
        before = len(app._notifications)
        await pilot.mouse_down(left.file_list, offset=(5, 3))
        await pilot.mouse_up(app.main.right.file_list, offset=(5, 3))
        await pilot.pause()
        assert app.screen is app.main
        assert any("read-only" in n.message for n in list(app._notifications)[before:])
        # Restore changes no data: allowed, without "download when ready" (a write).
        left.file_list.move_to_path(f"oss://{name}/cold.bin")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog))
        assert not app.screen.query(Checkbox)
        await pilot.press("escape")
    assert app.engine.jobs() == [] and app.tasks.tasks() == []
    assert oss_bucket.object_exists("file.txt")


async def test_copy_into_a_read_only_mount_is_refused_before_the_dialog(
    make_app, oss_bucket, local_dir, tmp_path, monkeypatch
):
    config = tmp_path / "mounts.toml"
    config.write_text(
        f'[mounts]\n"{local_dir}" = {{ url = "oss://{oss_bucket.bucket_name}/m/", '
        "read_only = true }\n"
    )
    monkeypatch.setenv("OSSBROWSE_CONFIG", str(config))
    oss_bucket.put_object("x.txt", b"x")
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/x.txt")
        await pilot.press("c")
        # The mount is looked up in a thread worker; the refusal comes back on the UI thread.
        await wait_for(
            pilot,
            lambda: any("read-only OSS mount" in n.message for n in app._notifications),
            what="the refusal",
        )
        assert app.screen is app.main
        # Asked once: a second copy there is refused from the gate's answer at once.
        before = len(app._notifications)
        await pilot.press("c")
        assert app.screen is app.main
        assert len(app._notifications) == before + 1


def conn(server) -> list[str]:
    return ["--endpoint", server.endpoint, "--access-key-id", server.access_key_id,
            "--access-key-secret", server.access_key_secret]  # fmt: skip


def test_cp_refuses_in_both_directions_when_read_only(oss_server, oss_bucket, tmp_path, capsys):
    source = tmp_path / "up.txt"
    source.write_text("up")
    url = f"oss://{oss_bucket.bucket_name}/up.txt"
    assert main(["cp", str(source), url, "--read-only", *conn(oss_server)]) == 1
    assert "Refused to copy: ossbrowse is running read-only" in capsys.readouterr().err
    oss_bucket.put_object("down.txt", b"down")
    down = f"oss://{oss_bucket.bucket_name}/down.txt"
    assert main(["cp", down, str(tmp_path / "d.txt"), "--read-only", *conn(oss_server)]) == 1
    assert "read-only" in capsys.readouterr().err
    assert main(["cp", str(source), str(tmp_path / "copy.txt"), "--read-only"]) == 1
    assert not oss_bucket.object_exists("up.txt")
    assert not (tmp_path / "d.txt").exists() and not (tmp_path / "copy.txt").exists()


def test_cp_into_a_read_only_mount_is_refused(tmp_path, monkeypatch, capsys):
    mounted = tmp_path / "mnt"
    mounted.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[mounts]\n"{mounted}" = {{ url = "oss://bkt/p/", read_only = true }}\n')
    monkeypatch.setenv("OSSBROWSE_CONFIG", str(config))
    source = tmp_path / "a.txt"
    source.write_text("a")
    assert main(["cp", str(source), str(mounted / "a.txt")]) == 1
    assert "read-only OSS mount" in capsys.readouterr().err
    assert not (mounted / "a.txt").exists()


def test_rm_and_mv_refuse_when_read_only(oss_server, oss_bucket, capsys):
    oss_bucket.put_object("a/1", b"1")
    url = f"oss://{oss_bucket.bucket_name}"
    assert main(["rm", f"{url}/a/", "-r", "--yes", "--read-only", *conn(oss_server)]) == 1
    assert "Refused to delete objects" in capsys.readouterr().err
    assert main(["mv", f"{url}/a/", f"{url}/b/", "--yes", "--read-only", *conn(oss_server)]) == 1
    assert "Refused to move or rename objects" in capsys.readouterr().err
    assert oss_bucket.object_exists("a/1")
